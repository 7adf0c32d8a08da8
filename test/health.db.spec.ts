import { signUp } from './auth/helpers';
import { createTestApp, describeDb, ENGINE, TestApp } from './helpers/db';

describeDb('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  /** Nothing in an anonymous answer may say where the data is or what it runs on. */
  const disclosesNothing = (body: string) => {
    for (const secret of [t.config.database.location, t.db.location, t.config.database.display, ENGINE, 'sqlite', 'postgres', 'migration', 'goals.db']) {
      expect({ body, secret, found: body.includes(secret) }).toEqual({ body, secret, found: false });
    }
  };

  it('GET /health answers status and environment only: no engine, no path, no URL', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', environment: 'test' });
    disclosesNothing(res.body);
  });

  it('a token changes nothing: /health is the same for everyone', async () => {
    const { accessToken } = await signUp(t.app, 'health@example.com');
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.json()).toEqual({ status: 'ok', environment: 'test' });
  });

  it('GET /health/ready checks the database and the migrations, and answers status and environment only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', environment: 'test' });
    disclosesNothing(res.body);
  });

  it('GET /health/ready answers 503 while a migration is pending, without naming it', async () => {
    const ds = t.db.dataSource;
    const [last] = await ds.query(`SELECT id, timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1`);
    await ds.query(`DELETE FROM migrations WHERE id = ${Number(last.id)}`);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'error', environment: 'test' });
      expect(res.body).not.toContain(last.name);
      disclosesNothing(res.body);
    } finally {
      await ds.query(`INSERT INTO migrations (id, timestamp, name) VALUES (${Number(last.id)}, ${Number(last.timestamp)}, '${last.name}')`);
    }
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('answers unknown routes with the shared error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /nope' });
  });
});
