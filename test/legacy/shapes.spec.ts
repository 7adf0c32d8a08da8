import * as fs from 'node:fs';
import { TestDatabase } from '../helpers/db';
import { legacyDatabase, normalizedSchema, readAll } from './fixtures';
import { id, messyFixture, MessyRow } from './messy-data';
import { CHANGE_COUNTER, differingBytes, freshMigratedSchema, HEADER_BOOKKEEPING, migrate, MigrationRun, openedOnly } from './run';

type Row = Record<string, any>;

/** How a legacy row is found again in the new schema (the pair table has no legacy id). */
function keyOf(m: MessyRow): string {
  return m.table === 'practice_session_goals' ? `${m.row.practice_session_id}/${m.row.short_term_goal_id}` : String(m.row.id);
}

describe.each([1, 3, 4] as const)('adopting a shape %i file with messy data', (shape) => {
  const { fixture, rows } = messyFixture(shape);
  let db: TestDatabase;
  let run: MigrationRun;
  const q = (sql: string, params: unknown[] = []): Row[] => readAll(db.location, sql, params);
  const one = (sql: string, params: unknown[] = []): Row => q(sql, params)[0];

  beforeAll(async () => {
    delete process.env.LEGACY_OWNER_EMAIL;
    db = await legacyDatabase(fixture);
    run = await migrate(db);
  });
  afterAll(() => db.drop());

  it('detects the shape from sqlite_master and runs every migration once, after a backup', () => {
    expect(run.report?.shape.number).toBe(shape);
    expect(run.executed).toEqual(expect.arrayContaining(['InitialSchema1767225600000', 'AdoptLegacy1767225600001']));
    expect(run.backups).toHaveLength(1);
    expect(run.lines.join('\n')).toContain(`Detected shape: ${shape}`);
  });

  it('reconciles every table: kept + quarantined = original, with the expected fate of each row', () => {
    const tables = [...new Set(rows.map((m) => m.table))];
    for (const table of tables) {
      const mine = rows.filter((m) => m.table === table);
      const count = run.report!.counts.find((c) => c.table === table)!;
      expect({ table, before: count.before, kept: count.kept, quarantined: count.quarantined }).toEqual({
        table,
        before: mine.length,
        kept: mine.filter((m) => m.fate === 'kept').length,
        quarantined: mine.filter((m) => m.fate === 'quarantined').length,
      });
      const quarantine = q(`SELECT source_id, reason, row_json FROM legacy_quarantine WHERE source_table = ?`, [table]);
      expect(quarantine).toHaveLength(count.quarantined);
      for (const m of mine.filter((x) => x.fate === 'quarantined')) {
        const entry = quarantine.find((e) => e.source_id === keyOf(m) || (m.table === 'practice_session_goals' && e.source_id !== null && e.row_json.includes(m.row.short_term_goal_id as string) && e.row_json.includes(m.row.practice_session_id as string)));
        expect({ key: keyOf(m), reason: entry?.reason }).toEqual({ key: keyOf(m), reason: expect.stringContaining(m.reason!) });
        // The original row, whole, as JSON.
        const original = JSON.parse(entry!.row_json);
        for (const [k, v] of Object.entries(fixture.data[table].find((r) => keyOf({ ...m, row: r }) === keyOf(m))!)) {
          expect(original[k]).toEqual(v);
        }
      }
    }
  });

  it('keeps every kept row, with root_id everywhere and each child in its parent root', () => {
    const target = (t: string) => (t === 'practice_sessions' ? 'goals' : t);
    for (const m of rows.filter((x) => x.fate === 'kept' && x.table !== 'practice_session_goals')) {
      expect({ table: m.table, id: m.row.id, found: q(`SELECT 1 FROM ${target(m.table)} WHERE id = ?`, [m.row.id]).length }).toEqual({
        table: m.table,
        id: m.row.id,
        found: 1,
      });
    }
    for (const n of run.report!.nullRootIds) expect(n.count).toBe(0);
    expect(q('PRAGMA foreign_key_check')).toEqual([]);
    expect(q('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // The runner's checks over the whole database, before the commit.
    expect(run.lines.join('\n')).toMatch(/Applied: .*AdoptLegacy1767225600001.* integrity_check ok, foreign_key_check ok\./);
    // The tree decides, whatever the legacy root_id said.
    for (const tag of ['L1', 'M1', 'S1', 'S2', 'P1', 'P5', 'OR']) {
      expect({ tag, root: one(`SELECT root_id FROM goals WHERE id = ?`, [id(tag)]).root_id }).toEqual({ tag, root: shape === 1 && tag === 'OR' ? id('gone-parent') : id('U1') });
    }
    expect(one(`SELECT root_id FROM activity_instances WHERE id = ?`, [id('I1')]).root_id).toBe(id('U1'));
    expect(one(`SELECT root_id FROM metric_values WHERE id = ?`, [id('V1')]).root_id).toBe(id('U1'));
    expect(one(`SELECT root_id FROM metric_definitions WHERE id = ?`, [id('MD1')]).root_id).toBe(id('U1'));
    const mismatched = one(
      `SELECT (SELECT count(*) FROM metric_values v JOIN activity_instances i ON i.id = v.activity_instance_id WHERE v.root_id <> i.root_id)
            + (SELECT count(*) FROM activity_instances i JOIN goals g ON g.id = i.practice_session_id WHERE i.root_id <> g.root_id)
            + (SELECT count(*) FROM goals c JOIN goals p ON p.id = c.parent_id WHERE c.root_id <> p.root_id) AS n`,
    ).n;
    expect(mismatched).toBe(0);
  });

  it('normalizes every timestamp format to the storage form, reading naive times as UTC', () => {
    const ts = (tag: string, col = 'created_at', table = 'goals') => one(`SELECT ${col} AS v FROM ${table} WHERE id = ?`, [id(tag)]).v;
    expect(ts('U1')).toBe('2025-12-21 22:52:28.442831'); // byte-equal
    expect(ts('L1')).toBe('2025-12-27 04:00:29.000');
    expect(ts('M1')).toBe('2025-12-23 19:18:31.529711');
    expect(ts('S1')).toBe('2025-12-30 17:21:12.000');
    expect(ts('S2')).toBe('2025-12-24 13:47:08.363666'); // +02:00 converted to UTC
    expect(ts('S1', 'deadline')).toBe('2026-01-10 00:00:00.000');
    expect(ts('P5')).toBe('2024-12-24 00:26:40.000'); // epoch seconds
    expect(ts('P3')).toBe('2025-12-28 10:00:00.000');
    expect(ts('I1', 'created_at', 'activity_instances')).toBe('2025-12-27 11:10:00.500');
    expect(ts('I1', 'time_start', 'activity_instances')).toBe('2025-12-27 11:10:00.500000');
    expect(ts('I1', 'time_stop', 'activity_instances')).toBe('2025-12-27 11:20:00.000');
    // A missing updated_at takes created_at; a missing created_at takes the parent's.
    expect(ts('U1', 'updated_at')).toBe('2025-12-21 22:52:28.442831');
    if (shape !== 1) {
      expect(ts('P1', 'session_start')).toBe('2025-12-27 11:06:51.245551');
      expect(ts('P1', 'session_end')).toBe('2025-12-27 11:35:38.245551');
    }
  });

  it('converts values without loss: JSON byte-equal or emptied to NULL, booleans, numbers from text', () => {
    const g = (tag: string) => one(`SELECT * FROM goals WHERE id = ?`, [id(tag)]);
    // Targets became rows (GoalTargets); S1's, which names no activity, is kept in quarantine.
    expect(g('S1')).not.toHaveProperty('targets');
    expect(q(`SELECT source_id, row_json, reason FROM legacy_quarantine WHERE source_table = 'goals.targets'`)).toEqual([
      { source_id: id('S1'), row_json: JSON.stringify({ goal_id: id('S1'), index: 0, target: { metric: 'reps', value: 5 } }), reason: 'the target has no activity_id' },
    ]);
    expect(g('S1').completed).toBe(1);
    expect(g('S2').completed).toBe(0);
    expect(g('P1').session_data).toBe('{"sections":[]}');
    expect(g('P1').duration_minutes).toBe(28);
    expect(g('P1').type).toBe('PracticeSession');
    expect(one(`SELECT duration_seconds FROM activity_instances WHERE id = ?`, [id('I5')]).duration_seconds).toBe(12);
    expect(one(`SELECT value FROM metric_values WHERE id = ?`, [id('V1')]).value).toBe(10.5);
    expect(one(`SELECT value FROM metric_values WHERE id = ?`, [id('V5')]).value).toBe(7.25);
    expect(one(`SELECT name, unit FROM metric_definitions WHERE id = ?`, [id('MD1')])).toEqual({ name: 'Reps', unit: 'count' });
    if (shape !== 1) {
      expect(g('P1').template_id).toBe(id('T1'));
      expect(g('P5').template_id).toBeNull(); // a template that is gone: cleared, and reported
      expect(run.report!.repairs.some((r) => r.id === id('P5') && r.what.includes('template_id'))).toBe(true);
      // The JSON stays as adopted (TemplateSections keeps it in legacy_template_data, its sections as rows).
      expect(one(`SELECT legacy_template_data FROM session_templates WHERE id = ?`, [id('T4')]).legacy_template_data).toBe('{}');
      expect(one(`SELECT deleted_at, deletion_id, is_active FROM metric_definitions WHERE id = ?`, [id('MD4')])).toEqual({
        deleted_at: '2025-12-28 10:00:00.000',
        deletion_id: expect.any(String),
        is_active: 0,
      });
    }
  });

  it('recovers what legacy rows still name: goals, archived activities, inactive metrics', () => {
    const recoveredRoot = one(`SELECT * FROM goals WHERE id = ?`, [id('gone-root')]);
    expect(recoveredRoot).toMatchObject({ root_id: id('gone-root'), parent_id: null, type: 'UltimateGoal' });
    // Kept parentless by the adoption; RootInvariants then hangs it under its root, and says so.
    expect(one(`SELECT root_id, parent_id FROM goals WHERE id = ?`, [id('P2')])).toEqual({ root_id: id('gone-root'), parent_id: id('gone-root') });
    expect(run.lines.join('\n')).toMatch(new RegExp(`RootInvariants: \\d+ goal\\(s\\) without a parent inside a root: now children of their root: .*${id('P2')}`));
    if (shape !== 1) expect(one(`SELECT parent_id FROM goals WHERE id = ?`, [id('gone-parent')]).parent_id).toBe(id('U1'));
    expect(one(`SELECT type FROM goals WHERE id = ?`, [id('gone-parent')]).type).toBe('MidTermGoal');
    expect(one(`SELECT parent_id FROM goals WHERE id = ?`, [id('OR')]).parent_id).toBe(id('gone-parent'));
    expect(one(`SELECT root_id, parent_id FROM goals WHERE id = ?`, [id('P3')])).toEqual({ root_id: id('P3'), parent_id: null });
    expect(one(`SELECT root_id FROM activity_definitions WHERE id = ?`, [id('A3')]).root_id).toBe(id('gone-root2'));

    const act = one(`SELECT * FROM activity_definitions WHERE id = ?`, [id('gone-act2')]);
    expect(act).toMatchObject({ recovered_from_legacy: 1, root_id: id('U1') });
    expect(act.deleted_at).not.toBeNull();
    expect(one(`SELECT activity_definition_id FROM activity_instances WHERE id = ?`, [id('I2')]).activity_definition_id).toBe(id('gone-act2'));
    // I7's activity lives in U1 but its session in gone-root: a recovered activity there, under a new id.
    const i7 = one(`SELECT a.* FROM activity_instances i JOIN activity_definitions a ON a.id = i.activity_definition_id WHERE i.id = ?`, [id('I7')]);
    expect(i7).toMatchObject({ recovered_from_legacy: 1, root_id: id('gone-root'), name: `Recovered activity ${id('A1')}` });
    expect(i7.id).not.toBe(id('A1'));

    const metric = one(`SELECT * FROM metric_definitions WHERE id = ?`, [id('gone-metric')]);
    expect(metric).toMatchObject({ is_active: 0, recovered_from_legacy: 1, activity_id: id('A1'), name: `Recovered metric ${id('gone-metric')}`, deleted_at: null });
    const md2 = q(
      `SELECT v.id AS value_id, d.* FROM metric_values v JOIN metric_definitions d ON d.id = v.metric_definition_id WHERE v.id IN (?, ?) ORDER BY v.id`,
      [id('V6'), id('V7')],
    );
    expect(md2.map((d) => d.name)).toEqual([`Recovered metric ${id('MD2')}`, `Recovered metric ${id('MD2')}`]);
    expect(new Set(md2.map((d) => d.activity_id))).toEqual(new Set([id('gone-act2'), id('A1')]));
    expect(md2.map((d) => d.id)).toContain(id('MD2'));
    const recovered = q(`SELECT count(*) AS n FROM metric_definitions WHERE recovered_from_legacy = 1`)[0].n;
    expect(recovered).toBe(run.report!.recovered.filter((r) => r.table === 'metric_definitions').length);
    if (shape === 4) {
      const split = one(`SELECT s.* FROM metric_values v JOIN split_definitions s ON s.id = v.split_definition_id WHERE v.id = ?`, [id('V8')]);
      expect(split).toMatchObject({ id: id('gone-split'), activity_id: id('A1'), root_id: id('U1') });
      expect(one(`SELECT created_at FROM metric_values WHERE id = ?`, [id('V9')]).created_at).toBe('2025-12-27 11:10:00.500');
    }
  });

  it('renames duplicate names the new unique indexes forbid, and reports each rename', () => {
    expect(one(`SELECT name FROM goals WHERE id = ?`, [id('U1')]).name).toBe('Life');
    expect(one(`SELECT name FROM goals WHERE id = ?`, [id('U2')]).name).toBe('Life (2)');
    expect(one(`SELECT name FROM activity_definitions WHERE id = ?`, [id('A2')]).name).toBe('Pushups (2)');
    expect(one(`SELECT name FROM metric_definitions WHERE id = ?`, [id('MD3')]).name).toBe('Reps (2)');
    const renames = run.report!.repairs.filter((r) => r.what.startsWith('duplicate name'));
    expect(renames.map((r) => r.id)).toEqual(expect.arrayContaining([id('U2'), id('A2'), id('MD3')]));
    if (shape !== 1) expect(one(`SELECT name FROM session_templates WHERE id = ?`, [id('T2')]).name).toBe('Std (2)');
    if (shape === 4) {
      expect(one(`SELECT name FROM activity_groups WHERE id = ?`, [id('G2')]).name).toBe('Push (2)');
      expect(one(`SELECT group_id FROM activity_definitions WHERE id = ?`, [id('A1')]).group_id).toBe(id('G1'));
      expect(one(`SELECT group_id FROM activity_definitions WHERE id = ?`, [id('A2')]).group_id).toBeNull();
      expect(one(`SELECT deleted_at FROM goals WHERE id = ?`, [id('DEL')]).deleted_at).toBe('2025-12-31 10:00:00.000000');
      expect(one(`SELECT session_template_id FROM scheduled_sessions WHERE id = ?`, [id('SS2')]).session_template_id).toBeNull();
      expect(q(`SELECT goal_id FROM program_goals WHERE program_id = ?`, [id('PR3')])).toEqual([]);
      expect(one(`SELECT date FROM program_days WHERE id = ?`, [id('D2')]).date).toBe('2026-01-06');
    }
    if (shape === 1) {
      // The duplicate link is kept, soft-deleted, so that the pair stays unique among live rows.
      const links = q(`SELECT deleted_at FROM practice_session_goals WHERE practice_session_id = ? AND short_term_goal_id = ?`, [id('P1'), id('S1')]);
      expect(links).toHaveLength(2);
      expect(links.filter((l) => l.deleted_at === null)).toHaveLength(1);
    }
  });

  it('gives the roots a disabled placeholder owner without a password', () => {
    const users = q(`SELECT * FROM users`);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: 'legacy-owner@fractal-goals.invalid', password_hash: null, is_active: 0, role: 'user' });
    const roots = q(`SELECT id, user_id FROM goals WHERE parent_id IS NULL AND id = root_id`);
    expect(roots.length).toBe(run.report!.owner.roots);
    for (const r of roots) expect(r.user_id).toBe(users[0].id);
    expect(one(`SELECT count(*) AS n FROM goals WHERE user_id IS NOT NULL AND id <> root_id`).n).toBe(0);
  });

  it('ends at exactly the schema of a freshly migrated empty database', async () => {
    expect(normalizedSchema(db.location)).toEqual(await freshMigratedSchema());
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const dump = () => JSON.stringify(['goals', 'activity_instances', 'metric_values', 'legacy_quarantine', 'users'].map((t) => q(`SELECT * FROM ${t} ORDER BY id`)));
    const before = dump();
    const again = await migrate(db);
    expect(again.executed).toEqual([]);
    expect(again.report).toBeUndefined();
    expect(again.lines.join('\n')).toMatch(/Nothing was changed/);
    expect(dump()).toBe(before);
  });

  it('prints the verification report: shape, counts, NULL root_id check, indexes, integrity and foreign keys', () => {
    const text = run.lines.join('\n');
    for (const needle of ['Detected shape', 'before', 'quarantined', 'NULL root_id check', 'Indexes:', 'integrity_check ok, foreign_key_check ok', 'Owner:', 'Backup written:']) {
      expect(text).toContain(needle);
    }
    expect(run.progress[run.progress.length - 1]).toMatch(/^100% /);
  });

  it.each(['goals', 'activity_instances', 'metric_values', 'checks'])('leaves the file unchanged when a failure is injected after %s', async (step) => {
    const copy = await legacyDatabase(fixture);
    const twin = await legacyDatabase(copy.location);
    try {
      const original = fs.readFileSync(copy.location);
      expect(fs.readFileSync(twin.location).equals(original)).toBe(true);
      await expect(migrate(copy, { failAfter: step })).rejects.toThrow(`Injected failure after step "${step}"`);
      const after = fs.readFileSync(copy.location);
      // Byte-identical to the same file opened and closed without migrating, but for the change
      // counter that the run's journal switch moves: every page is as it was...
      expect(differingBytes(after, await openedOnly(twin)).filter((i) => !CHANGE_COUNTER.includes(i))).toEqual([]);
      // ...and to the original file outside the header bookkeeping that opening in WAL mode rewrites.
      expect(differingBytes(after, original).filter((i) => !HEADER_BOOKKEEPING.includes(i))).toEqual([]);
      const tables = readAll(copy.location, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).map((r) => r.name);
      expect(tables).toContain('goals');
      expect(tables).not.toContain('legacy_goals');
      expect(tables).not.toContain('migrations');
    } finally {
      await copy.drop();
      await twin.drop();
    }
  });
});
