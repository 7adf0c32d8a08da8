import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
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

/**
 * Security headers, CORS and caching rules for every answer, errors and preflights included.
 * Helmet goes first: CORS answers preflights inside its own hook, and those carry the headers too.
 */
export async function registerHttpHygiene(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS pins browsers to HTTPS for a year: only where the service is behind TLS.
    strictTransportSecurity: config.appEnv === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
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
