import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { RootInvariants1767225600070 } from '../../migrations/1767225600070-RootInvariants';
import { dataSourceOptions, SafeDataSource } from '../../src/database/data-source';
import { createEmptyDatabase, describeDb, ENGINE, PG_URL, pgUrlFor, TestDatabase } from '../helpers/db';
import { insertRow, sql, testId, undoThrough } from './helpers';

type MigrationClass = new () => MigrationInterface;
const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(RootInvariants1767225600070)) as MigrationClass[];
const PG = ENGINE === 'postgres';

function dataSource(db: TestDatabase, migrations: MigrationClass[], lines: string[] = [], url?: string): SafeDataSource {
  const config = url ? { ...db.config, database: { ...db.config.database, location: url } } : db.config;
  const ds = new SafeDataSource({ ...dataSourceOptions(config), migrations } as ConstructorParameters<typeof SafeDataSource>[0]);
  ds.safeRunOptions = { backupDir: db.backupDir, log: (l) => lines.push(l) };
  return ds;
}

/** The rows today's code and raw SQL could leave behind, written before RootInvariants (issue 13). */
interface Old {
  a: string; b: string; ra: string; rb: string; g1: string; g2: string; parentless: string; cycle: [string, string];
  claimed: string; gone: string; ownerless: [string, string]; deleted: [string, string, string, string]; stale: string; block: string;
  programs: Record<'mixed' | 'object' | 'deleted' | 'empty' | 'invalid', string>; blocks: Record<'listed' | 'none', string>;
}

async function seedOld(ds: SafeDataSource): Promise<Old> {
  const o: Old = {
    a: testId('usra'), b: testId('usrb'), ra: testId('roota'), rb: testId('rootb'), g1: testId('g1'), g2: testId('g2'),
    parentless: testId('sess'), cycle: [testId('cyc1'), testId('cyc2')], claimed: testId('claim'), gone: testId('gone'),
    ownerless: [testId('orph1'), testId('orph2')], deleted: [testId('del1'), testId('del2'), testId('del3'), testId('del4')],
    stale: testId('stale'), block: testId('blk'),
    programs: { mixed: testId('pmix'), object: testId('pobj'), deleted: testId('pdel'), empty: testId('pemp'), invalid: testId('pinv') },
    blocks: { listed: testId('blst'), none: testId('bnon') },
  };
  const goal = (id: string, root: string, parent: string | null, extra: Record<string, unknown> = {}) =>
    insertRow(ds, 'goals', { id, root_id: root, parent_id: parent, type: 'MidTermGoal', name: `Goal ${id}`, ...extra });
  await insertRow(ds, 'users', { id: o.a, email: `a-${o.a}@example.com` });
  await insertRow(ds, 'users', { id: o.b, email: `b-${o.b}@example.com` });
  await goal(o.ra, o.ra, null, { user_id: o.a, type: 'UltimateGoal' });
  await goal(o.rb, o.rb, null, { user_id: o.b, type: 'UltimateGoal' });
  await goal(o.g1, o.ra, o.ra);
  await goal(o.g2, o.rb, o.rb);
  await goal(o.parentless, o.ra, null, { type: 'PracticeSession' });
  // A root whose parent is its own child.
  await goal(o.cycle[0], o.cycle[0], o.cycle[0], { user_id: o.a, type: 'UltimateGoal', name: 'Cycle root' });
  await goal(o.cycle[1], o.cycle[0], o.cycle[0]);
  await sql(ds, `UPDATE goals SET parent_id = ? WHERE id = ?`, [o.cycle[1], o.cycle[0]]);
  // Finding f's row: a child of B that names A as its owner.
  await goal(o.claimed, o.rb, o.rb, { user_id: o.a });
  for (const id of o.ownerless) await goal(id, id, null, { type: 'UltimateGoal', name: 'Orphan root' });
  await goal(o.deleted[0], o.ra, o.ra, { deleted_at: '2026-01-05 10:00:00' });
  await goal(o.deleted[1], o.ra, o.deleted[0], { deleted_at: '2026-01-05 10:00:00' });
  await goal(o.deleted[2], o.ra, o.ra, { deleted_at: '2026-01-06 10:00:00' });
  await goal(o.deleted[3], o.rb, o.rb, { deleted_at: '2026-01-05 10:00:00' });
  await goal(o.stale, o.ra, o.ra, { deletion_id: randomUUID() });

  const program = (id: string, goalIds: string, extra: Record<string, unknown> = {}) =>
    insertRow(ds, 'programs', { id, root_id: o.ra, name: `Program ${id}`, start_date: '2026-01-01 00:00:00', end_date: '2026-03-01 00:00:00', goal_ids: goalIds, weekly_schedule: '{}', ...extra });
  await program(o.programs.mixed, `["${o.g1}", "${o.g2}", "${o.gone}", 7, "${o.g1}", "${o.parentless}"]`);
  await program(o.programs.object, '{"goal": 1}');
  await program(o.programs.deleted, JSON.stringify([o.g1]), { deleted_at: '2026-01-07 08:00:00', deletion_id: testId('deln') });
  await program(o.programs.empty, '[]');
  // PostgreSQL's json type refuses text that is not JSON; SQLite keeps whatever was written.
  if (!PG) await program(o.programs.invalid, 'g1, g2');
  const block = (id: string, goalIds: string | null, extra: Record<string, unknown> = {}) =>
    insertRow(ds, 'program_blocks', { id, root_id: o.ra, program_id: o.programs.mixed, name: `Block ${id}`, goal_ids: goalIds, ...extra });
  await block(o.blocks.listed, JSON.stringify([o.g1, o.g2]));
  await block(o.blocks.none, null);
  await block(o.block, null, { start_date: '2026-02-10', end_date: '2026-02-01' });
  return o;
}

describeDb(`RootInvariants and ProgramGoalLinks on a database with rows that break the new rules (${ENGINE})`, () => {
  let db: TestDatabase;
  let ds: SafeDataSource;
  let o: Old;
  const lines: string[] = [];
  let goalIdsBefore: Record<string, unknown>;
  const one = async (text: string, params: unknown[] = []) => (await sql(ds, text, params))[0];
  const goalIdsNow = async () => {
    const out: Record<string, unknown> = {};
    for (const t of ['programs', 'program_blocks']) {
      for (const r of await sql(ds, `SELECT id, ${PG ? 'goal_ids::text' : 'goal_ids'} AS goal_ids FROM ${t} ORDER BY id`)) out[r.id] = r.goal_ids;
    }
    return out;
  };

  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    db = await createEmptyDatabase();
    ds = dataSource(db, BEFORE);
    await ds.initialize();
    await ds.runMigrations();
    o = await seedOld(ds);
    goalIdsBefore = await goalIdsNow();
    await ds.destroy();
    ds = dataSource(db, [...MIGRATIONS] as MigrationClass[], lines);
    await ds.initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
    jest.restoreAllMocks();
  });

  it('repairs each goal by rule, prints each repair, and loses no row', async () => {
    const goal = (id: string) => one(`SELECT parent_id, user_id, name, deleted_at, deletion_id FROM goals WHERE id = ?`, [id]);
    expect(await goal(o.parentless)).toMatchObject({ parent_id: o.ra, user_id: null });
    expect(await goal(o.cycle[0])).toMatchObject({ parent_id: null, user_id: o.a });
    expect(await goal(o.cycle[1])).toMatchObject({ parent_id: o.cycle[0] });
    expect(await goal(o.claimed)).toMatchObject({ parent_id: o.rb, user_id: null });
    const placeholder = await one(`SELECT id, is_active, password_hash FROM users WHERE email = 'legacy-owner@fractal-goals.invalid'`);
    expect({ ...placeholder, is_active: Boolean(placeholder.is_active) }).toMatchObject({ is_active: false, password_hash: null });
    expect(await goal(o.ownerless[0])).toMatchObject({ user_id: placeholder.id, name: 'Orphan root' });
    expect(await goal(o.ownerless[1])).toMatchObject({ user_id: placeholder.id, name: 'Orphan root (2)' });
    const [d0, d1, d2, d3] = await Promise.all(o.deleted.map(goal));
    // Rows deleted together in one root share one deletion id; another time or another root, another id.
    expect(d0.deletion_id).toEqual(expect.any(String));
    expect(d1.deletion_id).toBe(d0.deletion_id);
    expect(new Set([d0.deletion_id, d2.deletion_id, d3.deletion_id]).size).toBe(3);
    expect(await goal(o.stale)).toMatchObject({ deleted_at: null, deletion_id: null });
    expect(await one(`SELECT start_date, end_date FROM program_blocks WHERE id = ?`, [o.block])).toEqual(
      PG ? { start_date: expect.anything(), end_date: expect.anything() } : { start_date: '2026-02-01', end_date: '2026-02-10' },
    );
    if (PG) expect(await one(`SELECT start_date::text AS s, end_date::text AS e FROM program_blocks WHERE id = ?`, [o.block])).toEqual({ s: '2026-02-01', e: '2026-02-10' });
    expect(Number((await one(`SELECT count(*) AS n FROM goals`)).n)).toBe(15);

    const printed = lines.join('\n');
    expect(printed).toContain(`RootInvariants: 1 root(s) with a parent: parent cleared (a row that is its own root can only have a parent in a cycle): ${o.cycle[0]}`);
    expect(printed).toContain(`RootInvariants: 1 goal(s) without a parent inside a root: now children of their root: ${o.parentless}`);
    expect(printed).toContain(`RootInvariants: 1 non-root goal(s) with a user_id: cleared (a root carries the owner): ${o.claimed}`);
    expect(printed).toContain(`RootInvariants: root ${o.ownerless[1]} had no owner: given to legacy-owner@fractal-goals.invalid, renamed to "Orphan root (2)"`);
    const deletions = printed.split('\n').find((l) => l.startsWith('RootInvariants: 4 deleted goal(s) without a deletion id: given one per root and deleted_at: '));
    for (const id of o.deleted) expect(deletions).toContain(id);
    expect(printed).toContain(`RootInvariants: 1 live goal(s) with a deletion id: cleared: ${o.stale}`);
  });

  it('links the goals of the row root, in order; a deleted program keeps its links deleted with it', async () => {
    const links = (table: string, column: string, holder: string) =>
      sql(ds, `SELECT goal_id, sort_order, root_id FROM ${table} WHERE ${column} = ? ORDER BY sort_order`, [holder]);
    expect(await links('program_goals', 'program_id', o.programs.mixed)).toEqual([
      { goal_id: o.g1, sort_order: 0, root_id: o.ra },
      { goal_id: o.parentless, sort_order: 5, root_id: o.ra },
    ]);
    expect(await links('program_block_goals', 'block_id', o.blocks.listed)).toEqual([{ goal_id: o.g1, sort_order: 0, root_id: o.ra }]);
    for (const p of [o.programs.object, o.programs.empty, o.programs.invalid]) expect(await links('program_goals', 'program_id', p)).toEqual([]);
    const program = await one(`SELECT deleted_at, deletion_id FROM programs WHERE id = ?`, [o.programs.deleted]);
    expect(await sql(ds, `SELECT goal_id, deleted_at, deletion_id FROM program_goals WHERE program_id = ?`, [o.programs.deleted])).toEqual([
      { goal_id: o.g1, deleted_at: program.deleted_at, deletion_id: program.deletion_id },
    ]);
  });

  it('keeps what names no goal of the row root in legacy_quarantine, each with its reason', async () => {
    const rows = await sql(ds, `SELECT source_table, source_id, reason FROM legacy_quarantine ORDER BY source_table, source_id, reason`);
    const expected = [
      ['program_blocks.goal_ids', o.blocks.listed, `goal_ids[1] names a goal of another root: ${o.g2} (root ${o.rb})`],
      ['programs.goal_ids', o.programs.mixed, `goal_ids[1] names a goal of another root: ${o.g2} (root ${o.rb})`],
      ['programs.goal_ids', o.programs.mixed, `goal_ids[2] names no goal: ${o.gone}`],
      ['programs.goal_ids', o.programs.mixed, 'goal_ids[3] is not a goal id: 7'],
      ['programs.goal_ids', o.programs.mixed, `goal_ids[4] repeats ${o.g1}`],
      ['programs.goal_ids', o.programs.object, 'goal_ids is not a JSON array of goal ids'],
      ...(PG ? [] : [['programs.goal_ids', o.programs.invalid, 'goal_ids is not valid JSON']]),
    ];
    expect(rows.map((r: any) => [r.source_table, r.source_id, r.reason])).toEqual(
      expect.arrayContaining(expected),
    );
    expect(rows).toHaveLength(expected.length);
  });

  it('the columns and fg_owns_root are gone, and the schema is what the entities describe', async () => {
    for (const t of ['programs', 'program_blocks']) await expect(sql(ds, `SELECT goal_ids FROM ${t}`)).rejects.toThrow(/goal_ids/);
    if (PG) expect((await one(`SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'fg_owns_root'`)).n).toBe(0);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
  });

  it('down() of ProgramGoalLinks restores every goal_ids value and removes its quarantine entries; down() of RootInvariants removes the CHECKs', async () => {
    await undoThrough(ds, 'ProgramGoalLinks1767225600080');
    const after = await goalIdsNow();
    // Every value as it was, the quarantined ones included, byte for byte.
    expect(after).toEqual(goalIdsBefore);
    expect(Number((await one(`SELECT count(*) AS n FROM legacy_quarantine`)).n)).toBe(0);
    await ds.undoLastMigration();
    // The repaired rows stay valid; the old rules accept a row the new ones refuse again.
    await expect(insertRow(ds, 'goals', { id: testId('g'), root_id: o.rb, parent_id: o.rb, user_id: o.a, type: 'MicroGoal', name: 'f' })).resolves.toBeDefined();
    if (PG) expect((await one(`SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'fg_owns_root'`)).n).toBe(1);
  });
});

/**
 * PostgreSQL: the migrations run as the tables' owner, who is not a superuser in production.
 * FORCE ROW LEVEL SECURITY applies the tenant policies to that owner too: without lifting it,
 * the copy of goal_ids would read no program and lose every value without an error.
 */
(PG ? describeDb : describe.skip)('ProgramGoalLinks as a non-superuser owner (PostgreSQL)', () => {
  const role = `fg_owner_${randomUUID().slice(0, 8)}`;
  const database = `fg_t_owner_${randomUUID().slice(0, 8)}`;
  let db: TestDatabase;
  let admin: Client;

  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    admin = new Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
    db = await createEmptyDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    jest.restoreAllMocks();
  });

  it('copies every goal_ids value into links', async () => {
    const url = new URL(pgUrlFor(database));
    url.username = role;
    const before = dataSource(db, BEFORE, [], url.toString());
    await before.initialize();
    await before.runMigrations();
    await before.destroy();
    const superuser = dataSource(db, BEFORE, [], pgUrlFor(database));
    await superuser.initialize();
    const o = await seedOld(superuser);
    await superuser.destroy();

    const owner = dataSource(db, [...MIGRATIONS] as MigrationClass[], [], url.toString());
    await owner.initialize();
    try {
      expect((await owner.runMigrations()).map((m) => m.name)).toEqual(MIGRATIONS.slice(BEFORE.length).map((m) => new m().name));
      expect((await owner.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`))[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      expect((await owner.query(`SELECT relforcerowsecurity AS forced FROM pg_class WHERE relname = 'programs'`))[0].forced).toBe(true);
    } finally {
      await owner.destroy();
    }
    const check = dataSource(db, [...MIGRATIONS] as MigrationClass[], [], pgUrlFor(database));
    await check.initialize();
    try {
      expect(await check.query(`SELECT goal_id FROM program_goals WHERE program_id = $1 ORDER BY sort_order`, [o.programs.mixed])).toEqual([{ goal_id: o.g1 }, { goal_id: o.parentless }]);
      expect((await check.query(`SELECT parent_id FROM goals WHERE id = $1`, [o.parentless]))[0].parent_id).toBe(o.ra);
      expect((await check.query(`SELECT count(*)::int AS n FROM legacy_quarantine`))[0].n).toBe(6);
    } finally {
      await check.destroy();
    }
  });
});
