import { randomUUID } from 'node:crypto';
import { dialectOf } from '../../src/database/dialect';
import { undoThrough } from '../foundation/helpers';
import { createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';
import { SafeDataSource } from '../../src/database/data-source';

/** AnalyticsTimeZone: users.time_zone and the sessions-by-start index; down() takes both away and keeps the users. */
describeDb(`AnalyticsTimeZone migration (${ENGINE})`, () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(async () => db?.drop());

  const indexNames = async (ds: SafeDataSource): Promise<string[]> =>
    (ENGINE === 'postgres'
      ? await ds.query(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'goals'`)
      : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'goals'`)
    ).map((r: { name: string }) => r.name);

  it('adds a nullable time_zone to users and the index; down removes both, up again restores them', async () => {
    const ds = db.dataSource;
    const sql = (text: string, params: unknown[] = []) => ds.query(dialectOf(ds).sql(text), params);
    const id = randomUUID();
    await sql(`INSERT INTO users (id, email, time_zone) VALUES (?, ?, ?)`, [id, 'tz@example.com', 'Europe/Berlin']);
    expect(await indexNames(ds)).toContain('idx_goals_root_session_start');

    await undoThrough(ds, 'AnalyticsTimeZone1767225600520');
    await expect(sql(`SELECT time_zone FROM users`)).rejects.toThrow();
    expect(await indexNames(ds)).not.toContain('idx_goals_root_session_start');
    expect(await sql(`SELECT email FROM users WHERE id = ?`, [id])).toEqual([{ email: 'tz@example.com' }]);

    await ds.runMigrations();
    expect(await sql(`SELECT time_zone FROM users WHERE id = ?`, [id])).toEqual([{ time_zone: null }]);
    expect(await indexNames(ds)).toContain('idx_goals_root_session_start');
  });
});
