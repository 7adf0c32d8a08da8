import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTables, dropTables, fk, table } from './lib/table-spec';
import { enableTenantRls } from './lib/tenant-rls';

const audited = [
  { name: 'id', type: 'varchar', length: '36', isPrimary: true },
  col('created_at', ({ ts, now }) => ({ type: ts, default: now })),
  col('updated_at', ({ ts, now }) => ({ type: ts, default: now })),
  { name: 'created_by', type: 'varchar', length: '36', isNullable: true },
  { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
  col('deleted_at', ({ ts }) => ({ type: ts, isNullable: true })),
  { name: 'deletion_id', type: 'varchar', length: '36', isNullable: true },
  { name: 'root_id', type: 'varchar', length: '36' },
];

export const TARGET_TABLES = [
  table('goal_targets', [
    ...audited,
    { name: 'goal_id', type: 'varchar', length: '36' },
    { name: 'activity_id', type: 'varchar', length: '36' },
    { name: 'name', type: 'varchar', length: '200', isNullable: true },
    { name: 'kind', type: 'varchar', length: '16' },
    { name: 'session_count', type: 'integer', isNullable: true },
    { name: 'period_days', type: 'integer', isNullable: true },
    { name: 'starts_on', type: 'date', isNullable: true },
    { name: 'ends_on', type: 'date', isNullable: true },
    { name: 'sort_order', type: 'integer', default: 0 },
    { name: 'met', type: 'boolean', default: false },
    col('met_at', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'met_by_session_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'met_by_instance_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'version', type: 'integer', default: 1 },
  ], {
    uniques: [{ name: 'uq_goal_targets_root_id', columnNames: ['root_id', 'id'] }],
    checks: [
      { name: 'ck_goal_targets_counts', expression: 'session_count >= 1 AND period_days >= 1' },
      { name: 'ck_goal_targets_frequency', expression: `(kind = 'frequency') = (session_count IS NOT NULL AND period_days IS NOT NULL)` },
      { name: 'ck_goal_targets_kind', expression: `kind IN ('threshold', 'sum', 'frequency')` },
      { name: 'ck_goal_targets_scope', expression: 'ends_on >= starts_on' },
    ],
    indices: [
      { name: 'idx_goal_targets_activity', columnNames: ['activity_id'] },
      { name: 'idx_goal_targets_goal', columnNames: ['goal_id'] },
      { name: 'idx_goal_targets_met_instance', columnNames: ['met_by_instance_id'] },
      { name: 'idx_goal_targets_met_session', columnNames: ['met_by_session_id'] },
      { name: 'idx_goal_targets_root', columnNames: ['root_id'] },
    ],
    foreignKeys: [
      fk('fk_goal_targets_goal_id', ['root_id', 'goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goal_targets_activity_id', ['root_id', 'activity_id'], 'activity_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goal_targets_met_by_session_id', ['root_id', 'met_by_session_id'], 'goals', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goal_targets_met_by_instance_id', ['root_id', 'met_by_instance_id'], 'activity_instances', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goal_targets_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('target_conditions', [
    ...audited,
    { name: 'target_id', type: 'varchar', length: '36' },
    { name: 'metric_id', type: 'varchar', length: '36' },
    { name: 'comparison', type: 'varchar', length: '2' },
    { name: 'value', type: 'double precision' },
    { name: 'sort_order', type: 'integer', default: 0 },
  ], {
    uniques: [{ name: 'uq_target_conditions_root_id', columnNames: ['root_id', 'id'] }],
    checks: [{ name: 'ck_target_conditions_comparison', expression: `comparison IN ('>=', '<=', '=')` }],
    indices: [
      { name: 'idx_target_conditions_metric', columnNames: ['metric_id'] },
      { name: 'idx_target_conditions_root', columnNames: ['root_id'] },
      { name: 'idx_target_conditions_target', columnNames: ['target_id'] },
    ],
    foreignKeys: [
      fk('fk_target_conditions_target_id', ['root_id', 'target_id'], 'goal_targets', ['root_id', 'id'], 'CASCADE'),
      fk('fk_target_conditions_metric_id', ['root_id', 'metric_id'], 'metric_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_target_conditions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
];

/** Targets as rows: a goal's targets on an activity, and their conditions on its metrics. */
export class GoalTargets1767225600120 implements MigrationInterface {
  name = 'GoalTargets1767225600120';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TARGET_TABLES);
    await enableTenantRls(queryRunner, TARGET_TABLES.map((t) => t.name));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TARGET_TABLES);
  }
}
