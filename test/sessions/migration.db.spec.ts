import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '../../migrations';
import { DUPLICATE_VALUES_DELETION_ID, PracticeSessions1767225600400 } from '../../migrations/1767225600400-PracticeSessions';
import { dataSourceOptions, SafeDataSource } from '../../src/database/data-source';
import { dialectOf } from '../../src/database/dialect';
import { createEmptyDatabase, describeDb, TestDatabase } from '../helpers/db';

/**
 * PracticeSessions on a database that already holds values sharing a slot (a PostgreSQL
 * database copied from an adopted file before this migration, or such a file): the unique
 * keys are tried first, and on the duplicate they meet the values are separated (sets where
 * the activity has them, the newest kept otherwise) and the keys built again, in the same
 * transaction. Down gives every row back.
 */
describeDb('PracticeSessions migration with values that share a slot', () => {
  let db: TestDatabase;
  const ids = new Map<string, string>();
  const id = (tag: string) => ids.get(tag) ?? (ids.set(tag, randomUUID()), ids.get(tag)!);
  const dataSource = (upTo: number) => {
    const ds = new SafeDataSource({ ...dataSourceOptions(db.config), migrations: MIGRATIONS.slice(0, upTo) });
    ds.safeRunOptions = { backupDir: db.backupDir, log: () => undefined };
    return ds;
  };
  const withDs = async <T>(upTo: number, work: (ds: SafeDataSource) => Promise<T>): Promise<T> => {
    const ds = dataSource(upTo);
    await ds.initialize();
    try {
      return await work(ds);
    } finally {
      await ds.destroy();
    }
  };
  const mine = MIGRATIONS.indexOf(PracticeSessions1767225600400);

  beforeAll(async () => {
    db = await createEmptyDatabase();
    await withDs(mine, async (ds) => {
      await ds.runMigrations();
      const sql = (text: string, params: unknown[]) => ds.query(dialectOf(ds).sql(text), params);
      const insert = (table: string, row: Record<string, unknown>) =>
        sql(`INSERT INTO "${table}" (${Object.keys(row).map((c) => `"${c}"`).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`, Object.values(row));
      const root = id('root');
      await insert('users', { id: id('user'), email: 'dup@example.com' });
      await insert('goals', { id: root, root_id: root, user_id: id('user'), type: 'UltimateGoal', name: 'Root' });
      await insert('goals', { id: id('stg'), root_id: root, parent_id: root, type: 'ShortTermGoal', name: 'Short' });
      await insert('goals', { id: id('session'), root_id: root, parent_id: id('stg'), type: 'PracticeSession', name: 'Session' });
      await insert('activity_definitions', { id: id('press'), root_id: root, name: 'Press', has_sets: true });
      await insert('activity_definitions', { id: id('curl'), root_id: root, name: 'Curl', has_sets: false });
      await insert('metric_definitions', { id: id('kg'), root_id: root, activity_id: id('press'), name: 'kg', unit: 'kg' });
      await insert('metric_definitions', { id: id('reps'), root_id: root, activity_id: id('curl'), name: 'reps', unit: 'reps' });
      await insert('split_definitions', { id: id('left'), root_id: root, activity_id: id('curl'), name: 'Left' });
      for (const [instance, activity] of [['i-press', 'press'], ['i-curl', 'curl']]) {
        await insert('activity_instances', { id: id(instance), root_id: root, practice_session_id: id('session'), activity_definition_id: id(activity) });
      }
      const value = (tag: string, instance: string, metric: string, v: number, second: number, split?: string) =>
        insert('metric_values', {
          id: id(tag),
          root_id: root,
          activity_instance_id: id(instance),
          metric_definition_id: id(metric),
          split_definition_id: split ? id(split) : null,
          value: v,
          created_at: new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString().replace('T', ' ').replace('Z', ''),
        });
      await value('k2', 'i-press', 'kg', 52, 2);
      await value('k1', 'i-press', 'kg', 50, 1);
      await value('r1', 'i-curl', 'reps', 8, 3, 'left');
      await value('r2', 'i-curl', 'reps', 9, 4, 'left');
      await value('u1', 'i-curl', 'reps', 5, 5);
      await value('u2', 'i-curl', 'reps', 6, 6);
    });
  });
  afterAll(async () => db?.drop());

  const values = (ds: SafeDataSource) => ds.query(`SELECT id, set_index, deletion_id FROM metric_values ORDER BY value`);
  const byTag = (rows: { id: string }[]) => Object.fromEntries([...ids].map(([tag, v]) => [v, tag]).filter(([v]) => rows.some((r) => r.id === v)));

  it('numbers the sets, keeps the newest of the rest, and builds the unique keys', async () => {
    // Through this migration only: later ones (Notes) are not its concern.
    await withDs(mine + 1, async (ds) => {
      expect((await ds.runMigrations()).map((m) => m.name)).toEqual(['PracticeSessions1767225600400']);
      const rows = await values(ds);
      const tags = byTag(rows);
      expect(rows.map((r: any) => [tags[r.id], Number(r.set_index), r.deletion_id])).toEqual([
        ['u1', 0, DUPLICATE_VALUES_DELETION_ID],
        ['u2', 0, null],
        ['r1', 0, DUPLICATE_VALUES_DELETION_ID],
        ['r2', 0, null],
        ['k1', 0, null],
        ['k2', 1, null],
      ]);
      const again = dialectOf(ds).sql(`INSERT INTO metric_values (id, root_id, activity_instance_id, metric_definition_id, value) VALUES (?, ?, ?, ?, 1)`);
      await expect(ds.query(again, [randomUUID(), id('root'), id('i-curl'), id('reps')])).rejects.toThrow(/unique|UNIQUE/);
    });
  });

  it('down gives every row back live; up again does the same again', async () => {
    await withDs(mine + 1, async (ds) => {
      const after = await values(ds);
      await ds.undoLastMigration();
      const down = await ds.query(`SELECT * FROM metric_values`);
      expect(down).toHaveLength(6);
      for (const r of down) expect([r.deleted_at, r.deletion_id, 'set_index' in r]).toEqual([null, null, false]);
      await ds.runMigrations();
      expect(await values(ds)).toEqual(after);
    });
  });
});
