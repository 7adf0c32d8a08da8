import { User } from '../../src/auth/user.entity';
import { signUp } from '../auth/helpers';
import { createTestApp, describeDb, ENGINE, TestApp } from '../helpers/db';

describeDb('admin: database status', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let user: string;
  const get = (token: string | undefined, url: string) =>
    t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signUp(t.app, 'admin@example.com')).accessToken;
    await t.db.dataSource.getRepository(User).update({ email: 'admin@example.com' }, { role: 'admin' });
    adminId = (await get(admin, '/api/auth/me')).json().id;
    user = (await signUp(t.app, 'user@example.com')).accessToken;
  });
  afterAll(async () => t?.close());

  it('tells an administrator the engine, the database (as printed at start), its version and the migrations', async () => {
    const res = await get(admin, '/api/admin/db/status');
    expect(res.statusCode).toBe(200);
    const known = t.db.dataSource.migrations.map((m) => m.name);
    expect(known.length).toBeGreaterThan(0);
    expect(res.json()).toEqual({
      environment: 'test',
      engine: ENGINE,
      database: t.config.database.display,
      serverVersion: expect.stringMatching(/^\d+(\.\d+)+/),
      migrations: { applied: known, pending: [] },
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('names a pending migration', async () => {
    const ds = t.db.dataSource;
    const [last] = await ds.query(`SELECT id, timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1`);
    await ds.query(`DELETE FROM migrations WHERE id = ${Number(last.id)}`);
    try {
      const res = await get(admin, '/api/admin/db/status');
      expect(res.json().migrations.pending).toEqual([last.name]);
      expect(res.json().migrations.applied).not.toContain(last.name);
    } finally {
      await ds.query(`INSERT INTO migrations (id, timestamp, name) VALUES (${Number(last.id)}, ${Number(last.timestamp)}, '${last.name}')`);
    }
  });

  it('is audited like every other admin route', async () => {
    const audit = (await get(admin, '/api/admin/audit?limit=200')).json().items as { action: string; actorUserId: string }[];
    expect(audit.filter((a) => a.action === 'db.status' && a.actorUserId === adminId).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses everyone else: 403 to a user, 401 without a token, and tells them nothing', async () => {
    const refused = await get(user, '/api/admin/db/status');
    expect(refused.statusCode).toBe(403);
    const anonymous = await get(undefined, '/api/admin/db/status');
    expect(anonymous.statusCode).toBe(401);
    for (const res of [refused, anonymous]) {
      expect(res.body).not.toContain(t.config.database.display);
      expect(res.body).not.toContain(t.db.location);
    }
  });
});
