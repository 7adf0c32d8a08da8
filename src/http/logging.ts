import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/env';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's X-Request-Id is kept when it is sane, so that logs can be joined across services. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** One JSON line per request. Credentials never reach the log: only method, path, status, time. */
export function loggerOptions(config: AppConfig, destination?: NodeJS.WritableStream): Params {
  const options = {
    // Explicit: the module's default route pattern does not reach Nest 12's Fastify middleware.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      // Fastify assigns the id (see app.factory.ts); pino-http reuses req.id.
      genReqId: requestIdFor,
      quietReqLogger: true,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.refreshToken', '*.accessToken'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // Query strings can carry tokens in careless clients; the path is enough.
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
  if (!destination) return options;
  return { ...options, pinoHttp: [options.pinoHttp, destination] as Params['pinoHttp'] };
}
