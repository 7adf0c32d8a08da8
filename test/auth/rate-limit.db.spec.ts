import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, PASSWORD, register } from './helpers';

describeDb('rate limits on login and register', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ AUTH_RATE_LIMIT_IP: '4', AUTH_RATE_LIMIT_ACCOUNT: '2', AUTH_RATE_TTL_SECONDS: '60' });
    await register(t.app, 'target@example.com', PASSWORD);
  });
  afterAll(async () => t?.close());

  const registerFrom = (email: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: PASSWORD }, remoteAddress });

  function expect429(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many attempts. Try again later.' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it('per account: one email is limited however many addresses try it, even with the right password', async () => {
    expect((await login(t.app, 'target@example.com', 'wrong password 1', '10.0.0.1')).statusCode).toBe(401);
    expect((await login(t.app, 'target@example.com', 'wrong password 2', '10.0.0.2')).statusCode).toBe(401);
    expect429(await login(t.app, 'target@example.com', PASSWORD, '10.0.0.3'));
    // The same account in another case and spacing is the same account.
    expect429(await login(t.app, ' TARGET@example.com', PASSWORD, '10.0.0.4'));
    // Another account from a fresh address is untouched.
    expect((await login(t.app, 'someone-else@example.com', PASSWORD, '10.0.0.5')).statusCode).toBe(401);
  });

  it('per IP: one address is limited however many accounts it tries', async () => {
    const ip = '10.1.0.1';
    for (let i = 1; i <= 4; i++) expect((await login(t.app, `spray${i}@example.com`, PASSWORD, ip)).statusCode).toBe(401);
    expect429(await login(t.app, 'spray5@example.com', PASSWORD, ip));
    // Another address is not affected.
    expect((await login(t.app, 'spray6@example.com', PASSWORD, '10.1.0.2')).statusCode).toBe(401);
  });

  it('register is limited per IP and per account too', async () => {
    const ip = '10.2.0.1';
    for (let i = 1; i <= 4; i++) expect((await registerFrom(`new${i}@example.com`, ip)).statusCode).toBe(201);
    expect429(await registerFrom('new5@example.com', ip));

    expect((await registerFrom('same@example.com', '10.3.0.1')).statusCode).toBe(201);
    expect((await registerFrom('same@example.com', '10.3.0.2')).statusCode).toBe(409);
    expect429(await registerFrom('same@example.com', '10.3.0.3'));
  });

  it('counts a request without an email per IP only', async () => {
    const ip = '10.4.0.1';
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { password: PASSWORD }, remoteAddress: ip });
      expect(res.statusCode).toBe(400);
    }
    expect429(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { password: PASSWORD }, remoteAddress: ip }));
  });

  it('does not limit refresh, logout or authenticated routes with these counters', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: 'x'.repeat(43) }, remoteAddress: '10.2.0.1' });
      expect(res.statusCode).toBe(204);
    }
  });
});

describeDb('rate limits behind a reverse proxy (TRUST_PROXY)', () => {
  const PROXY = '10.9.0.1';
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ AUTH_RATE_LIMIT_IP: '2', AUTH_RATE_LIMIT_ACCOUNT: '1000', TRUST_PROXY: PROXY });
  });
  afterAll(async () => t?.close());

  const loginVia = (remoteAddress: string, forwardedFor: string, n: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: `proxied${n}@example.com`, password: PASSWORD },
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('counts each client the trusted proxy names, not the proxy', async () => {
    expect((await loginVia(PROXY, '203.0.113.1', 1)).statusCode).toBe(401);
    expect((await loginVia(PROXY, '203.0.113.1', 2)).statusCode).toBe(401);
    expect((await loginVia(PROXY, '203.0.113.1', 3)).statusCode).toBe(429);
    // Another client behind the same proxy has its own count.
    expect((await loginVia(PROXY, '203.0.113.2', 4)).statusCode).toBe(401);
  });

  it('ignores X-Forwarded-For from anyone else: a client cannot name itself out of its limit', async () => {
    const client = '198.51.100.7';
    expect((await loginVia(client, '203.0.113.10', 5)).statusCode).toBe(401);
    expect((await loginVia(client, '203.0.113.11', 6)).statusCode).toBe(401);
    expect((await loginVia(client, '203.0.113.12', 7)).statusCode).toBe(429);
  });
});
