import { PassThrough } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { createMigratedDatabase } from '../helpers/db';

describe('request logs', () => {
  let app: NestFastifyApplication;
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createMigratedDatabase({ LOG_LEVEL: 'info' });
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    app = await createApp({ config: db.config, dataSource: db.dataSource, logDestination: sink });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('writes one JSON line per request with its request id, and never a password or token', async () => {
    const password = 'a very secret passphrase';
    const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, payload, headers });
    expect((await post('/api/auth/register', { email: 'log@example.com', password })).statusCode).toBe(201);
    const login = await post('/api/auth/login', { email: 'log@example.com', password }, { 'x-request-id': 'trace-42' });
    const { accessToken, refreshToken } = login.json();
    expect(login.headers['x-request-id']).toBe('trace-42');
    await app.inject({ method: 'GET', url: `/api/roots?token=${accessToken}`, headers: { authorization: `Bearer ${accessToken}` } });
    await post('/api/auth/refresh', { refreshToken });
    await new Promise((r) => setImmediate(r));

    const completed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(4);
    expect(completed[1]).toMatchObject({ reqId: 'trace-42', req: { method: 'POST', path: '/api/auth/login' }, res: { statusCode: 200 } });
    for (const entry of completed) {
      expect(typeof entry.reqId).toBe('string');
      expect(entry).toMatchObject({ level: 30, req: { id: entry.reqId }, responseTime: expect.any(Number) });
    }
    // The query string (here a token) never reaches the line: the path does.
    expect(completed[2].req.path).toBe('/api/roots');
    const all = lines.join('\n');
    expect(all).not.toContain('token=');
    for (const secret of [password, accessToken, refreshToken]) expect(all).not.toContain(secret);
  });
});

describe('request logs of answers no route gave', () => {
  it('logs a request that Fastify refused before any route, with the id it answered', async () => {
    const db = await createMigratedDatabase({ LOG_LEVEL: 'info' });
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const app = await createApp({ config: db.config, dataSource: db.dataSource, logDestination: sink });
    try {
      const res = await app.inject({ method: 'GET', url: '/no/such/route' });
      expect(res.statusCode).toBe(404);
      await new Promise((r) => setImmediate(r));
      const entries = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
      expect(entries).toEqual([expect.objectContaining({ reqId: res.headers['x-request-id'], req: expect.objectContaining({ path: '/no/such/route' }), res: { statusCode: 404 } })]);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
