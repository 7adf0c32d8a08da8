import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { Goal } from '../../src/goals/goal.entity';
import { createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';
import { seedRoot, SeededRoot } from '../helpers/seed';
import { insertRow, isPostgres, sql, testId } from './helpers';

/** The tenant tables of issue 2, section 3, the goal links of issue 13, those of the goal tree (issue 14), of activities and templates (issue 15), and notes (issue 16). */
const TENANT_TABLES = [
  'activity_definitions', 'activity_groups', 'activity_instances', 'activity_sets', 'goal_activities', 'goal_activity_groups',
  'goal_levels', 'goal_pauses', 'goal_targets', 'goals', 'metric_definitions', 'metric_values', 'notes', 'practice_session_goals',
  'program_block_goals', 'program_blocks', 'program_day_sessions', 'program_days', 'program_goals', 'programs', 'scheduled_sessions', 'session_sections',
  'session_template_activities', 'session_template_sections', 'session_templates', 'split_definitions', 'target_conditions',
];

/** Every index the seed report names, with the columns it describes. */
const SEED_FK_INDEXES: Record<string, [string, string[]]> = {
  idx_goals_parent_id: ['goals', ['parent_id']],
  idx_goals_root_id: ['goals', ['root_id']],
  idx_goals_type: ['goals', ['type']],
  idx_goals_created_at: ['goals', ['created_at']],
  idx_activity_instances_session: ['activity_instances', ['practice_session_id']],
  idx_activity_instances_definition: ['activity_instances', ['activity_definition_id']],
  idx_activity_instances_root: ['activity_instances', ['root_id']],
  idx_metric_values_instance: ['metric_values', ['activity_instance_id']],
  idx_metric_values_definition: ['metric_values', ['metric_definition_id']],
  idx_metric_values_root: ['metric_values', ['root_id']],
  idx_metric_definitions_activity: ['metric_definitions', ['activity_id']],
  idx_metric_definitions_root: ['metric_definitions', ['root_id']],
  idx_split_definitions_activity: ['split_definitions', ['activity_id']],
  idx_split_definitions_root: ['split_definitions', ['root_id']],
  idx_activity_definitions_group: ['activity_definitions', ['group_id']],
  idx_activity_definitions_root: ['activity_definitions', ['root_id']],
  idx_activity_groups_root: ['activity_groups', ['root_id']],
  idx_session_templates_root: ['session_templates', ['root_id']],
};
const SEED_COMPOSITE_INDEXES: Record<string, [string, string[]]> = {
  idx_activity_instances_root_date: ['activity_instances', ['root_id', 'created_at']],
  idx_metric_values_root_metric: ['metric_values', ['root_id', 'metric_definition_id']],
  idx_activity_instances_session_created: ['activity_instances', ['practice_session_id', 'created_at']],
  idx_goals_parent_type: ['goals', ['parent_id', 'type']],
  idx_goals_root_type: ['goals', ['root_id', 'type']],
};
const SEED_PARTIAL_INDEXES: Record<string, [string, string[]]> = {
  idx_metric_definitions_active: ['metric_definitions', ['activity_id']],
  idx_goals_completed: ['goals', ['root_id', 'type']],
  idx_goals_practice_sessions: ['goals', ['root_id', 'created_at']],
};
const PRE_EXISTING_INDEXES: Record<string, [string, string[]]> = {
  idx_session_start: ['goals', ['session_start']],
  idx_session_end: ['goals', ['session_end']],
  idx_template_id: ['goals', ['template_id']],
  idx_session_duration: ['goals', ['total_duration_seconds']],
  idx_activity_group: ['activity_definitions', ['group_id']],
};

interface IndexInfo {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
  partial: boolean;
}
interface FkInfo {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
}

async function listIndexes(ds: DataSource): Promise<IndexInfo[]> {
  if (isPostgres(ds)) {
    const rows: any[] = await ds.query(`
      SELECT i.relname AS name, t.relname AS "table", ix.indisunique AS "unique", ix.indpred IS NOT NULL AS partial,
        array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
      FROM pg_indexes p
      JOIN pg_class i ON i.relname = p.indexname
      JOIN pg_namespace n ON n.oid = i.relnamespace AND n.nspname = p.schemaname
      JOIN pg_index ix ON ix.indexrelid = i.oid
      JOIN pg_class t ON t.oid = ix.indrelid
      WHERE p.schemaname = 'public'`);
    return rows.map((r) => ({ ...r, columns: r.columns }));
  }
  // The listing the issue asks for: named indexes come from sqlite_master.
  const rows: { name: string; tbl_name: string; sql: string }[] = await ds.query(
    `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`,
  );
  const out: IndexInfo[] = [];
  for (const r of rows) {
    const cols: { name: string }[] = await ds.query(`PRAGMA index_info("${r.name}")`);
    const [meta] = (await ds.query(`PRAGMA index_list("${r.tbl_name}")`)).filter((i: { name: string }) => i.name === r.name);
    out.push({ name: r.name, table: r.tbl_name, columns: cols.map((c) => c.name), unique: meta.unique === 1, partial: meta.partial === 1 });
  }
  return out;
}

async function listForeignKeys(ds: DataSource, table: string): Promise<FkInfo[]> {
  if (isPostgres(ds)) {
    const rows: any[] = await sql(ds, `
      SELECT c.conname AS name, t.relname AS "table", r.relname AS "refTable", rc.delete_rule AS "onDelete",
        array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
        array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
              JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS "refColumns"
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      JOIN pg_class r ON r.oid = c.confrelid
      JOIN information_schema.referential_constraints rc ON rc.constraint_name = c.conname AND rc.constraint_schema = 'public'
      WHERE c.contype = 'f' AND t.relname = ?`, [table]);
    return rows;
  }
  const rows: { id: number; seq: number; table: string; from: string; to: string; on_delete: string }[] = await ds.query(
    `PRAGMA foreign_key_list("${table}")`,
  );
  const byId = new Map<number, FkInfo>();
  for (const r of rows.sort((a, b) => a.id - b.id || a.seq - b.seq)) {
    const fk = byId.get(r.id) ?? { name: `#${r.id}`, table, columns: [], refTable: r.table, refColumns: [], onDelete: r.on_delete };
    fk.columns.push(r.from);
    fk.refColumns.push(r.to);
    byId.set(r.id, fk);
  }
  return [...byId.values()];
}

async function isNotNull(ds: DataSource, table: string, column: string): Promise<boolean> {
  if (isPostgres(ds)) {
    const [row] = await sql(ds, `SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? AND column_name = ?`, [table, column]);
    return row?.is_nullable === 'NO';
  }
  const cols: { name: string; notnull: number }[] = await ds.query(`PRAGMA table_info("${table}")`);
  return cols.find((c) => c.name === column)?.notnull === 1;
}

const CHECK = /CHECK constraint failed|violates check constraint/;
const UNIQUE = /UNIQUE constraint failed|duplicate key value violates unique constraint/;
const FOREIGN = /FOREIGN KEY constraint failed|violates foreign key constraint/;
const NOT_NULL = /NOT NULL constraint failed|violates not-null constraint/;

describeDb(`schema (${ENGINE})`, () => {
  let db: TestDatabase & { dataSource: DataSource };
  let ds: DataSource;
  let a: SeededRoot;
  let b: SeededRoot;

  beforeAll(async () => {
    // Migrations report to the console; that is not what these tests read.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    db = await createMigratedDatabase();
    ds = db.dataSource;
    a = await seedRoot(ds, 'Alice');
    b = await seedRoot(ds, 'Bob');
  });
  afterAll(async () => db?.drop());

  describe('tenant tables', () => {
    it('are exactly the entities declared as tenant entities', () => {
      const fromEntities = TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName).sort();
      expect(fromEntities).toEqual(TENANT_TABLES);
    });

    it.each(TENANT_TABLES)('%s has root_id NOT NULL, an index on it, and a foreign key to goals(id) ON DELETE CASCADE', async (table) => {
      expect(await isNotNull(ds, table, 'root_id')).toBe(true);
      const indexes = (await listIndexes(ds)).filter((i) => i.table === table);
      expect(indexes.some((i) => !i.partial && i.columns.length === 1 && i.columns[0] === 'root_id')).toBe(true);
      const fks = await listForeignKeys(ds, table);
      expect(fks).toContainEqual(expect.objectContaining({ columns: ['root_id'], refTable: 'goals', refColumns: ['id'], onDelete: 'CASCADE' }));
    });

    it('refuses a tenant row without root_id, or with a root_id that is no goal', async () => {
      await expect(insertRow(ds, 'activity_groups', { id: testId('grp'), name: 'Orphan' })).rejects.toThrow(NOT_NULL);
      await expect(insertRow(ds, 'activity_groups', { id: testId('grp'), root_id: testId('none'), name: 'Orphan' })).rejects.toThrow(FOREIGN);
    });

    it('every composite key into a tenant table carries root_id, against a UNIQUE (root_id, id) on the parent', async () => {
      for (const table of TENANT_TABLES) {
        for (const fk of await listForeignKeys(ds, table)) {
          if (fk.refTable === 'users') continue;
          if (fk.columns.length === 1) {
            expect(fk).toMatchObject({ columns: ['root_id'], refTable: 'goals', refColumns: ['id'] });
          } else {
            expect(fk.columns[0]).toBe('root_id');
            expect(fk.refColumns).toEqual(['root_id', 'id']);
          }
        }
      }
    });
  });

  describe('indexes the seed report names', () => {
    const groups = { 'foreign-key': SEED_FK_INDEXES, composite: SEED_COMPOSITE_INDEXES, partial: SEED_PARTIAL_INDEXES, 'pre-existing': PRE_EXISTING_INDEXES };

    it('counts 18 foreign-key, 5 composite, 3 partial and 5 pre-existing: 31', () => {
      expect(Object.keys(SEED_FK_INDEXES)).toHaveLength(18);
      expect(Object.keys(SEED_COMPOSITE_INDEXES)).toHaveLength(5);
      expect(Object.keys(SEED_PARTIAL_INDEXES)).toHaveLength(3);
      expect(Object.keys(PRE_EXISTING_INDEXES)).toHaveLength(5);
    });

    it.each(Object.entries(groups))('every %s index exists by name, on its table and columns', async (kind, expected) => {
      const byName = new Map((await listIndexes(ds)).map((i) => [i.name, i]));
      for (const [name, [table, columns]] of Object.entries(expected)) {
        const found = byName.get(name);
        expect({ name, found: found && { table: found.table, columns: found.columns } }).toEqual({ name, found: { table, columns } });
        if (kind === 'partial') expect({ name, partial: found!.partial }).toEqual({ name, partial: true });
      }
    });
  });

  describe('CHECK constraints refuse a bad row written by raw SQL', () => {
    const instance = (over: Record<string, unknown>) => ({
      id: testId('inst'), root_id: a.rootId, practice_session_id: a.sessionId, activity_definition_id: a.activityId, ...over,
    });
    const session = (over: Record<string, unknown>) => ({
      id: testId('sess'), root_id: a.rootId, parent_id: a.goalId, type: 'PracticeSession', name: `S ${testId('n')}`, ...over,
    });

    it('activity_instances: time_stop >= time_start', async () => {
      await expect(insertRow(ds, 'activity_instances', instance({ time_start: '2026-01-02 10:00:00', time_stop: '2026-01-02 09:59:59' }))).rejects.toThrow(CHECK);
      await expect(insertRow(ds, 'activity_instances', instance({ time_start: '2026-01-02 10:00:00', time_stop: '2026-01-02 10:00:00' }))).resolves.toBeDefined();
    });

    it('activity_instances: duration_seconds >= 0', async () => {
      await expect(insertRow(ds, 'activity_instances', instance({ duration_seconds: -1 }))).rejects.toThrow(CHECK);
      await expect(insertRow(ds, 'activity_instances', instance({ duration_seconds: 0 }))).resolves.toBeDefined();
    });

    it('goals: session_end >= session_start', async () => {
      await expect(insertRow(ds, 'goals', session({ session_start: '2026-01-02 10:00:00', session_end: '2026-01-02 09:00:00' }))).rejects.toThrow(CHECK);
      await expect(insertRow(ds, 'goals', session({ session_start: '2026-01-02 10:00:00', session_end: '2026-01-02 11:00:00' }))).resolves.toBeDefined();
    });

    it('goals: total_duration_seconds >= 0', async () => {
      await expect(insertRow(ds, 'goals', session({ total_duration_seconds: -5 }))).rejects.toThrow(CHECK);
    });

    it('goals: type is one of the 8 known types', async () => {
      for (const bad of ['Bogus', 'practicesession', '']) {
        await expect(insertRow(ds, 'goals', { id: testId('g'), root_id: a.rootId, parent_id: a.rootId, type: bad, name: 'x' })).rejects.toThrow(CHECK);
      }
      const types = ['UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'PracticeSession', 'ImmediateGoal', 'MicroGoal', 'NanoGoal'];
      for (const type of types) {
        await expect(insertRow(ds, 'goals', { id: testId('g'), root_id: a.rootId, parent_id: a.rootId, type, name: `t ${type}` })).resolves.toBeDefined();
      }
    });
  });

  describe('the root invariants are CHECKs (issue 13)', () => {
    const goal = (over: Record<string, unknown>) => ({ id: testId('g'), root_id: a.rootId, parent_id: a.goalId, type: 'MicroGoal', name: `G ${testId('n')}`, ...over });

    it('only a root has no parent: a goal inside a root without a parent is refused', async () => {
      await expect(insertRow(ds, 'goals', goal({ parent_id: null }))).rejects.toThrow(CHECK);
      await expect(sql(ds, `UPDATE goals SET parent_id = NULL WHERE id = ?`, [a.goalId])).rejects.toThrow(CHECK);
      await expect(insertRow(ds, 'goals', goal({}))).resolves.toBeDefined();
    });

    it('a root has no parent: a row that is its own root and names a parent is refused', async () => {
      const id = testId('root');
      await expect(insertRow(ds, 'goals', { id, root_id: id, parent_id: id, user_id: a.userId, type: 'UltimateGoal', name: `Loop ${id}` })).rejects.toThrow(CHECK);
    });

    it('only a root has an owner, and every root has one', async () => {
      // Finding f's row: a child in B's tree that names A as its owner.
      await expect(insertRow(ds, 'goals', goal({ root_id: b.rootId, parent_id: b.rootId, user_id: a.userId }))).rejects.toThrow(CHECK);
      await expect(sql(ds, `UPDATE goals SET user_id = ? WHERE id = ?`, [a.userId, a.goalId])).rejects.toThrow(CHECK);
      const id = testId('root');
      await expect(insertRow(ds, 'goals', { id, root_id: id, type: 'UltimateGoal', name: `Ownerless ${id}` })).rejects.toThrow(CHECK);
      await expect(insertRow(ds, 'goals', { id, root_id: id, user_id: a.userId, type: 'UltimateGoal', name: `Owned ${id}` })).resolves.toBeDefined();
    });

    it('a root cannot be moved into another root', async () => {
      const id = testId('root');
      await insertRow(ds, 'goals', { id, root_id: id, user_id: a.userId, type: 'UltimateGoal', name: `Movable ${id}` });
      await expect(sql(ds, `UPDATE goals SET root_id = ?, parent_id = ? WHERE id = ?`, [b.rootId, b.rootId, id])).rejects.toThrow(CHECK);
      expect(await sql(ds, `SELECT root_id, parent_id, user_id FROM goals WHERE id = ?`, [id])).toEqual([{ root_id: id, parent_id: null, user_id: a.userId }]);
    });

    it('a deleted goal names its deletion, and a live one names none', async () => {
      const id = testId('g');
      await insertRow(ds, 'goals', goal({ id }));
      await expect(sql(ds, `UPDATE goals SET deleted_at = ? WHERE id = ?`, ['2026-01-03 00:00:00', id])).rejects.toThrow(CHECK);
      await expect(sql(ds, `UPDATE goals SET deletion_id = ? WHERE id = ?`, [testId('del'), id])).rejects.toThrow(CHECK);
      await expect(sql(ds, `UPDATE goals SET deleted_at = ?, deletion_id = ? WHERE id = ?`, ['2026-01-03 00:00:00', testId('del'), id])).resolves.toBeDefined();
      await expect(sql(ds, `UPDATE goals SET deleted_at = NULL WHERE id = ?`, [id])).rejects.toThrow(CHECK);
      await expect(sql(ds, `UPDATE goals SET deleted_at = NULL, deletion_id = NULL WHERE id = ?`, [id])).resolves.toBeDefined();
    });

    it('program_blocks: end_date >= start_date', async () => {
      const block = (over: Record<string, unknown>) => ({ id: testId('blk'), root_id: a.rootId, program_id: a.programId, name: 'Block', ...over });
      await expect(insertRow(ds, 'program_blocks', block({ start_date: '2026-02-01', end_date: '2026-01-31' }))).rejects.toThrow(CHECK);
      await expect(insertRow(ds, 'program_blocks', block({ start_date: '2026-02-01', end_date: '2026-02-01' }))).resolves.toBeDefined();
      await expect(insertRow(ds, 'program_blocks', block({ start_date: '2026-02-01' }))).resolves.toBeDefined();
      await expect(sql(ds, `UPDATE program_blocks SET start_date = '2026-03-01', end_date = '2026-02-01' WHERE id = ?`, [a.blockId])).rejects.toThrow(CHECK);
    });
  });

  describe('partial unique indexes refuse a duplicate among non-deleted rows only', () => {
    const deletedAt = '2026-01-03 00:00:00';

    it.each([
      ['activity_groups', () => ({ root_id: a.rootId }), () => ({ root_id: b.rootId })],
      ['activity_definitions', () => ({ root_id: a.rootId }), () => ({ root_id: b.rootId })],
      ['session_templates', () => ({ root_id: a.rootId }), () => ({ root_id: b.rootId })],
      ['metric_definitions', () => ({ root_id: a.rootId, activity_id: a.activityId, unit: 'kg' }), () => ({ root_id: b.rootId, activity_id: b.activityId, unit: 'kg' })],
      ['split_definitions', () => ({ root_id: a.rootId, activity_id: a.activityId }), () => ({ root_id: b.rootId, activity_id: b.activityId })],
    ])('%s', async (table, scope, otherScope) => {
      const name = `Dup ${testId('n')}`;
      const first = testId('r1');
      await insertRow(ds, table, { id: first, name, ...scope() });
      await expect(insertRow(ds, table, { id: testId('r2'), name, ...scope() })).rejects.toThrow(UNIQUE);
      // The same name elsewhere is fine, and so is reusing it once the first is soft-deleted.
      await expect(insertRow(ds, table, { id: testId('r3'), name, ...otherScope() })).resolves.toBeDefined();
      await sql(ds, `UPDATE "${table}" SET deleted_at = ? WHERE id = ?`, [deletedAt, first]);
      await expect(insertRow(ds, table, { id: testId('r4'), name, ...scope() })).resolves.toBeDefined();
    });

    it('goals: (user_id, name) among non-deleted roots', async () => {
      const name = `Life ${testId('n')}`;
      const first = testId('root');
      await insertRow(ds, 'goals', { id: first, root_id: first, user_id: a.userId, type: 'UltimateGoal', name });
      const dup = testId('root');
      await expect(insertRow(ds, 'goals', { id: dup, root_id: dup, user_id: a.userId, type: 'UltimateGoal', name })).rejects.toThrow(UNIQUE);
      const other = testId('root');
      await expect(insertRow(ds, 'goals', { id: other, root_id: other, user_id: b.userId, type: 'UltimateGoal', name })).resolves.toBeDefined();
      // Non-root goals (user_id NULL) may share names.
      await insertRow(ds, 'goals', { id: testId('g'), root_id: first, parent_id: first, type: 'LongTermGoal', name });
      await insertRow(ds, 'goals', { id: testId('g'), root_id: first, parent_id: first, type: 'LongTermGoal', name });
      await sql(ds, `UPDATE goals SET deleted_at = ?, deletion_id = ? WHERE id = ?`, [deletedAt, testId('del'), first]);
      const again = testId('root');
      await expect(insertRow(ds, 'goals', { id: again, root_id: again, user_id: a.userId, type: 'UltimateGoal', name })).resolves.toBeDefined();
    });
  });

  describe('the database refuses a row that links two roots', () => {
    it('an activity instance of root A on an activity of root B', async () => {
      const row = { id: testId('inst'), root_id: a.rootId, practice_session_id: a.sessionId, activity_definition_id: b.activityId };
      await expect(insertRow(ds, 'activity_instances', row)).rejects.toThrow(FOREIGN);
      await expect(insertRow(ds, 'activity_instances', { ...row, id: testId('inst'), activity_definition_id: a.activityId })).resolves.toBeDefined();
    });

    it('an activity instance that claims root B for a session of root A', async () => {
      const row = { id: testId('inst'), root_id: b.rootId, practice_session_id: a.sessionId, activity_definition_id: b.activityId };
      await expect(insertRow(ds, 'activity_instances', row)).rejects.toThrow(FOREIGN);
    });

    it('a metric value of root B on an instance of root A', async () => {
      const row = { id: testId('mv'), root_id: b.rootId, activity_instance_id: a.instanceId, metric_definition_id: b.metricId, value: 1 };
      await expect(insertRow(ds, 'metric_values', row)).rejects.toThrow(FOREIGN);
      await expect(insertRow(ds, 'metric_values', { ...row, id: testId('mv'), root_id: a.rootId, metric_definition_id: b.metricId })).rejects.toThrow(FOREIGN);
      await expect(insertRow(ds, 'metric_values', { ...row, id: testId('mv'), root_id: a.rootId, metric_definition_id: a.metricId })).resolves.toBeDefined();
    });

    it('a goal of root B under a parent of root A, and a session on a template of another root', async () => {
      await expect(insertRow(ds, 'goals', { id: testId('g'), root_id: b.rootId, parent_id: a.goalId, type: 'MicroGoal', name: 'x' })).rejects.toThrow(FOREIGN);
      await expect(
        insertRow(ds, 'goals', { id: testId('s'), root_id: a.rootId, parent_id: a.goalId, type: 'PracticeSession', name: 'x', template_id: b.templateId }),
      ).rejects.toThrow(FOREIGN);
    });

    it('a program or block goal link of root A naming a goal or a holder of root B', async () => {
      const link = { id: testId('pgl'), root_id: a.rootId, program_id: a.programId, goal_id: b.goalId };
      await expect(insertRow(ds, 'program_goals', link)).rejects.toThrow(FOREIGN);
      await expect(insertRow(ds, 'program_goals', { ...link, id: testId('pgl'), root_id: b.rootId })).rejects.toThrow(FOREIGN);
      await expect(insertRow(ds, 'program_goals', { ...link, id: testId('pgl'), program_id: b.programId, goal_id: a.goalId })).rejects.toThrow(FOREIGN);
      const blockLink = { id: testId('pbg'), root_id: a.rootId, block_id: a.blockId, goal_id: b.goalId };
      await expect(insertRow(ds, 'program_block_goals', blockLink)).rejects.toThrow(FOREIGN);
      await expect(insertRow(ds, 'program_block_goals', { ...blockLink, id: testId('pbg'), block_id: b.blockId, goal_id: a.goalId })).rejects.toThrow(FOREIGN);
      await expect(sql(ds, `UPDATE program_goals SET goal_id = ? WHERE root_id = ?`, [b.goalId, a.rootId])).rejects.toThrow(FOREIGN);
      // The same goal once per program or block among live links.
      await expect(insertRow(ds, 'program_goals', { ...link, id: testId('pgl'), goal_id: a.goalId })).rejects.toThrow(UNIQUE);
      await expect(insertRow(ds, 'program_goals', { ...link, id: testId('pgl'), goal_id: a.sessionId })).resolves.toBeDefined();
      await expect(insertRow(ds, 'program_block_goals', { ...blockLink, id: testId('pbg'), goal_id: a.sessionId })).resolves.toBeDefined();
    });

    it('an update that moves a child to another root', async () => {
      await expect(sql(ds, `UPDATE metric_definitions SET root_id = ? WHERE id = ?`, [b.rootId, a.metricId])).rejects.toThrow(FOREIGN);
      await expect(sql(ds, `UPDATE program_days SET block_id = ? WHERE id = ?`, [b.blockId, a.dayId])).rejects.toThrow(FOREIGN);
    });

    it('deleting a root removes its rows from every tenant table, and leaves the other root alone', async () => {
      const victim = await seedRoot(ds, 'Victim');
      const count = async (table: string, root: string) => Number((await sql(ds, `SELECT count(*) AS n FROM "${table}" WHERE root_id = ?`, [root]))[0].n);
      // The victim has rows in every tenant table, so that the cascade below has something to remove everywhere.
      for (const t of TENANT_TABLES) expect({ t, seeded: (await count(t, victim.rootId)) > 0 }).toEqual({ t, seeded: true });
      const before: Record<string, number> = {};
      for (const t of TENANT_TABLES) before[t] = await count(t, b.rootId);
      await sql(ds, `DELETE FROM goals WHERE id = ?`, [victim.rootId]);
      for (const t of TENANT_TABLES) {
        expect({ t, n: await count(t, victim.rootId) }).toEqual({ t, n: 0 });
        expect({ t, n: await count(t, b.rootId) }).toEqual({ t, n: before[t] });
      }
    });
  });

  describe('audit columns', () => {
    // SQLite returns the stored text (UTC), PostgreSQL a Date.
    const ms = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v).replace(' ', 'T') + 'Z'));
    const read = async (id: string) => {
      const [row] = await sql<{ created_at: unknown; updated_at: unknown }>(ds, `SELECT created_at, updated_at FROM goals WHERE id = ?`, [id]);
      return { created: ms(row.created_at), updated: ms(row.updated_at), raw: row };
    };
    const tick = () => new Promise((r) => setTimeout(r, 15));

    it('created_at and updated_at are set on a raw insert by the database default', async () => {
      const id = testId('g');
      const t0 = Date.now();
      await insertRow(ds, 'goals', { id, root_id: a.rootId, parent_id: a.rootId, type: 'MidTermGoal', name: 'raw' });
      const row = await read(id);
      expect(row.raw.created_at).not.toBeNull();
      expect(row.raw.updated_at).not.toBeNull();
      expect(Math.abs(row.created - t0)).toBeLessThan(5000);
    });

    it('are set on a repository insert, and updated_at moves on update(), a QueryBuilder update, save() and a soft delete', async () => {
      const repo = ds.getRepository(Goal);
      const saved = await repo.save(repo.create({ rootId: a.rootId, parentId: a.rootId, type: 'MidTermGoal', name: 'audited' } as Partial<Goal>));
      const inserted = await read(saved.id);
      expect(Number.isFinite(inserted.created)).toBe(true);
      expect(Number.isFinite(inserted.updated)).toBe(true);

      await tick();
      await repo.update({ id: saved.id }, { name: 'renamed by update()' });
      const afterUpdate = await read(saved.id);
      expect(afterUpdate.created).toBe(inserted.created);
      expect(afterUpdate.updated).toBeGreaterThan(inserted.updated);

      await tick();
      await ds.createQueryBuilder().update(Goal).set({ name: 'renamed by QueryBuilder' }).where('id = :id', { id: saved.id }).execute();
      const afterQb = await read(saved.id);
      expect(afterQb.created).toBe(inserted.created);
      expect(afterQb.updated).toBeGreaterThan(afterUpdate.updated);

      await tick();
      // save() of a freshly loaded entity: TypeORM diffs a stale one against the row and writes its old updated_at and version back.
      const loaded = (await repo.findOneBy({ id: saved.id }))!;
      loaded.name = 'renamed by save()';
      await repo.save(loaded);
      const afterSave = await read(saved.id);
      expect(afterSave.updated).toBeGreaterThan(afterQb.updated);

      await tick();
      // TypeORM's softDelete() sets deleted_at alone, which ck_goals_deletion refuses: a soft delete names its deletion.
      await expect(repo.softDelete({ id: saved.id })).rejects.toThrow(CHECK);
      await ds.createQueryBuilder().update(Goal).set({ deletedAt: new Date(), deletionId: testId('del') }).where('id = :id', { id: saved.id }).execute();
      const afterSoftDelete = await read(saved.id);
      expect(afterSoftDelete.updated).toBeGreaterThan(afterSave.updated);
    });
  });
});
