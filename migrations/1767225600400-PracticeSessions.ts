import { MigrationInterface, QueryRunner } from 'typeorm';
import { adoptionOptionsOf } from './lib/legacy/options';
import { UnsafeSwitch } from './lib/legacy/keys-after';
import { createTables, dropTables, engineOf, fk, nowSql, table, tsType } from './lib/table-spec';
import { TENANT_COLUMNS } from './lib/tenant-tables';


/** A practice session's sections, in order; its activity instances name the section they belong to. */
export const SESSION_SECTIONS = table('session_sections', [
  ...TENANT_COLUMNS,
  { name: 'session_id', type: 'varchar', length: '36' },
  { name: 'position', type: 'integer' },
  { name: 'name', type: 'varchar', length: '200' },
  { name: 'duration_minutes', type: 'integer', isNullable: true },
], {
  uniques: [{ name: 'uq_session_sections_root_id', columnNames: ['root_id', 'id'] }],
  checks: [{ name: 'ck_session_sections_position', expression: 'position >= 0 AND duration_minutes >= 0' }],
  indices: [
    { name: 'idx_session_sections_root', columnNames: ['root_id'] },
    { name: 'idx_session_sections_session', columnNames: ['root_id', 'session_id'] },
    { name: 'ux_session_sections_position', columnNames: ['root_id', 'session_id', 'position'], isUnique: true, where: 'deleted_at IS NULL' },
  ],
  foreignKeys: [
    fk('fk_session_sections_session_id', ['root_id', 'session_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
    fk('fk_session_sections_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
  ],
});

/** The sets of an activity instance, in order, with their notes; values name their set by position (set_index). */
export const ACTIVITY_SETS = table('activity_sets', [
  ...TENANT_COLUMNS,
  { name: 'activity_instance_id', type: 'varchar', length: '36' },
  { name: 'position', type: 'integer' },
  { name: 'notes', type: 'text', isNullable: true },
], {
  uniques: [{ name: 'uq_activity_sets_root_id', columnNames: ['root_id', 'id'] }],
  checks: [{ name: 'ck_activity_sets_position', expression: 'position >= 0' }],
  indices: [
    { name: 'idx_activity_sets_instance', columnNames: ['root_id', 'activity_instance_id'] },
    { name: 'idx_activity_sets_root', columnNames: ['root_id'] },
    { name: 'ux_activity_sets_position', columnNames: ['root_id', 'activity_instance_id', 'position'], isUnique: true, where: 'deleted_at IS NULL' },
  ],
  foreignKeys: [
    fk('fk_activity_sets_activity_instance_id', ['root_id', 'activity_instance_id'], 'activity_instances', ['root_id', 'id'], 'CASCADE'),
    fk('fk_activity_sets_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
  ],
});

const NEW_TABLES = [SESSION_SECTIONS, ACTIVITY_SETS];

const SECTION_FK = fk('fk_activity_instances_section_id', ['root_id', 'section_id'], 'session_sections', ['root_id', 'id'], 'NO ACTION');
const SECTION_INDEX = `CREATE INDEX "idx_activity_instances_section" ON "activity_instances" ("root_id", "section_id") WHERE section_id IS NOT NULL`;
const SET_INDEX_CHECK = { name: 'ck_metric_values_set_index', expression: 'set_index >= 0' };
/** One live value per (instance, metric, split, set): two partial indexes, because a NULL split is never equal to another. */
const VALUE_SLOT_INDEXES = [
  `CREATE UNIQUE INDEX "ux_metric_values_slot" ON "metric_values" ("root_id", "activity_instance_id", "metric_definition_id", "split_definition_id", "set_index") WHERE deleted_at IS NULL AND split_definition_id IS NOT NULL`,
  `CREATE UNIQUE INDEX "ux_metric_values_slot_unsplit" ON "metric_values" ("root_id", "activity_instance_id", "metric_definition_id", "set_index") WHERE deleted_at IS NULL AND split_definition_id IS NULL`,
];

/**
 * The deletion that sets aside the extra values of an activity without sets: one id, so that
 * down() brings back exactly those rows. The trash shows them as one deletion.
 */
export const DUPLICATE_VALUES_DELETION_ID = '5e55105e-0400-4000-8000-000000000400';

const APP_ROLE = 'fractal_app';
const TENANT_CLAUSE = `root_id = current_setting('app.root_id', true)`;
const BYPASS_CLAUSE = `(SELECT fg_rls_bypass_active())`;

/**
 * Practice sessions over HTTP:
 * - session_sections and activity_sets, tenant tables with composite keys and RLS;
 * - activity_instances.section_id (its section, composite key) and version (the ETag of an instance);
 * - goals.session_paused_at: when a whole session was paused (its timers resume together);
 * - metric_values.set_index and one live value per (instance, metric, split, set).
 *
 * Adopted Flask-era files may hold several live values for one instance, metric and split.
 * For an activity with sets they become its sets, in the order they were recorded; for one
 * without, the newest stays and the others are soft-deleted under DUPLICATE_VALUES_DELETION_ID
 * (kept in their table, restorable, nothing lost).
 *
 * SQLite: every new column is an ADD COLUMN, and the two constraints on big tables (the
 * section key of activity_instances, the set_index CHECK of metric_values) are written into
 * their CREATE text, where a table rebuild would copy millions of rows to check a column that is
 * NULL or 0 everywhere. The runner's foreign_key_check and integrity_check run before the commit.
 */
export class PracticeSessions1767225600400 implements MigrationInterface {
  name = 'PracticeSessions1767225600400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string, params?: unknown[]) => queryRunner.query(sql, params);
    const engine = engineOf(queryRunner);
    const ts = tsType(engine);
    await createTables(queryRunner, NEW_TABLES);
    await enableTenantRls(queryRunner, NEW_TABLES.map((t) => t.name));

    await q(`ALTER TABLE "goals" ADD COLUMN "session_paused_at" ${ts}`);
    await q(`ALTER TABLE "activity_instances" ADD COLUMN "section_id" varchar(36)`);
    await q(`ALTER TABLE "activity_instances" ADD COLUMN "version" integer NOT NULL DEFAULT 1`);
    await q(`ALTER TABLE "metric_values" ADD COLUMN "set_index" integer NOT NULL DEFAULT 0`);
    if (engine === 'postgres') {
      await q(`ALTER TABLE "activity_instances" ADD CONSTRAINT "${SECTION_FK.name}" ${fkClause(SECTION_FK)}`);
      await q(`ALTER TABLE "metric_values" ADD CONSTRAINT "${SET_INDEX_CHECK.name}" CHECK (${SET_INDEX_CHECK.expression})`);
    } else {
      await editCreateSql(queryRunner, 'activity_instances', (sql) => insertConstraint(sql, fkSql(SECTION_FK)));
      await editCreateSql(queryRunner, 'metric_values', (sql) => insertConstraint(sql, checkSql(SET_INDEX_CHECK)));
    }
    await q(SECTION_INDEX);

    // Duplicates are rare, and finding them costs a sort of every value: try the keys first.
    await q('SAVEPOINT practice_sessions_slots');
    try {
      for (const sql of VALUE_SLOT_INDEXES) await q(sql);
      await q('RELEASE SAVEPOINT practice_sessions_slots');
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await q('ROLLBACK TO SAVEPOINT practice_sessions_slots');
      await q('RELEASE SAVEPOINT practice_sessions_slots');
    }
    const { numbered, setAside } = await separateDuplicateValues(queryRunner);
    adoptionOptionsOf(queryRunner).log?.(
      `PracticeSessions: ${numbered} values of activities with sets numbered as their sets; ${setAside} extra values of activities without sets soft-deleted (deletion ${DUPLICATE_VALUES_DELETION_ID}), the newest kept`,
    );
    for (const sql of VALUE_SLOT_INDEXES) await q(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string, params?: unknown[]) => queryRunner.query(sql, params);
    const engine = engineOf(queryRunner);
    await q(`DROP INDEX "ux_metric_values_slot_unsplit"`);
    await q(`DROP INDEX "ux_metric_values_slot"`);
    await q(`UPDATE metric_values SET deleted_at = NULL, deletion_id = NULL WHERE deletion_id = '${DUPLICATE_VALUES_DELETION_ID}'`);
    await q(`DROP INDEX "idx_activity_instances_section"`);
    if (engine === 'postgres') {
      await q(`ALTER TABLE "metric_values" DROP CONSTRAINT "${SET_INDEX_CHECK.name}"`);
      await q(`ALTER TABLE "activity_instances" DROP CONSTRAINT "${SECTION_FK.name}"`);
    } else {
      await editCreateSql(queryRunner, 'metric_values', (sql) => cutConstraint(sql, checkSql(SET_INDEX_CHECK)));
      await editCreateSql(queryRunner, 'activity_instances', (sql) => cutConstraint(sql, fkSql(SECTION_FK)));
    }
    await q(`ALTER TABLE "metric_values" DROP COLUMN "set_index"`);
    await q(`ALTER TABLE "activity_instances" DROP COLUMN "version"`);
    await q(`ALTER TABLE "activity_instances" DROP COLUMN "section_id"`);
    await q(`ALTER TABLE "goals" DROP COLUMN "session_paused_at"`);
    await dropTables(queryRunner, NEW_TABLES);
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

interface DuplicateRow {
  id: string;
  has_sets: unknown;
  n: number;
}

/**
 * Live values that share an instance, a metric and a split. With sets, each takes the next
 * set index in the order recorded (created_at, id); without, all but the newest are set aside.
 * Rare, so the rows are handled one by one after one grouped pass finds them.
 */
async function separateDuplicateValues(qr: QueryRunner): Promise<{ numbered: number; setAside: number }> {
  const engine = engineOf(qr);
  const p = (n: number) => (engine === 'postgres' ? `$${n}` : '?');
  const rows: DuplicateRow[] = await qr.query(
    `SELECT v.id, a.has_sets,
            ROW_NUMBER() OVER (PARTITION BY v.root_id, v.activity_instance_id, v.metric_definition_id, v.split_definition_id ORDER BY v.created_at, v.id) AS n
     FROM metric_values v
     JOIN (SELECT root_id, activity_instance_id, metric_definition_id, split_definition_id
           FROM metric_values WHERE deleted_at IS NULL
           GROUP BY root_id, activity_instance_id, metric_definition_id, split_definition_id HAVING count(*) > 1) d
       ON d.root_id = v.root_id AND d.activity_instance_id = v.activity_instance_id AND d.metric_definition_id = v.metric_definition_id
      AND (d.split_definition_id = v.split_definition_id OR (d.split_definition_id IS NULL AND v.split_definition_id IS NULL))
     JOIN activity_instances i ON i.root_id = v.root_id AND i.id = v.activity_instance_id
     JOIN activity_definitions a ON a.root_id = i.root_id AND a.id = i.activity_definition_id
     WHERE v.deleted_at IS NULL
     ORDER BY v.root_id, v.activity_instance_id, v.metric_definition_id, v.split_definition_id, n`,
  );
  const hasSets = (r: DuplicateRow) => r.has_sets === true || Number(r.has_sets) === 1;
  let numbered = 0;
  let setAside = 0;
  const groups: DuplicateRow[][] = [];
  for (const r of rows) {
    if (Number(r.n) === 1) groups.push([]);
    groups[groups.length - 1].push(r);
  }
  for (const group of groups) {
    if (hasSets(group[0])) {
      for (const r of group.slice(1)) {
        await qr.query(`UPDATE metric_values SET set_index = ${p(1)} WHERE id = ${p(2)}`, [Number(r.n) - 1, r.id]);
        numbered++;
      }
    } else {
      // Without sets the newest stays: the last of its group.
      for (const r of group.slice(0, -1)) {
        await qr.query(`UPDATE metric_values SET deleted_at = ${nowSql(engine)}, deletion_id = ${p(1)} WHERE id = ${p(2)}`, [DUPLICATE_VALUES_DELETION_ID, r.id]);
        setAside++;
      }
    }
  }
  return { numbered, setAside };
}

/** PostgreSQL: the new tenant tables get what the RowLevelSecurity migration gave the first ones. */
async function enableTenantRls(qr: QueryRunner, tables: string[]): Promise<void> {
  if (engineOf(qr) !== 'postgres') return;
  for (const name of tables) {
    await qr.query(`ALTER TABLE "${name}" ENABLE ROW LEVEL SECURITY`);
    await qr.query(`ALTER TABLE "${name}" FORCE ROW LEVEL SECURITY`);
    await qr.query(`CREATE POLICY fg_tenant ON "${name}" USING (${TENANT_CLAUSE}) WITH CHECK (${TENANT_CLAUSE})`);
    await qr.query(`CREATE POLICY fg_admin_bypass ON "${name}" USING (${BYPASS_CLAUSE}) WITH CHECK (${BYPASS_CLAUSE})`);
    await qr.query(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON "${name}" TO ${APP_ROLE};
  END IF;
END $$`);
  }
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
const fkClause = (f: ReturnType<typeof fk>) =>
  `FOREIGN KEY (${quoted(f.columnNames)}) REFERENCES "${f.referencedTableName}" (${quoted(f.referencedColumnNames)}) ON DELETE ${f.onDelete}`;
/** As TypeORM writes them into SQLite's CREATE text, so that a fresh and an adopted file read the same. */
const fkSql = (f: ReturnType<typeof fk>) => `, CONSTRAINT "${f.name}" ${fkClause(f)}`;
const checkSql = (c: { name: string; expression: string }) => `, CONSTRAINT "${c.name}" CHECK (${c.expression})`;

/**
 * Checks go after the other checks and uniques, keys before the other keys: TypeORM names
 * SQLite's keys back by the first declared key whose columns cover them, so the one-column
 * root key must stay last.
 */
function insertConstraint(sql: string, fragment: string): string {
  const firstKey = sql.search(/, CONSTRAINT "[^"]+" FOREIGN KEY/);
  const at = firstKey >= 0 ? firstKey : sql.lastIndexOf(')');
  return sql.slice(0, at) + fragment + sql.slice(at);
}

function cutConstraint(sql: string, fragment: string): string {
  if (!sql.includes(fragment)) throw new Error(`PracticeSessions down: the table text lacks ${fragment.trim()}`);
  return sql.replace(fragment, '');
}

/**
 * Rewrites a SQLite table's CREATE text in place, in the caller's transaction. SQLite checks
 * no existing row against a constraint added this way: the callers add constraints that every
 * row meets by construction (a column that is NULL, or 0, everywhere), and the runner's
 * foreign_key_check and integrity_check confirm it before the commit. The schema cookie moves,
 * so every connection reads the new text.
 */
async function editCreateSql(qr: QueryRunner, name: string, edit: (sql: string) => string): Promise<void> {
  const [row] = (await qr.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [name])) as { sql: string }[];
  if (!row) throw new Error(`PracticeSessions: no table ${name}`);
  const next = edit(row.sql);
  const [{ schema_version: version }] = (await qr.query('PRAGMA schema_version')) as { schema_version: number }[];
  const db = (qr.connection.driver as unknown as { databaseConnection: UnsafeSwitch }).databaseConnection;
  db.unsafeMode(true);
  try {
    await qr.query('PRAGMA writable_schema = ON');
    await qr.query(`UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?`, [next, name]);
    await qr.query(`PRAGMA schema_version = ${version + 1}`);
  } finally {
    await qr.query('PRAGMA writable_schema = RESET');
    db.unsafeMode(false);
  }
}
