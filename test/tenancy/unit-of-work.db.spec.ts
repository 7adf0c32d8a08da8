import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { User } from '../../src/auth/user.entity';
import { dialectOf } from '../../src/database/dialect';
import { sqliteConnection } from '../../src/database/dialects/driver-internals';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { register, signUp } from '../auth/helpers';
import { createTestApp, describeDb, ENGINE, TestApp } from '../helpers/db';

const itPg = ENGINE === 'postgres' ? it : it.skip;
const itSqlite = ENGINE === 'sqlite' ? it : it.skip;

/** Holds a unit of work open until released, then rolls it back. */
function heldOpen(uow: UnitOfWork, work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>, userId?: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let opened!: (err?: Error) => void;
  const ready = new Promise<void>((resolve, reject) => (opened = (err) => (err ? reject(err) : resolve())));
  const done = uow
    .run({ userId }, async (manager) => {
      await work((sql, params = []) => manager.query(dialectOf(manager.connection).sql(sql), params));
      opened();
      await gate;
      throw new Error('rolled back on purpose');
    })
    .catch((err: Error) => {
      opened(err);
      return err.message;
    });
  return { ready, release: () => (release(), done) };
}

describeDb('unit of work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it("keeps an account write out of another request's transaction that rolls back", async () => {
    const uow = t.app.get(UnitOfWork);
    const held = heldOpen(uow, async (query) => {
      await query(`UPDATE users SET display_name = 'x' WHERE 1 = 0`);
    });
    await held.ready;
    const registering = register(t.app, 'late@example.com');
    await new Promise((r) => setTimeout(r, 200));
    expect(await held.release()).toBe('rolled back on purpose');
    expect((await registering).statusCode).toBe(201);
    expect(await t.db.dataSource.getRepository(User).countBy({ email: 'late@example.com' })).toBe(1);
  });

  it("finding g: no read, and no admission, sees another request's uncommitted writes", async () => {
    const { accessToken } = await signUp(t.app, 'reader@example.com');
    const userId = (await get('/api/auth/me', accessToken)).json().id;
    const uncommittedRoot = randomUUID();
    const held = heldOpen(t.app.get(UnitOfWork), async (query) => {
      await query(`INSERT INTO goals (id, root_id, user_id, type, name) VALUES (?, ?, ?, 'UltimateGoal', 'Uncommitted')`, [uncommittedRoot, uncommittedRoot, userId]);
      await query(`UPDATE users SET display_name = 'Uncommitted', is_active = ? WHERE id = ?`, [ENGINE === 'postgres' ? false : 0, userId]);
    }, userId);
    await held.ready;
    try {
      // The account is active as committed: admitted; the uncommitted name and root are invisible.
      const meRes = await get('/api/auth/me', accessToken);
      expect(meRes.statusCode).toBe(200);
      expect(meRes.json().displayName).toBeNull();
      const list = await get('/api/roots?limit=200', accessToken);
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((r: { id: string }) => r.id)).not.toContain(uncommittedRoot);
      expect((await get(`/api/roots/${uncommittedRoot}`, accessToken)).statusCode).toBe(404);
    } finally {
      expect(await held.release()).toBe('rolled back on purpose');
    }
    expect((await get(`/api/roots/${uncommittedRoot}`, accessToken)).statusCode).toBe(404);
  });

  it('runs queued units one at a time, in order, each in its own transaction', async () => {
    const uow = t.app.get(UnitOfWork);
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        uow.run({}, async () => {
          order.push(`${name}:start`);
          await new Promise((r) => setTimeout(r, 20));
          order.push(`${name}:end`);
        }),
      ),
    );
    if (uow.dialect.oneConnection) expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    else expect(order.sort()).toEqual(['a:end', 'a:start', 'b:end', 'b:start', 'c:end', 'c:start']);
  });

  itPg('PostgreSQL: opens every transaction with its scope statement, prepared once per connection', async () => {
    const uow = t.app.get(UnitOfWork);
    const prepared = () =>
      uow.run({ userId: 'u', rootId: 'r' }, async (manager) => {
        const rows: { name: string; root: string }[] = await manager.query(
          `SELECT name, current_setting('app.root_id', true) AS root FROM pg_prepared_statements WHERE name LIKE 'fg\\_%'`,
        );
        return rows;
      });
    const first = await prepared();
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(first[0].root).toBe('r');
    const again = await prepared();
    expect(again.map((r) => r.name).sort()).toEqual(first.map((r) => r.name).sort());
  });

  itSqlite('SQLite: a writing unit holds the write lock from its start, so that another process cannot commit between its read and its write', async () => {
    const Database = (await import('better-sqlite3')).default;
    const outside = new Database(t.db.location, { timeout: 0 });
    try {
      let blocked: string | undefined;
      await t.app.get(UnitOfWork).run({}, async (manager) => {
        await manager.query(`SELECT count(*) AS n FROM users`);
        try {
          outside.prepare(`UPDATE users SET display_name = 'outside' WHERE 1 = 0`).run();
        } catch (err) {
          blocked = (err as { code?: string }).code;
        }
        // Without the lock the outside commit lands, and this write fails with SQLITE_BUSY_SNAPSHOT.
        await manager.query(`UPDATE users SET display_name = display_name WHERE 1 = 0`);
      });
      expect(blocked).toBe('SQLITE_BUSY');
    } finally {
      outside.close();
    }
  });

  itSqlite('SQLite: prepares the opening statement once per connection', async () => {
    const { accessToken } = await signUp(t.app, 'prepared@example.com');
    const connection = sqliteConnection(t.app.get(DataSource));
    const spy = jest.spyOn(connection, 'prepare');
    try {
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { authorization: `Bearer ${accessToken}` }, payload: { displayName: `n${i}` } });
        expect(res.statusCode).toBe(200);
      }
      const openings = spy.mock.calls.filter(([sql]) => String(sql).startsWith('SELECT id, email, role, is_active, token_version FROM users'));
      expect(openings.length).toBeLessThanOrEqual(1);
    } finally {
      spy.mockRestore();
    }
  });

  // Last: it reconnects the app's data source. A statement prepared on the old connection
  // must not be used on the new one.
  it('prepares the opening statement again after a reconnect', async () => {
    const { accessToken } = await signUp(t.app, 'reconnect@example.com');
    const patch = (name: string) =>
      t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { authorization: `Bearer ${accessToken}` }, payload: { displayName: name } });
    expect((await patch('before')).statusCode).toBe(200);
    const dataSource = t.app.get(DataSource);
    await dataSource.destroy();
    await dataSource.initialize();
    const after = await patch('after');
    expect(after.statusCode).toBe(200);
    expect(after.json().displayName).toBe('after');
  });
});
