import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '../../migrations';
import { sectionIdFor, SessionSectionsFromData1767225600402 } from '../../migrations/1767225600402-SessionSectionsFromData';
import { dataSourceOptions, SafeDataSource } from '../../src/database/data-source';
import { dialectOf } from '../../src/database/dialect';
import { createEmptyDatabase, describeDb, TestDatabase } from '../helpers/db';

/**
 * SessionSectionsFromData on sessions as the Flask app left them: their sections only in
 * session_data. Each becomes a row, in order, and the session's own instances that the JSON
 * lists take their section; session_data stays as it was. Down takes back exactly its rows.
 */
describeDb('SessionSectionsFromData migration', () => {
  let db: TestDatabase;
  const ids = new Map<string, string>();
  const id = (tag: string) => ids.get(tag) ?? (ids.set(tag, randomUUID()), ids.get(tag)!);
  const mine = MIGRATIONS.indexOf(SessionSectionsFromData1767225600402);
  const withDs = async <T>(upTo: number, work: (ds: SafeDataSource, sql: (text: string, params?: unknown[]) => Promise<any[]>) => Promise<T>): Promise<T> => {
    const ds = new SafeDataSource({ ...dataSourceOptions(db.config), migrations: MIGRATIONS.slice(0, upTo) });
    ds.safeRunOptions = { backupDir: db.backupDir, log: () => undefined };
    await ds.initialize();
    try {
      return await work(ds, (text, params = []) => ds.query(dialectOf(ds).sql(text), params));
    } finally {
      await ds.destroy();
    }
  };
  const data = {
    sections: [
      { name: 'Warm-up', duration_minutes: 10, exercises: [{ instance_id: id('i-1') }, { instance_id: id('i-other') }, { instance_id: id('nothing') }] },
      'not a section',
      { name: ' ', duration_minutes: '15', activities: [{ activity_id: id('act'), instance_id: id('i-2') }, { instance_id: id('i-1') }] },
      { name: 'Cool-down', duration_minutes: -3, exercises: [] },
    ],
    template_name: 'kept as it was',
  };
  const json = JSON.stringify(data);

  beforeAll(async () => {
    db = await createEmptyDatabase();
    await withDs(mine, async (ds, sql) => {
      await ds.runMigrations();
      const insert = (table: string, row: Record<string, unknown>) =>
        sql(`INSERT INTO "${table}" (${Object.keys(row).map((c) => `"${c}"`).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`, Object.values(row));
      const root = id('root');
      await insert('users', { id: id('user'), email: 'sections@example.com' });
      await insert('goals', { id: root, root_id: root, user_id: id('user'), type: 'UltimateGoal', name: 'Root' });
      await insert('goals', { id: id('stg'), root_id: root, parent_id: root, type: 'ShortTermGoal', name: 'Short' });
      const session = (tag: string, extra: Record<string, unknown> = {}) =>
        insert('goals', { id: id(tag), root_id: root, parent_id: id('stg'), type: 'PracticeSession', name: tag, session_data: json, ...extra });
      await session('adopted', { created_by: id('user') });
      await session('deleted', { deleted_at: '2026-01-02 03:04:05.000', deletion_id: id('deletion') });
      await session('sectioned');
      await session('other');
      await insert('activity_definitions', { id: id('act'), root_id: root, name: 'Scales' });
      for (const [instance, of] of [['i-1', 'adopted'], ['i-2', 'adopted'], ['i-3', 'adopted'], ['i-other', 'other']]) {
        await insert('activity_instances', { id: id(instance), root_id: root, practice_session_id: id(of), activity_definition_id: id('act') });
      }
      await insert('session_sections', { id: id('made'), root_id: root, session_id: id('sectioned'), position: 0, name: 'Made through the API' });
    });
  });
  afterAll(async () => db?.drop());

  const sections = (sql: (text: string) => Promise<any[]>) =>
    sql(`SELECT id, session_id, position, name, duration_minutes, created_by, deleted_at, deletion_id FROM session_sections ORDER BY session_id, position`);
  const placed = async (sql: (text: string) => Promise<any[]>) =>
    Object.fromEntries((await sql(`SELECT id, section_id FROM activity_instances`)).map((r) => [[...ids].find(([, v]) => v === r.id)![0], r.section_id]));

  it('turns JSON sections into rows in order and places the session’s own instances, keeping session_data', async () => {
    await withDs(mine + 1, async (ds, sql) => {
      expect((await ds.runMigrations()).map((m) => m.name)).toEqual(['SessionSectionsFromData1767225600402']);
      const rows = await sections(sql);
      const of = (tag: string) => rows.filter((r) => r.session_id === id(tag)).map((r) => [r.position, r.name, r.duration_minutes === null ? null : Number(r.duration_minutes)]);
      const expected = [[0, 'Warm-up', 10], [1, 'Section 3', 15], [2, 'Cool-down', null]];
      expect(of('adopted')).toEqual(expected);
      expect(of('deleted')).toEqual(expected);
      expect(of('other')).toEqual(expected);
      expect(of('sectioned')).toEqual([[0, 'Made through the API', null]]);
      const adopted = rows.filter((r) => r.session_id === id('adopted'));
      expect(adopted.map((r) => r.id)).toEqual([0, 1, 2].map((p) => sectionIdFor(id('adopted'), p)));
      expect(adopted[0].created_by).toBe(id('user'));
      const deleted = rows.filter((r) => r.session_id === id('deleted'));
      expect(deleted.every((r) => r.deletion_id === id('deletion') && r.deleted_at !== null)).toBe(true);
      // i-1 in its first section only; i-other only in its own session's section (the adopted
      // session's JSON names it too); an unknown id places nothing; i-3 is listed nowhere.
      expect(await placed(sql)).toEqual({
        'i-1': sectionIdFor(id('adopted'), 0),
        'i-2': sectionIdFor(id('adopted'), 1),
        'i-3': null,
        'i-other': sectionIdFor(id('other'), 0),
      });
      const kept = (await sql(`SELECT session_data FROM goals WHERE id = ?`, [id('adopted')]))[0].session_data;
      expect(typeof kept === 'string' ? JSON.parse(kept) : kept).toEqual(data);
    });
  });

  it('down takes back exactly its rows and placements; up again makes the same', async () => {
    await withDs(mine + 1, async (ds, sql) => {
      const after = await sections(sql);
      const afterPlaced = await placed(sql);
      await ds.undoLastMigration();
      expect((await sections(sql)).map((r) => r.id)).toEqual([id('made')]);
      expect(Object.values(await placed(sql))).toEqual([null, null, null, null]);
      await ds.runMigrations();
      expect(await sections(sql)).toEqual(after);
      expect(await placed(sql)).toEqual(afterPlaced);
    });
  });
});
