import * as fs from 'node:fs';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { PASSWORD } from './helpers';

/**
 * pino writes either to process.stdout (when something, such as jest, has wrapped it) or to
 * fd 1 through sonic-boom, which calls fs.write/fs.writeSync at call time: spying on all
 * three captures every log line the app emits, whichever path pino picked.
 */
describeDb('logs never contain passwords or tokens', () => {
  let t: TestApp;
  const lines: string[] = [];
  const capture = (fd: unknown, data: unknown) => {
    if (fd === 1 || fd === 2) lines.push(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  };

  beforeAll(async () => {
    const write = fs.write;
    const writeSync = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd !== 1 && fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
      capture(fd, data);
      return typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
    }) as typeof writeSync);
    jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd !== 1 && fd !== 2) return (write as (...a: unknown[]) => void)(fd, data, ...rest);
      capture(fd, data);
      const cb = rest.find((r) => typeof r === 'function') as ((e: null, n: number) => void) | undefined;
      const n = typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
      if (cb) process.nextTick(cb, null, n);
    }) as unknown as typeof write);
    jest.spyOn(process.stdout, 'write').mockImplementation(((data: unknown, ...rest: unknown[]) => {
      capture(1, data);
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (cb) process.nextTick(cb);
      return true;
    }) as typeof process.stdout.write);
    t = await createTestApp({ LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await t?.close();
    jest.restoreAllMocks();
  });

  it('logs each request of the flow, and none of its secrets', async () => {
    const secretPassword = `${PASSWORD} unique-Zq8`;
    const reg = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'logs@example.com', password: secretPassword } });
    expect(reg.statusCode).toBe(201);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'logs@example.com', password: 'wrong-Zq8-password' } });
    expect(bad.statusCode).toBe(401);
    const short = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'x@example.com', password: 'short-Zq8' } });
    expect(short.statusCode).toBe(400);
    const pair = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'logs@example.com', password: secretPassword } })).json();
    const me = await t.app.inject({ method: 'GET', url: `/api/auth/me?access_token=${pair.accessToken}`, headers: { authorization: `Bearer ${pair.accessToken}` } });
    expect(me.statusCode).toBe(200);
    const next = (await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: pair.refreshToken } })).json();
    await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: pair.refreshToken } });
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: next.refreshToken } });
    await new Promise((r) => setTimeout(r, 200));

    const log = lines.join('');
    // The capture works: every request left its own line (not just the route table at startup).
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/me', '/api/auth/refresh', '/api/auth/logout']) {
      expect(log).toContain(`"path":"${path}"`);
    }
    for (const secret of [secretPassword, 'wrong-Zq8-password', 'short-Zq8', pair.accessToken, pair.refreshToken, next.accessToken, next.refreshToken]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toContain('$argon2');
    expect(log).not.toMatch(/Bearer ey/);
  });
});
