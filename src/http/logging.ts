import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
import { AppConfig } from '../config/env';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's X-Request-Id is kept when it is sane, so that logs can be joined across services. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** One JSON line per request. Credentials never reach the log: only method, path, status, time. */
export function requestLogOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    // Used only when nothing set req.id first: under Fastify the onRequest hook gives it Fastify's id.
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
  };
}

/** The app's pino logger (`.logger`) and the function that binds a child of it to each request. */
export function createRequestLogger(config: AppConfig, destination?: NodeJS.WritableStream): HttpLogger {
  return destination ? pinoHttp(requestLogOptions(config), destination as DestinationStream) : pinoHttp(requestLogOptions(config));
}

interface HookRequest {
  id: string;
  raw: IncomingMessage;
}

/**
 * A Fastify onRequest hook: pino-http leaves req.raw.log (the request's child logger, with its
 * reqId) and writes the line when the response finishes. Called directly, never through an
 * async context: the logger travels on the request, like the RequestContext.
 */
export function logRequests(httpLog: HttpLogger): (request: HookRequest, reply: { raw: ServerResponse }, done: () => void) => void {
  return (request, reply, done) => {
    // pino-http keeps an id it finds, so the log line, X-Request-Id and the context agree.
    request.raw.id = request.id;
    httpLog(request.raw, reply.raw);
    done();
  };
}
