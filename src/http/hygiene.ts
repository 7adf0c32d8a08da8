import fastifyCors from '@fastify/cors';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/env';

/** What a JSON answer needs: nothing may load, nothing may frame it. */
const API_CSP_DIRECTIVES = { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] };
export const API_CSP = Object.entries(API_CSP_DIRECTIVES)
  .map(([name, values]) => `${name} ${values.join(' ')}`)
  .join('; ');

export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = ['ETag', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'];
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
/** Seconds a browser may reuse a preflight; short, so that a changed CORS_ORIGINS takes effect soon. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Node's server timeouts. Node enforces requestTimeout (and headersTimeout, which follows it)
 * only when it sweeps its connections, every 30 s by default: the sweep runs at a quarter of
 * the timeout instead, so that a slow client is cut close to the time configured.
 */
export function serverTimeouts(http: AppConfig['http']): Pick<FastifyServerOptions, 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout'> & {
  http: { requestTimeout: number; connectionsCheckingInterval: number };
} {
  return {
    connectionTimeout: http.connectionTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    http: {
      requestTimeout: http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(30000, Math.max(250, Math.floor(http.requestTimeoutMs / 4))),
    },
  };
}

/** Helmet's options for the API: the headers of every answer. */
export function helmetOptions(config: AppConfig): Readonly<HelmetOptions> {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS pins browsers to HTTPS for a year: only where the service is behind TLS.
    strictTransportSecurity: config.appEnv === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
  };
}

/**
 * The headers helmet sets with these options, worked out once. They depend on the options
 * alone (no directive here is a function of the request), and @fastify/helmet built helmet's
 * middleware again on every request, options and policy included: 88 to 116 µs of CPU of a hot write in-process
 * (BENCHMARKS.md, "Fourth pass").
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return Object.freeze(headers);
}

/**
 * Security headers, CORS and caching rules for every answer, errors and preflights included.
 * The security headers go first: CORS answers preflights inside its own hook, and those carry
 * them too.
 */
export async function registerHttpHygiene(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const security = securityHeaders(helmetOptions(config));
  app.getHttpAdapter().getInstance().addHook('onRequest', (_request, reply, done) => {
    reply.headers(security);
    done();
  });

  const origins = config.cors.origins;
  await app.register(fastifyCors, {
    // A function, not a list: an origin outside the list gets no CORS header at all, not even on a preflight.
    origin: origins === '*' ? '*' : (origin, cb) => cb(null, origin !== undefined && origins.includes(origin) ? origin : false),
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    // Tokens travel in Authorization, never in cookies: browsers must not send credentials.
    credentials: false,
    // The strict check answers a bare OPTIONS in text/plain; without it every answer stays JSON or empty.
    strictPreflight: false,
  });

  // Answers under /api, and any answer to a request with a token, hold a user's data or tokens
  // (login and refresh answers, 401s included): no cache may keep them. Elsewhere no-store is only
  // the default, so that static assets keep their own caching.
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply, payload) => {
    if (/^\/api(\/|\?|$)/.test(request.url) || request.headers.authorization !== undefined || !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
