import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { cleanEnv, PROJECT_ROOT, run } from '../foundation/helpers';
import { createMigratedDatabase, TestDatabase } from '../helpers/db';

/** npm run trash:purge on the environment's database (SQLite): what it removes, what it says, and a bad retention. */
describe('npm run trash:purge', () => {
  let db: TestDatabase;
  const oldDeletion = randomUUID();
  const recentDeletion = randomUUID();
  const purge = (env: Record<string, string> = {}) =>
    run('npm', ['run', '-s', 'trash:purge'], {
      cwd: PROJECT_ROOT,
      env: cleanEnv({ APP_ENV: 'test', DATABASE_PATH: db.location, BACKUP_DIR: db.backupDir, ...env }),
      timeoutMs: 120_000,
    });
  const groups = () => {
    const sqlite = new Database(db.location, { readonly: true });
    try {
      return (sqlite.prepare(`SELECT name FROM activity_groups ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    } finally {
      sqlite.close();
    }
  };

  beforeAll(async () => {
    const migrated = await createMigratedDatabase();
    const ds = migrated.dataSource;
    const userId = randomUUID();
    const rootId = randomUUID();
    await ds.getRepository('User').insert({ id: userId, email: 'purge@example.com' });
    await ds.getRepository('Goal').insert({ id: rootId, rootId, userId, type: 'UltimateGoal', name: 'Root' });
    const group = (name: string, deleted?: { at: Date; id: string }) =>
      ds.getRepository('ActivityGroup').insert({ id: randomUUID(), rootId, name, createdBy: userId, updatedBy: userId, deletedAt: deleted?.at ?? null, deletionId: deleted?.id ?? null });
    await group('Live');
    await group('Old', { at: new Date(Date.now() - 40 * 86_400_000), id: oldDeletion });
    await group('Recent', { at: new Date(Date.now() - 10 * 86_400_000), id: recentDeletion });
    await ds.destroy();
    db = migrated;
  });
  afterAll(async () => db?.drop());

  it('refuses a bad TRASH_RETENTION_DAYS (exit 2) and changes nothing', async () => {
    const r = await purge({ TRASH_RETENTION_DAYS: '-1' });
    expect({ code: r.code, stderr: r.stderr.trim() }).toEqual({ code: 2, stderr: 'TRASH_RETENTION_DAYS must be an integer from 0 to 36500, got "-1".' });
    expect(groups()).toEqual(['Live', 'Old', 'Recent']);
  }, 150_000);

  it('removes the deletions older than the retention, says which database and what it removed', async () => {
    const r = await purge();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`trash:purge environment=test database=sqlite ${db.location}`);
    expect(lines[1]).toMatch(/^Deletions older than 30 days \(before \d{4}-.*Z\): 1 purged, 0 kept\.$/);
    expect(lines.slice(2)).toEqual(['  activity_groups: 1 rows removed']);
    expect(groups()).toEqual(['Live', 'Recent']);
    const none = await purge({ TRASH_RETENTION_DAYS: '15' });
    expect(none.stdout.trim().split('\n').slice(1)).toEqual([expect.stringMatching(/: 0 purged, 0 kept\.$/)]);
    const all = await purge({ TRASH_RETENTION_DAYS: '0' });
    expect(all.stdout.trim().split('\n').slice(2)).toEqual(['  activity_groups: 1 rows removed']);
    expect(groups()).toEqual(['Live']);
  }, 300_000);
});
