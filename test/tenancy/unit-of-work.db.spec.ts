import { DataSource } from 'typeorm';
import { User } from '../../src/auth/user.entity';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { register } from '../auth/helpers';
import { createTestApp, describeDb, TestApp } from '../helpers/db';

/**
 * better-sqlite3 gives TypeORM one connection. A write that ran while another request's
 * transaction was open would silently join it, and vanish with its rollback.
 */
describeDb('unit of work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it("keeps an account write out of another request's transaction that rolls back", async () => {
    const uow = t.app.get(UnitOfWork);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = uow
      .run({}, async (manager) => {
        await manager.query(`UPDATE users SET display_name = 'x' WHERE 1 = 0`);
        await gate;
        throw new Error('rolled back on purpose');
      })
      .catch((err: Error) => err.message);
    const registering = register(t.app, 'late@example.com');
    await new Promise((r) => setTimeout(r, 400));
    release();
    expect(await failing).toBe('rolled back on purpose');
    expect((await registering).statusCode).toBe(201);
    expect(await t.db.dataSource.getRepository(User).countBy({ email: 'late@example.com' })).toBe(1);
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
    if (!uow.isPostgres) expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    else expect(order.sort()).toEqual(['a:end', 'a:start', 'b:end', 'b:start', 'c:end', 'c:start']);
  });

  it('PostgreSQL: opens every transaction with its scope statement prepared once per connection', async () => {
    const uow = t.app.get(UnitOfWork);
    if (!uow.isPostgres) return;
    const prepared = () =>
      uow.run({ userId: 'u', rootId: 'r' }, async (manager) => {
        const rows: { name: string; root: string }[] = await manager.query(
          `SELECT name, current_setting('app.root_id', true) AS root FROM pg_prepared_statements WHERE name LIKE 'fg\\_%'`,
        );
        return rows;
      });
    const first = await prepared();
    expect(first).toHaveLength(1);
    expect(first[0].root).toBe('r');
    const again = await prepared();
    expect(again.map((r) => r.name)).toEqual(first.map((r) => r.name));
  });

  // Last: it reconnects the app's data source. A statement prepared on the old connection
  // must not be used on the new one.
  it('runs single statements, and prepares them again after a reconnect', async () => {
    const uow = t.app.get(UnitOfWork);
    const sql = `SELECT ${uow.isPostgres ? '$1' : '?'} AS v`;
    expect(await uow.statement(sql, ['before'])).toEqual([{ v: 'before' }]);
    const dataSource = t.app.get(DataSource);
    await dataSource.destroy();
    await dataSource.initialize();
    expect(await uow.statement(sql, ['after'])).toEqual([{ v: 'after' }]);
  });
});
