import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { API_CSP } from '../../src/http/hygiene';
import { signUp } from '../auth/helpers';
import { createTestApp, describeDb, TestApp } from '../helpers/db';

const APP_ORIGIN = 'https://app.example.com';
const OTHER_ORIGIN = 'https://evil.example.com';
const PRODUCTION_SECRET = 'a-production-secret-of-at-least-32-characters';

const corsHeaders = (res: InjectResponse) => Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
const list = (value: unknown) => String(value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

function preflight(origin: string, method = 'POST', headers = 'authorization, content-type, if-match, idempotency-key'): InjectOptions {
  return {
    method: 'OPTIONS',
    url: '/api/roots',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  };
}

describeDb('HTTP hygiene', () => {
  let t: TestApp;
  let token: string;
  let refreshToken: string;
  let rootId: string;
  const auth = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: `${APP_ORIGIN}, http://localhost:5173` });
    ({ accessToken: token, refreshToken } = await signUp(t.app, 'hygiene@example.com'));
    rootId = (await t.app.inject({ method: 'POST', url: '/api/roots', headers: auth(), payload: { name: 'Headers' } })).json().id;
  });
  afterAll(async () => t?.close());

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with 204, the methods, the headers and a max-age', async () => {
      const res = await t.app.inject(preflight(APP_ORIGIN));
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(list(res.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['get', 'post', 'patch', 'delete']));
      expect(list(res.headers['access-control-allow-headers'])).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'if-match', 'idempotency-key']),
      );
      expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
      expect(list(res.headers.vary)).toContain('origin');
      // No credentials mode: tokens travel in Authorization, never in cookies.
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('answers a preflight from every listed origin, each with its own origin', async () => {
      const res = await t.app.inject(preflight('http://localhost:5173', 'PATCH'));
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    });

    it.each([OTHER_ORIGIN, 'https://app.example.com.evil.example', 'http://app.example.com', 'null'])(
      'gives a preflight from %s no CORS header at all',
      async (origin) => {
        const res = await t.app.inject(preflight(origin));
        expect(corsHeaders(res)).toEqual([]);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.headers['content-type']).toMatch(/application\/json/);
      },
    );

    it('lets an allowed origin read answers and the ETag, Retry-After and request id headers', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/roots/${rootId}`, headers: { ...auth(), origin: APP_ORIGIN } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(list(res.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['etag', 'retry-after']));
      expect(res.headers.etag).toBeDefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('gives answers to another origin no CORS header, so its scripts cannot read them', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/roots/${rootId}`, headers: { ...auth(), origin: OTHER_ORIGIN } });
      expect(res.statusCode).toBe(200);
      expect(corsHeaders(res)).toEqual([]);
    });
  });

  describe('security headers', () => {
    // Successes, every kind of error, preflights and answers written by Fastify itself.
    const requests = (): [string, InjectOptions][] => [
      ['liveness', { method: 'GET', url: '/health' }],
      ['readiness', { method: 'GET', url: '/health/ready' }],
      ['unknown route', { method: 'GET', url: '/nope' }],
      ['no token', { method: 'GET', url: '/api/roots' }],
      ['bad token', { method: 'GET', url: '/api/roots', headers: { authorization: 'Bearer nope' } }],
      ['a list', { method: 'GET', url: '/api/roots', headers: auth() }],
      ['a create', { method: 'POST', url: '/api/roots', headers: auth(), payload: { name: `Another ${Date.now()}` } }],
      ['validation error', { method: 'POST', url: '/api/roots', headers: auth(), payload: { name: 5, extra: 1 } }],
      ['malformed JSON', { method: 'POST', url: '/api/roots', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"name":' }],
      ['body too large', { method: 'POST', url: '/api/roots', headers: auth(), payload: { name: 'x'.repeat(1024 * 1024 + 10) } }],
      ['unknown root', { method: 'GET', url: '/api/roots/00000000-0000-4000-8000-000000000000', headers: auth() }],
      ['preflight', preflight(APP_ORIGIN)],
      ['foreign preflight', preflight(OTHER_ORIGIN)],
      ['bare OPTIONS', { method: 'OPTIONS', url: '/api/roots' }],
      ['login', { method: 'POST', url: '/api/auth/login', payload: { email: 'hygiene@example.com', password: 'wrong password' } }],
    ];

    it('every answer carries nosniff, no-referrer, DENY framing and the API policy', async () => {
      const statuses = new Set<number>();
      for (const [what, options] of requests()) {
        const res = await t.app.inject(options);
        statuses.add(res.statusCode);
        expect({
          what,
          nosniff: res.headers['x-content-type-options'],
          referrer: res.headers['referrer-policy'],
          frame: res.headers['x-frame-options'],
          csp: res.headers['content-security-policy'],
        }).toEqual({ what, nosniff: 'nosniff', referrer: 'no-referrer', frame: 'DENY', csp: API_CSP.replace(/; /g, ';') });
      }
      // The list really covers successes, client errors of each kind and preflights.
      expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 201, 204, 400, 401, 404, 413]));
    });

    it("carries helmet's other headers as well, worked out once at start and the same on every answer", async () => {
      const answers = await Promise.all([{ method: 'GET', url: '/health' }, { method: 'GET', url: '/api/roots', headers: auth() }, preflight(APP_ORIGIN)].map((o) => t.app.inject(o as InjectOptions)));
      for (const res of answers) {
        expect(res.headers).toMatchObject({
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
          'origin-agent-cluster': '?1',
          'x-dns-prefetch-control': 'off',
          'x-download-options': 'noopen',
          'x-permitted-cross-domain-policies': 'none',
          'x-xss-protection': '0',
        });
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('sends no HSTS outside production: it would pin a developer browser to HTTPS on localhost', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/health' });
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sends HSTS in production, on every answer', async () => {
      const prod = await createTestApp({ APP_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET, CORS_ORIGINS: APP_ORIGIN });
      try {
        for (const options of [{ method: 'GET', url: '/health' }, { method: 'GET', url: '/api/roots' }, preflight(APP_ORIGIN)] as InjectOptions[]) {
          const res = await prod.app.inject(options);
          expect({ url: options.url, hsts: res.headers['strict-transport-security'] }).toEqual({
            url: options.url,
            hsts: 'max-age=31536000; includeSubDomains',
          });
        }
      } finally {
        await prod.close();
      }
    });
  });

  describe('Cache-Control', () => {
    it('every authenticated answer is no-store, errors included', async () => {
      const answers: [string, InjectOptions][] = [
        ['me', { method: 'GET', url: '/api/auth/me', headers: auth() }],
        ['list', { method: 'GET', url: '/api/roots', headers: auth() }],
        ['one, with an ETag', { method: 'GET', url: `/api/roots/${rootId}`, headers: auth() }],
        ['create', { method: 'POST', url: '/api/roots', headers: auth(), payload: { name: 'Cached?' } }],
        ['stale If-Match', { method: 'PATCH', url: `/api/roots/${rootId}`, headers: { ...auth(), 'if-match': '"999"' }, payload: { description: 'x' } }],
        ['unknown root', { method: 'GET', url: '/api/roots/00000000-0000-4000-8000-000000000000', headers: auth() }],
        ['bad body', { method: 'POST', url: '/api/roots', headers: auth(), payload: { nope: 1 } }],
        ['admin route, not an admin', { method: 'GET', url: '/api/admin/users', headers: auth() }],
        ['bad token (401)', { method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer not-a-token' } }],
        ['no token (401)', { method: 'GET', url: '/api/auth/me' }],
      ];
      const statuses = new Set<number>();
      for (const [what, options] of answers) {
        const res = await t.app.inject(options);
        statuses.add(res.statusCode);
        expect({ what, cacheControl: res.headers['cache-control'] }).toEqual({ what, cacheControl: 'no-store' });
      }
      expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 400, 401, 403, 404, 412]));
    });

    it('answers that carry tokens are no-store: register, login, refresh', async () => {
      const register = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'cache@example.com', password: 'correct horse battery' } });
      const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'cache@example.com', password: 'correct horse battery' } });
      const refresh = await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
      expect([register.statusCode, login.statusCode, refresh.statusCode]).toEqual([201, 200, 200]);
      expect(login.json().accessToken).toBeDefined();
      for (const res of [register, login, refresh]) expect(res.headers['cache-control']).toBe('no-store');
    });
  });
});
