import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { ConfigError, loadConfig } from '../../src/config/env';
import { createDataSource, SafeDataSource } from '../../src/database/data-source';
import { migrateBeforeStart, migrationConfig } from '../../src/database/migrate';
import { signUp } from '../auth/helpers';
import { createEmptyDatabase, createMigratedDatabase, describeDb, ENGINE, pgUrlFor, TestDatabase } from '../helpers/db';

const describePg = ENGINE === 'postgres' ? describeDb : describe.skip;

function urlAs(database: string, user: string): string {
  const url = new URL(pgUrlFor(database));
  url.username = user;
  return url.toString();
}

describe('MIGRATION_DATABASE_URL', () => {
  it('selects the owner connection for migrations, and the service keeps DATABASE_URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://fractal_app:s3cret@db.example/goals',
      MIGRATION_DATABASE_URL: 'postgres://owner:pw@db.example/goals',
    });
    expect(config.database.location).toBe('postgres://fractal_app:s3cret@db.example/goals');
    expect(config.migrationDatabase).toEqual({
      engine: 'postgres',
      location: 'postgres://owner:pw@db.example/goals',
      display: 'postgres postgres://owner:***@db.example/goals',
    });
    expect(migrationConfig(config).database).toBe(config.migrationDatabase);
    expect(migrationConfig(loadConfig({ DATABASE_URL: 'postgres://a@b/c' })).database.location).toBe('postgres://a@b/c');
  });

  it('is refused with SQLite and when it is not a postgres:// URL', () => {
    expect(() => loadConfig({ DATABASE_PATH: '/tmp/x.db', MIGRATION_DATABASE_URL: 'postgres://a@b/c' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://a@b/c', MIGRATION_DATABASE_URL: 'mysql://a@b/c' })).toThrow(ConfigError);
  });
});

describePg('PostgreSQL pool and timeouts', () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  beforeAll(async () => {
    db = await createMigratedDatabase({ PG_POOL_SIZE: '3', PG_STATEMENT_TIMEOUT_MS: '700', PG_IDLE_IN_TX_TIMEOUT_MS: '4321' });
  });
  afterAll(async () => db?.drop());

  it('reach every pooled connection: pool size, statement_timeout, idle_in_transaction_session_timeout', async () => {
    const pool = (db.dataSource.driver as unknown as { master: { options: { max: number } } }).master;
    expect(pool.options.max).toBe(3);
    // Three connections at once: each one carries the settings, not only the first.
    const runners = [0, 1, 2].map(() => db.dataSource.createQueryRunner());
    try {
      await Promise.all(runners.map((r) => r.connect()));
      const pids = new Set<number>();
      for (const r of runners) {
        const [row] = await r.query(
          `SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS idle`,
        );
        pids.add(row.pid);
        expect({ st: row.st, idle: row.idle }).toEqual({ st: '700ms', idle: '4321ms' });
      }
      expect(pids.size).toBe(3);
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  });

  it('a statement over the timeout is cancelled', async () => {
    await expect(db.dataSource.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
  });

  it('the defaults are 10 connections, 15 s per statement and 30 s idle in a transaction', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://a@b/c' }).pg).toEqual({
      poolSize: 10,
      statementTimeoutMs: 15000,
      idleInTransactionTimeoutMs: 30000,
    });
  });
});

describePg('the API served as fractal_app (RLS in force) with migrations through the owner', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let dataSource: SafeDataSource;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    const config = loadConfig({
      APP_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: urlAs(db.location, 'fractal_app'),
      MIGRATION_DATABASE_URL: pgUrlFor(db.location),
    });
    dataSource = createDataSource(config);
    dataSource.safeRunOptions = { log: () => undefined };
    await dataSource.initialize();
    await migrateBeforeStart(config, dataSource);
    const { createApp } = await import('../../src/app.factory');
    app = await createApp({ config, dataSource });
  });
  afterAll(async () => {
    await app?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('connects as fractal_app, not as the owner', async () => {
    const [row] = await dataSource.query(`SELECT current_user AS who`);
    expect(row.who).toBe('fractal_app');
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
  });

  it('register, create roots, list them, read one: each user sees only their own; the rows are behind RLS', async () => {
    const alice = await signUp(app, 'alice-rls@example.com');
    const bob = await signUp(app, 'bob-rls@example.com');
    const auth = (t: { accessToken: string }) => ({ authorization: `Bearer ${t.accessToken}` });

    const created = await app.inject({ method: 'POST', url: '/api/roots', headers: auth(alice), payload: { name: 'Play piano' } });
    expect(created.statusCode).toBe(201);
    const rootId = created.json().id;
    const bobs = await app.inject({ method: 'POST', url: '/api/roots', headers: auth(bob), payload: { name: 'Run' } });
    expect(bobs.statusCode).toBe(201);

    const list = await app.inject({ method: 'GET', url: '/api/roots', headers: auth(alice) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([rootId]);
    expect((await app.inject({ method: 'GET', url: `/api/roots/${rootId}`, headers: auth(alice) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/roots/${rootId}`, headers: auth(bob) })).statusCode).toBe(404);

    // The same rows, read by the service role with no scope set: invisible.
    const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM goals`);
    expect(row.n).toBe(0);
    const owner = new Client({ connectionString: pgUrlFor(db.location) });
    await owner.connect();
    try {
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM goals`);
      expect(rows[0].n).toBe(2);
    } finally {
      await owner.end();
    }
  });

  it("raw SQL through the service's own unit of work (the request's transaction) sees and changes only its root", async () => {
    const carol = await signUp(app, 'carol-rls@example.com');
    const dan = await signUp(app, 'dan-rls@example.com');
    const auth = (t: { accessToken: string }) => ({ authorization: `Bearer ${t.accessToken}` });
    const carolId = (await app.inject({ method: 'GET', url: '/api/auth/me', headers: auth(carol) })).json().id;
    const carolRoot = (await app.inject({ method: 'POST', url: '/api/roots', headers: auth(carol), payload: { name: 'C' } })).json().id;
    const danRoot = (await app.inject({ method: 'POST', url: '/api/roots', headers: auth(dan), payload: { name: 'D' } })).json().id;

    const { UnitOfWork } = await import('../../src/database/unit-of-work');
    const unitOfWork = app.get(UnitOfWork);
    const seen = await unitOfWork.run({ userId: carolId, rootId: carolRoot }, async (manager) => {
      const rows: { id: string }[] = await manager.query(`SELECT id FROM goals ORDER BY id`);
      const updated = await manager.query(`UPDATE goals SET description = 'raw update'`);
      return { ids: rows.map((r) => r.id), updated: updated[1] as number };
    });
    expect(seen).toEqual({ ids: [carolRoot], updated: 1 });
    const danView = await app.inject({ method: 'GET', url: `/api/roots/${danRoot}`, headers: auth(dan) });
    expect(danView.json().description).toBeNull();
  });
});
