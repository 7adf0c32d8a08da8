import Database from 'better-sqlite3';
import { createApp } from '../../src/app.factory';
import { createDataSource } from '../../src/database/data-source';
import { cleanEnv, PROJECT_ROOT, run } from '../foundation/helpers';
import { createMigratedDatabase, TestDatabase } from '../helpers/db';

/** npm run seed:demo against a temporary database: the demo account, its fractal, and a login with what it printed. */
describe('npm run seed:demo', () => {
  let db: TestDatabase;
  const seed = () =>
    run('npm', ['run', '-s', 'seed:demo'], {
      cwd: PROJECT_ROOT,
      env: cleanEnv({ APP_ENV: 'test', DATABASE_PATH: db.location, BACKUP_DIR: db.backupDir }),
      timeoutMs: 120_000,
    });
  const count = (sql: string) => {
    const sqlite = new Database(db.location, { readonly: true });
    try {
      return (sqlite.prepare(sql).get() as { n: number }).n;
    } finally {
      sqlite.close();
    }
  };

  beforeAll(async () => {
    const migrated = await createMigratedDatabase();
    await migrated.dataSource.destroy();
    db = migrated;
  });
  afterAll(async () => db?.drop());

  it('creates the demo account with a full fractal through the services, prints how to log in, and refuses a second run', async () => {
    const r = await seed();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`seed:demo environment=test database=sqlite ${db.location}`);
    const password = /password (\S+)/.exec(r.stdout)![1];
    const rootId = /Its root (\S+):/.exec(r.stdout)![1];
    expect(r.stdout).toContain('curl -s -X POST http://127.0.0.1:3000/api/auth/login');

    const types = (type: string) => count(`SELECT COUNT(*) AS n FROM goals WHERE root_id = '${rootId}' AND type = '${type}' AND deleted_at IS NULL`);
    expect([types('LongTermGoal'), types('MidTermGoal'), types('ShortTermGoal'), types('PracticeSession')]).toEqual([2, 2, 3, 8]);
    expect(count(`SELECT COUNT(*) AS n FROM goals WHERE type = 'PracticeSession' AND completed = 1`)).toBe(7);
    expect(count(`SELECT COUNT(*) AS n FROM activity_definitions WHERE group_id IS NOT NULL`)).toBe(3);
    expect(count(`SELECT COUNT(*) AS n FROM split_definitions`)).toBe(2);
    expect(count(`SELECT COUNT(*) AS n FROM session_templates`)).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM activity_sets`)).toBe(7 * 3);
    expect(count(`SELECT COUNT(*) AS n FROM metric_values`)).toBe(7 * (2 + 6 + 1));

    // The printed password logs in, and the API answers the fractal: one session in progress, its timer running.
    const config = { ...db.config };
    const ds = createDataSource(config);
    await ds.initialize();
    const app = await createApp({ config, dataSource: ds });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'demo@example.com', password } });
      expect(login.statusCode).toBe(200);
      const auth = { authorization: `Bearer ${login.json().accessToken}` };
      const active = (await app.inject({ method: 'GET', url: `/api/roots/${rootId}/sessions/active`, headers: auth })).json().session;
      expect(active).toMatchObject({ completed: false });
      expect(active.instances[0].timer).toBe('running');
      const week = (await app.inject({ method: 'GET', url: `/api/roots/${rootId}/sessions?completed=true`, headers: auth })).json().items;
      expect(week).toHaveLength(7);
    } finally {
      await app.close();
      if (ds.isInitialized) await ds.destroy();
    }

    const again = await seed();
    expect({ code: again.code, stderr: again.stderr.trim() }).toEqual({
      code: 1,
      stderr: 'The demo account demo@example.com exists already: nothing was changed. Reset its password with npm run user:set-password -- demo@example.com.',
    });
    expect(count(`SELECT COUNT(*) AS n FROM users`)).toBe(1);
  }, 300_000);
});
