import { MigrationInterface, QueryRunner, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { TABLES } from './1767225600000-InitialSchema';
import { createTables, dropTables, engineOf, fk, table, TableSpec } from './lib/table-spec';
import { rebuildTable } from './lib/sqlite-schema';
import { TENANT_COLUMNS, columnNames, enableTenantRls, sameColumns } from './lib/tenant-tables';


/** A goal's own links: to single activities, and to whole groups. */
export const LINK_TABLES = [
  table('goal_activities', [...TENANT_COLUMNS, { name: 'goal_id', type: 'varchar', length: '36' }, { name: 'activity_id', type: 'varchar', length: '36' }], {
    indices: [
      { name: 'idx_goal_activities_activity', columnNames: ['root_id', 'activity_id'] },
      { name: 'idx_goal_activities_root', columnNames: ['root_id'] },
      { name: 'ux_goal_activities_pair', columnNames: ['root_id', 'goal_id', 'activity_id'], isUnique: true, where: 'deleted_at IS NULL' },
    ],
    foreignKeys: [
      fk('fk_goal_activities_activity_id', ['root_id', 'activity_id'], 'activity_definitions', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goal_activities_goal_id', ['root_id', 'goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goal_activities_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('goal_activity_groups', [...TENANT_COLUMNS, { name: 'goal_id', type: 'varchar', length: '36' }, { name: 'group_id', type: 'varchar', length: '36' }], {
    indices: [
      { name: 'idx_goal_activity_groups_group', columnNames: ['root_id', 'group_id'] },
      { name: 'idx_goal_activity_groups_root', columnNames: ['root_id'] },
      { name: 'ux_goal_activity_groups_pair', columnNames: ['root_id', 'goal_id', 'group_id'], isUnique: true, where: 'deleted_at IS NULL' },
    ],
    foreignKeys: [
      fk('fk_goal_activity_groups_goal_id', ['root_id', 'goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goal_activity_groups_group_id', ['root_id', 'group_id'], 'activity_groups', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goal_activity_groups_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
];

function initial(name: string): TableSpec {
  const spec = TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`InitialSchema has no table ${name}`);
  return spec;
}

/** A spec grown by columns, checks, indexes and keys; the root key stays last (see InitialSchema). */
function grown(
  spec: TableSpec,
  add: { columns: TableColumnOptions[]; checks?: TableSpec['checks']; indices?: TableSpec['indices']; foreignKeys?: TableSpec['foreignKeys'] },
): TableSpec {
  const keys = spec.foreignKeys ?? [];
  const root = keys.filter((k) => k.columnNames.join() === 'root_id');
  return {
    ...spec,
    columns: (engine) => [...spec.columns(engine), ...add.columns],
    checks: [...(spec.checks ?? []), ...(add.checks ?? [])],
    indices: [...(spec.indices ?? []), ...(add.indices ?? [])],
    foreignKeys: [...keys.filter((k) => !root.includes(k)), ...(add.foreignKeys ?? []), ...root],
  };
}

const GROUPS_BEFORE = initial('activity_groups');
const GROUP_PARENT_FK = fk('fk_activity_groups_parent_id', ['root_id', 'parent_id'], 'activity_groups', ['root_id', 'id'], 'NO ACTION');
const GROUP_PARENT_INDEX = { name: 'idx_activity_groups_parent', columnNames: ['root_id', 'parent_id'] };
const GROUPS_AFTER = grown(GROUPS_BEFORE, {
  columns: [
    { name: 'parent_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'version', type: 'integer', default: 1 },
  ],
  indices: [GROUP_PARENT_INDEX],
  foreignKeys: [GROUP_PARENT_FK],
});

// The rebuilt specs serve SQLite only (PostgreSQL ALTERs in place): booleans default to 1/0.
const METRICS_BEFORE = initial('metric_definitions');
const METRIC_RANGE = { name: 'ck_metric_definitions_range', expression: 'max_value >= min_value' };
const METRIC_ACTIVITY_INDEX = { name: 'idx_metric_definitions_root_activity', columnNames: ['root_id', 'activity_id'] };
const METRICS_AFTER = grown(METRICS_BEFORE, {
  columns: [
    { name: 'higher_is_better', type: 'boolean', default: '1' },
    { name: 'min_value', type: 'double precision', isNullable: true },
    { name: 'max_value', type: 'double precision', isNullable: true },
  ],
  checks: [METRIC_RANGE],
  indices: [METRIC_ACTIVITY_INDEX],
});

/**
 * Lookups by a parent's id inside a root. Given root_id = ? AND parent IN (...), SQLite (without
 * statistics) prefers the one-column root_id index, which reads every row of the root; an index on
 * (root_id, parent) is the one it takes then.
 */
const ROOT_PARENT_INDEXES: [string, TableIndex][] = [
  ['activity_instances', new TableIndex({ name: 'idx_activity_instances_activity_created', columnNames: ['root_id', 'activity_definition_id', 'created_at'] })],
  ['activity_instances', new TableIndex({ name: 'idx_activity_instances_root_session', columnNames: ['root_id', 'practice_session_id'] })],
  ['metric_values', new TableIndex({ name: 'idx_metric_values_root_instance', columnNames: ['root_id', 'activity_instance_id'] })],
  ['split_definitions', new TableIndex({ name: 'idx_split_definitions_root_activity', columnNames: ['root_id', 'activity_id'] })],
];

/** Columns SQLite and PostgreSQL can both ADD in place: no rebuild. */
const ADDED = [
  { table: 'activity_definitions', column: 'version', sqlite: 'integer NOT NULL DEFAULT 1', postgres: 'integer NOT NULL DEFAULT 1' },
  { table: 'split_definitions', column: 'is_active', sqlite: 'boolean NOT NULL DEFAULT (1)', postgres: 'boolean NOT NULL DEFAULT true' },
  { table: 'goals', column: 'inherit_parent_activities', sqlite: 'boolean NOT NULL DEFAULT (0)', postgres: 'boolean NOT NULL DEFAULT false' },
];

/**
 * What issue 15 needs of activity definitions:
 * - activity_groups nest (parent_id, a composite key into the same root) and carry a version;
 * - activity_definitions carry a version (If-Match);
 * - metric_definitions: higher_is_better and optional min/max bounds (min <= max);
 * - split_definitions: is_active, so that a split left out while values name it stays readable;
 * - goals: inherit_parent_activities, and the goal_activities / goal_activity_groups links;
 * - indexes on (root_id, parent id) for lookups of instances, values, metrics and splits by parent,
 *   and (root_id, activity_definition_id, created_at) for an activity's history.
 * SQLite rebuilds the two tables that gain a key or a CHECK; the rest is ALTER in place.
 */
export class ActivityDefinitions1767225600300 implements MigrationInterface {
  name = 'ActivityDefinitions1767225600300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const engine = engineOf(queryRunner);
    if (engine === 'sqlite') {
      const groupColumns = columnNames(GROUPS_BEFORE);
      await rebuildTable(queryRunner, GROUPS_AFTER, { ...sameColumns(groupColumns), parent_id: 'NULL', version: '1' });
      const metricColumns = columnNames(METRICS_BEFORE);
      await rebuildTable(queryRunner, METRICS_AFTER, { ...sameColumns(metricColumns), higher_is_better: '1', min_value: 'NULL', max_value: 'NULL' });
    } else {
      await q(`ALTER TABLE "activity_groups" ADD "parent_id" varchar(36), ADD "version" integer NOT NULL DEFAULT 1`);
      await queryRunner.createForeignKey('activity_groups', new TableForeignKey(GROUP_PARENT_FK));
      await queryRunner.createIndex('activity_groups', new TableIndex(GROUP_PARENT_INDEX));
      await q(
        `ALTER TABLE "metric_definitions" ADD "higher_is_better" boolean NOT NULL DEFAULT true, ADD "min_value" double precision, ADD "max_value" double precision`,
      );
      await q(`ALTER TABLE "metric_definitions" ADD CONSTRAINT "${METRIC_RANGE.name}" CHECK (${METRIC_RANGE.expression})`);
      await queryRunner.createIndex('metric_definitions', new TableIndex(METRIC_ACTIVITY_INDEX));
    }
    for (const a of ADDED) await q(`ALTER TABLE "${a.table}" ADD COLUMN "${a.column}" ${a[engine]}`);
    for (const [tableName, index] of ROOT_PARENT_INDEXES) await queryRunner.createIndex(tableName, index);
    await createTables(queryRunner, LINK_TABLES);
    await enableTenantRls(queryRunner, LINK_TABLES.map((t) => t.name));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const engine = engineOf(queryRunner);
    await dropTables(queryRunner, LINK_TABLES);
    for (const [tableName, index] of [...ROOT_PARENT_INDEXES].reverse()) await queryRunner.dropIndex(tableName, index.name!);
    for (const a of [...ADDED].reverse()) await q(`ALTER TABLE "${a.table}" DROP COLUMN "${a.column}"`);
    if (engine === 'sqlite') {
      await rebuildTable(queryRunner, METRICS_BEFORE, sameColumns(columnNames(METRICS_BEFORE)));
      await rebuildTable(queryRunner, GROUPS_BEFORE, sameColumns(columnNames(GROUPS_BEFORE)));
    } else {
      await q(`DROP INDEX "${METRIC_ACTIVITY_INDEX.name}"`);
      await q(`ALTER TABLE "metric_definitions" DROP CONSTRAINT "${METRIC_RANGE.name}"`);
      await q(`ALTER TABLE "metric_definitions" DROP COLUMN "max_value", DROP COLUMN "min_value", DROP COLUMN "higher_is_better"`);
      await q(`DROP INDEX "${GROUP_PARENT_INDEX.name}"`);
      await q(`ALTER TABLE "activity_groups" DROP CONSTRAINT "${GROUP_PARENT_FK.name}"`);
      await q(`ALTER TABLE "activity_groups" DROP COLUMN "version", DROP COLUMN "parent_id"`);
    }
  }
}
