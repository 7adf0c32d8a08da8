import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '../../migrations';
import { TemplateSections1767225600301 } from '../../migrations/1767225600301-TemplateSections';
import { dataSourceOptions, SafeDataSource } from '../../src/database/data-source';
import { sql } from '../foundation/helpers';
import { createEmptyDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';

/** Template JSON of every kind an adopted file holds, converted to rows and written back by down. */
describeDb(`TemplateSections migration: template JSON to rows and back (${ENGINE})`, () => {
  let db: TestDatabase;
  let ds: SafeDataSource;
  const root = randomUUID();
  const live = randomUUID();
  const deletedActivity = randomUUID();
  const missing = randomUUID();
  const t = { full: randomUUID(), deleted: randomUUID(), odd: randomUUID(), empty: randomUUID(), edited: randomUUID() };
  const deletion = randomUUID();
  const json = {
    full: JSON.stringify({
      sections: [
        { name: ' Warm Up ', duration_minutes: 10, activities: [{ activity_id: live, name: 'Scales (old name)' }, { activity_id: missing, name: 'Gone' }] },
        { name: 'Main', duration_minutes: 12.6, exercises: [{ activity_id: deletedActivity, instance_id: 'x' }], activities: [] },
        'not a section',
        { duration_minutes: -5, activities: [{ activityId: live }] },
      ],
      total_duration_minutes: 22,
    }),
    deleted: '{"sections": [{"name": "Only", "duration_minutes": 5, "activities": [{"activity_id": "' + live + '"}]}]}',
    odd: '{"unexpected": true}',
    empty: '{}',
    edited: JSON.stringify({ sections: [{ name: 'Before edit', duration_minutes: 3, activities: [] }] }),
  };
  const upTo = MIGRATIONS.slice(0, MIGRATIONS.indexOf(TemplateSections1767225600301));
  const q = (text: string, params: unknown[] = []) => sql(ds, text, params);
  const ts = (iso: string) => (ENGINE === 'postgres' ? iso : iso.replace('T', ' ').replace('Z', ''));

  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    db = await createEmptyDatabase();
    ds = new SafeDataSource({ ...dataSourceOptions(db.config), migrations: upTo });
    ds.safeRunOptions = { backupDir: db.backupDir, log: () => undefined };
    await ds.initialize();
    await ds.runMigrations();
    const owner = randomUUID();
    await q(`INSERT INTO users (id, email) VALUES (?, 'owner@example.com')`, [owner]);
    await q(`INSERT INTO goals (id, root_id, user_id, type, name) VALUES (?, ?, ?, 'UltimateGoal', 'Root')`, [root, root, owner]);
    await q(`INSERT INTO activity_definitions (id, root_id, name) VALUES (?, ?, 'Scales')`, [live, root]);
    await q(`INSERT INTO activity_definitions (id, root_id, name, deleted_at, deletion_id) VALUES (?, ?, 'Old', ?, ?)`, [
      deletedActivity,
      root,
      ts('2026-01-01T00:00:00.000Z'),
      randomUUID(),
    ]);
    for (const [key, id] of Object.entries(t)) {
      const gone = key === 'deleted';
      await q(`INSERT INTO session_templates (id, root_id, name, template_data, deleted_at, deletion_id) VALUES (?, ?, ?, ?, ?, ?)`, [
        id,
        root,
        `Template ${key}`,
        json[key as keyof typeof json],
        gone ? ts('2026-01-02T00:00:00.000Z') : null,
        gone ? deletion : null,
      ]);
    }
    await ds.destroy();
    ds = new SafeDataSource({ ...dataSourceOptions(db.config), migrations: [...upTo, TemplateSections1767225600301] });
    ds.safeRunOptions = { backupDir: db.backupDir, log: () => undefined };
    await ds.initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
    jest.restoreAllMocks();
  });

  const sections = (template: string) =>
    q(`SELECT id, position, name, duration_minutes, deleted_at, deletion_id FROM session_template_sections WHERE template_id = ? ORDER BY position`, [template]);
  const planned = (section: string) => q(`SELECT activity_id, position, deletion_id FROM session_template_activities WHERE section_id = ? ORDER BY position`, [section]);
  const legacy = async (id: string) => {
    const [row] = await q(`SELECT legacy_template_data AS d FROM session_templates WHERE id = ?`, [id]);
    return typeof row.d === 'string' ? row.d : JSON.stringify(row.d);
  };

  it('turns each section into a row, in order, and each activity of the root into a planned row', async () => {
    const rows = await sections(t.full);
    expect(rows.map((r) => [r.position, r.name, r.duration_minutes === null ? null : Number(r.duration_minutes)])).toEqual([
      [0, 'Warm Up', 10],
      [1, 'Main', 13],
      [2, 'Section 4', null],
    ]);
    expect((await planned(rows[0].id)).map((p) => [p.activity_id, p.position])).toEqual([[live, 0]]);
    // A deleted activity is still the root's row: the plan keeps it.
    expect((await planned(rows[1].id)).map((p) => p.activity_id)).toEqual([deletedActivity]);
    expect((await planned(rows[2].id)).map((p) => p.activity_id)).toEqual([live]);
    expect(await sections(t.odd)).toEqual([]);
    expect(await sections(t.empty)).toEqual([]);
  });

  it('keeps every template’s JSON as it was, and gives it version 1', async () => {
    for (const [key, id] of Object.entries(t)) {
      const kept = await legacy(id);
      expect({ key, kept: ENGINE === 'postgres' ? JSON.parse(kept) : kept }).toEqual({ key, kept: ENGINE === 'postgres' ? JSON.parse(json[key as keyof typeof json]) : json[key as keyof typeof json] });
    }
    const versions = await q(`SELECT DISTINCT version FROM session_templates`);
    expect(versions.map((v) => Number(v.version))).toEqual([1]);
  });

  it('gives the rows of a deleted template to its deletion, so that a restore brings them back', async () => {
    const [row] = await sections(t.deleted);
    expect(row.deletion_id).toBe(deletion);
    expect(row.deleted_at).not.toBeNull();
    expect((await planned(row.id)).map((p) => p.deletion_id)).toEqual([deletion]);
  });

  it('down writes template_data back: the kept JSON where nothing changed, the rows where something did', async () => {
    const [edited] = await sections(t.edited);
    await q(`UPDATE session_template_sections SET name = 'After edit', duration_minutes = 4 WHERE id = ?`, [edited.id]);
    await q(`INSERT INTO session_template_activities (id, root_id, section_id, activity_id, position) VALUES (?, ?, ?, ?, 0)`, [randomUUID(), root, edited.id, live]);
    await q(`UPDATE session_templates SET version = 2 WHERE id = ?`, [t.edited]);
    await ds.undoLastMigration();
    const read = async (id: string) => {
      const [row] = await q(`SELECT template_data AS d FROM session_templates WHERE id = ?`, [id]);
      return typeof row.d === 'string' ? JSON.parse(row.d) : row.d;
    };
    for (const key of ['full', 'deleted', 'odd', 'empty'] as const) expect({ key, data: await read(t[key]) }).toEqual({ key, data: JSON.parse(json[key]) });
    expect(await read(t.edited)).toEqual({
      sections: [{ name: 'After edit', duration_minutes: 4, activities: [{ activity_id: live, name: 'Scales' }] }],
      total_duration_minutes: 4,
    });
    const tables = await q(
      ENGINE === 'postgres'
        ? `SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('session_template_sections', 'session_template_activities')`
        : `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('session_template_sections', 'session_template_activities')`,
    );
    expect(tables).toEqual([]);
    // And up again converts the same.
    await ds.runMigrations();
    expect((await sections(t.full)).map((r) => r.name)).toEqual(['Warm Up', 'Main', 'Section 4']);
  });
});
