import { MigrationInterface, QueryRunner, TableColumnOptions } from 'typeorm';
import { moveLegacyTablesAside } from './lib/legacy-stash';
import { col, createTables, dropTables, fk, table } from './lib/table-spec';

const audited = [
  { name: 'id', type: 'varchar', length: '36', isPrimary: true },
  col('created_at', ({ ts, now }) => ({ type: ts, default: now })),
  col('updated_at', ({ ts, now }) => ({ type: ts, default: now })),
  { name: 'created_by', type: 'varchar', length: '36', isNullable: true },
  { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
];
const softDelete = [
  col('deleted_at', ({ ts }) => ({ type: ts, isNullable: true })),
  { name: 'deletion_id', type: 'varchar', length: '36', isNullable: true },
];
const tenant: TableColumnOptions = { name: 'root_id', type: 'varchar', length: '36' };

/**
 * The whole schema of the multi-user API, for SQLite and PostgreSQL alike. Within each
 * table the root foreign key is listed last: TypeORM matches SQLite constraint names by
 * column subsets, and a one-column key listed first would be mistaken for a composite one.
 */
export const TABLES = [
  table('users', [
    ...audited,
    ...softDelete,
    { name: 'email', type: 'varchar', length: '254' },
    { name: 'display_name', type: 'varchar', length: '200', isNullable: true },
    { name: 'password_hash', type: 'varchar', length: '255', isNullable: true },
    { name: 'role', type: 'varchar', length: '16', default: "'user'" },
    { name: 'is_active', type: 'boolean', default: true },
    col('last_login_at', ({ ts }) => ({ type: ts, isNullable: true })),
  ], {
    checks: [
      { name: 'ck_users_role', expression: "role IN ('user', 'admin')" },
      { name: 'ck_users_email_lower', expression: "email = lower(email)" },
    ],
    indices: [
      { name: 'ux_users_email', columnNames: ['email'], isUnique: true },
    ],
  }),
  table('goals', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'type', type: 'varchar', length: '32' },
    { name: 'name', type: 'varchar', length: '500' },
    { name: 'description', type: 'text', isNullable: true },
    col('deadline', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'completed', type: 'boolean', default: false },
    col('completed_at', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'parent_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'targets', type: 'json', isNullable: true },
    { name: 'sort_order', type: 'integer', default: 0 },
    { name: 'duration_minutes', type: 'integer', isNullable: true },
    col('session_start', ({ ts }) => ({ type: ts, isNullable: true })),
    col('session_end', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'total_duration_seconds', type: 'integer', isNullable: true },
    { name: 'template_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'session_data', type: 'json', isNullable: true },
    { name: 'attributes', type: 'json', isNullable: true },
    { name: 'version', type: 'integer', default: 1 },
  ], {
    uniques: [{ name: 'uq_goals_root_id', columnNames: ['root_id', 'id'] }],
    checks: [
      { name: 'ck_goals_duration', expression: "total_duration_seconds >= 0 AND duration_minutes >= 0" },
      { name: 'ck_goals_session_order', expression: "session_end >= session_start" },
      { name: 'ck_goals_type', expression: "\"type\" IN ('UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'PracticeSession', 'ImmediateGoal', 'MicroGoal', 'NanoGoal')" },
    ],
    indices: [
      { name: 'idx_goals_completed', columnNames: ['root_id', 'type'], where: "completed = true" },
      { name: 'idx_goals_created_at', columnNames: ['created_at'] },
      { name: 'idx_goals_parent_id', columnNames: ['parent_id'] },
      { name: 'idx_goals_parent_type', columnNames: ['parent_id', 'type'] },
      { name: 'idx_goals_practice_sessions', columnNames: ['root_id', 'created_at'], where: "type = 'PracticeSession'" },
      { name: 'idx_goals_root_id', columnNames: ['root_id'] },
      { name: 'idx_goals_root_type', columnNames: ['root_id', 'type'] },
      { name: 'idx_goals_type', columnNames: ['type'] },
      { name: 'idx_goals_user_id', columnNames: ['user_id'] },
      { name: 'idx_session_duration', columnNames: ['total_duration_seconds'], where: "type = 'PracticeSession'" },
      { name: 'idx_session_end', columnNames: ['session_end'], where: "type = 'PracticeSession'" },
      { name: 'idx_session_start', columnNames: ['session_start'], where: "type = 'PracticeSession'" },
      { name: 'idx_template_id', columnNames: ['template_id'], where: "type = 'PracticeSession'" },
      { name: 'ux_goals_user_name', columnNames: ['user_id', 'name'], isUnique: true, where: "deleted_at IS NULL AND user_id IS NOT NULL" },
    ],
    foreignKeys: [
      fk('fk_goals_parent_id', ['root_id', 'parent_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_goals_template_id', ['root_id', 'template_id'], 'session_templates', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_goals_user', ['user_id'], 'users', ['id'], 'NO ACTION'),
      fk('fk_goals_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('session_templates', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'description', type: 'text', isNullable: true },
    { name: 'template_data', type: 'json' },
  ], {
    uniques: [{ name: 'uq_session_templates_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_session_templates_root', columnNames: ['root_id'] },
      { name: 'ux_session_templates_root_name', columnNames: ['root_id', 'name'], isUnique: true, where: "deleted_at IS NULL" },
    ],
    foreignKeys: [
      fk('fk_session_templates_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('practice_session_goals', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'practice_session_id', type: 'varchar', length: '36' },
    { name: 'short_term_goal_id', type: 'varchar', length: '36' },
  ], {
    indices: [
      { name: 'idx_practice_session_goals_goal', columnNames: ['short_term_goal_id'] },
      { name: 'idx_practice_session_goals_root', columnNames: ['root_id'] },
      { name: 'idx_practice_session_goals_session', columnNames: ['practice_session_id'] },
      { name: 'ux_practice_session_goals_pair', columnNames: ['practice_session_id', 'short_term_goal_id'], isUnique: true, where: "deleted_at IS NULL" },
    ],
    foreignKeys: [
      fk('fk_practice_session_goals_practice_session_id', ['root_id', 'practice_session_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_practice_session_goals_short_term_goal_id', ['root_id', 'short_term_goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_practice_session_goals_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('activity_groups', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'description', type: 'text', isNullable: true },
    { name: 'sort_order', type: 'integer', default: 0 },
  ], {
    uniques: [{ name: 'uq_activity_groups_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_activity_groups_root', columnNames: ['root_id'] },
      { name: 'ux_activity_groups_root_name', columnNames: ['root_id', 'name'], isUnique: true, where: "deleted_at IS NULL" },
    ],
    foreignKeys: [
      fk('fk_activity_groups_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('activity_definitions', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'group_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'description', type: 'text', isNullable: true },
    { name: 'has_sets', type: 'boolean', default: false },
    { name: 'has_metrics', type: 'boolean', default: true },
    { name: 'metrics_multiplicative', type: 'boolean', default: false },
    { name: 'has_splits', type: 'boolean', default: false },
    { name: 'sort_order', type: 'integer', default: 0 },
    { name: 'recovered_from_legacy', type: 'boolean', default: false },
  ], {
    uniques: [{ name: 'uq_activity_definitions_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_activity_definitions_group', columnNames: ['group_id'] },
      { name: 'idx_activity_definitions_root', columnNames: ['root_id'] },
      { name: 'idx_activity_group', columnNames: ['group_id'] },
      { name: 'ux_activity_definitions_root_name', columnNames: ['root_id', 'name'], isUnique: true, where: "deleted_at IS NULL" },
    ],
    foreignKeys: [
      fk('fk_activity_definitions_group_id', ['root_id', 'group_id'], 'activity_groups', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_activity_definitions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('metric_definitions', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'activity_id', type: 'varchar', length: '36' },
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'unit', type: 'varchar', length: '50' },
    { name: 'is_active', type: 'boolean', default: true },
    { name: 'is_top_set_metric', type: 'boolean', default: false },
    { name: 'is_multiplicative', type: 'boolean', default: true },
    { name: 'sort_order', type: 'integer', default: 0 },
    { name: 'recovered_from_legacy', type: 'boolean', default: false },
  ], {
    uniques: [{ name: 'uq_metric_definitions_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_metric_definitions_active', columnNames: ['activity_id'], where: "is_active = true" },
      { name: 'idx_metric_definitions_activity', columnNames: ['activity_id'] },
      { name: 'idx_metric_definitions_root', columnNames: ['root_id'] },
      { name: 'ux_metric_definitions_activity_name', columnNames: ['activity_id', 'name'], isUnique: true, where: "deleted_at IS NULL" },
    ],
    foreignKeys: [
      fk('fk_metric_definitions_activity_id', ['root_id', 'activity_id'], 'activity_definitions', ['root_id', 'id'], 'CASCADE'),
      fk('fk_metric_definitions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('split_definitions', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'activity_id', type: 'varchar', length: '36' },
    { name: 'name', type: 'varchar', length: '100' },
    { name: 'order', type: 'integer', default: 0 },
  ], {
    uniques: [{ name: 'uq_split_definitions_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_split_definitions_activity', columnNames: ['activity_id'] },
      { name: 'idx_split_definitions_root', columnNames: ['root_id'] },
      { name: 'ux_split_definitions_activity_name', columnNames: ['activity_id', 'name'], isUnique: true, where: "deleted_at IS NULL" },
    ],
    foreignKeys: [
      fk('fk_split_definitions_activity_id', ['root_id', 'activity_id'], 'activity_definitions', ['root_id', 'id'], 'CASCADE'),
      fk('fk_split_definitions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('activity_instances', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'practice_session_id', type: 'varchar', length: '36' },
    { name: 'activity_definition_id', type: 'varchar', length: '36' },
    col('time_start', ({ ts }) => ({ type: ts, isNullable: true })),
    col('time_stop', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'duration_seconds', type: 'integer', isNullable: true },
    col('paused_at', ({ ts }) => ({ type: ts, isNullable: true })),
    { name: 'total_paused_seconds', type: 'integer', default: 0 },
    { name: 'completed', type: 'boolean', default: false },
    { name: 'notes', type: 'text', isNullable: true },
    { name: 'data', type: 'json', isNullable: true },
    { name: 'sort_order', type: 'integer', default: 0 },
  ], {
    uniques: [{ name: 'uq_activity_instances_root_id', columnNames: ['root_id', 'id'] }],
    checks: [
      { name: 'ck_activity_instances_duration', expression: "duration_seconds >= 0 AND total_paused_seconds >= 0" },
      { name: 'ck_activity_instances_time_order', expression: "time_stop >= time_start" },
    ],
    indices: [
      { name: 'idx_activity_instances_definition', columnNames: ['activity_definition_id'] },
      { name: 'idx_activity_instances_root', columnNames: ['root_id'] },
      { name: 'idx_activity_instances_root_date', columnNames: ['root_id', 'created_at'] },
      { name: 'idx_activity_instances_session', columnNames: ['practice_session_id'] },
      { name: 'idx_activity_instances_session_created', columnNames: ['practice_session_id', 'created_at'] },
    ],
    foreignKeys: [
      fk('fk_activity_instances_activity_definition_id', ['root_id', 'activity_definition_id'], 'activity_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_activity_instances_practice_session_id', ['root_id', 'practice_session_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
      fk('fk_activity_instances_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('metric_values', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'activity_instance_id', type: 'varchar', length: '36' },
    { name: 'metric_definition_id', type: 'varchar', length: '36' },
    { name: 'split_definition_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'value', type: 'double precision' },
  ], {
    indices: [
      { name: 'idx_metric_values_definition', columnNames: ['metric_definition_id'] },
      { name: 'idx_metric_values_instance', columnNames: ['activity_instance_id'] },
      { name: 'idx_metric_values_root', columnNames: ['root_id'] },
      { name: 'idx_metric_values_root_metric', columnNames: ['root_id', 'metric_definition_id'] },
      { name: 'idx_metric_values_split', columnNames: ['split_definition_id'] },
    ],
    foreignKeys: [
      fk('fk_metric_values_activity_instance_id', ['root_id', 'activity_instance_id'], 'activity_instances', ['root_id', 'id'], 'CASCADE'),
      fk('fk_metric_values_metric_definition_id', ['root_id', 'metric_definition_id'], 'metric_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_metric_values_split_definition_id', ['root_id', 'split_definition_id'], 'split_definitions', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_metric_values_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('programs', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'description', type: 'text', isNullable: true },
    col('start_date', ({ ts }) => ({ type: ts })),
    col('end_date', ({ ts }) => ({ type: ts })),
    { name: 'is_active', type: 'boolean', default: true },
    { name: 'goal_ids', type: 'json' },
    { name: 'weekly_schedule', type: 'json' },
  ], {
    uniques: [{ name: 'uq_programs_root_id', columnNames: ['root_id', 'id'] }],
    checks: [
      { name: 'ck_programs_date_order', expression: "end_date >= start_date" },
    ],
    indices: [
      { name: 'idx_programs_root', columnNames: ['root_id'] },
    ],
    foreignKeys: [
      fk('fk_programs_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('program_blocks', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'program_id', type: 'varchar', length: '36' },
    { name: 'name', type: 'varchar', length: '200' },
    { name: 'start_date', type: 'date', isNullable: true },
    { name: 'end_date', type: 'date', isNullable: true },
    { name: 'color', type: 'varchar', length: '32', isNullable: true },
    { name: 'goal_ids', type: 'json', isNullable: true },
  ], {
    uniques: [{ name: 'uq_program_blocks_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_program_blocks_program', columnNames: ['program_id'] },
      { name: 'idx_program_blocks_root', columnNames: ['root_id'] },
    ],
    foreignKeys: [
      fk('fk_program_blocks_program_id', ['root_id', 'program_id'], 'programs', ['root_id', 'id'], 'CASCADE'),
      fk('fk_program_blocks_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('program_days', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'block_id', type: 'varchar', length: '36' },
    { name: 'date', type: 'date', isNullable: true },
    { name: 'day_number', type: 'integer', isNullable: true },
    { name: 'name', type: 'varchar', length: '200', isNullable: true },
    { name: 'notes', type: 'text', isNullable: true },
  ], {
    uniques: [{ name: 'uq_program_days_root_id', columnNames: ['root_id', 'id'] }],
    indices: [
      { name: 'idx_program_days_block', columnNames: ['block_id'] },
      { name: 'idx_program_days_root', columnNames: ['root_id'] },
    ],
    foreignKeys: [
      fk('fk_program_days_block_id', ['root_id', 'block_id'], 'program_blocks', ['root_id', 'id'], 'CASCADE'),
      fk('fk_program_days_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('scheduled_sessions', [
    ...audited,
    ...softDelete,
    tenant,
    { name: 'day_id', type: 'varchar', length: '36' },
    { name: 'session_template_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'is_completed', type: 'boolean', default: false },
    { name: 'completion_data', type: 'text', isNullable: true },
  ], {
    indices: [
      { name: 'idx_scheduled_sessions_day', columnNames: ['day_id'] },
      { name: 'idx_scheduled_sessions_root', columnNames: ['root_id'] },
      { name: 'idx_scheduled_sessions_template', columnNames: ['session_template_id'] },
    ],
    foreignKeys: [
      fk('fk_scheduled_sessions_day_id', ['root_id', 'day_id'], 'program_days', ['root_id', 'id'], 'CASCADE'),
      fk('fk_scheduled_sessions_session_template_id', ['root_id', 'session_template_id'], 'session_templates', ['root_id', 'id'], 'NO ACTION'),
      fk('fk_scheduled_sessions_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
    ],
  }),
  table('refresh_tokens', [
    ...audited,
    { name: 'user_id', type: 'varchar', length: '36' },
    { name: 'family_id', type: 'varchar', length: '36' },
    { name: 'token_hash', type: 'varchar', length: '128' },
    col('expires_at', ({ ts }) => ({ type: ts })),
    col('used_at', ({ ts }) => ({ type: ts, isNullable: true })),
    col('revoked_at', ({ ts }) => ({ type: ts, isNullable: true })),
  ], {
    indices: [
      { name: 'idx_refresh_tokens_family', columnNames: ['family_id'] },
      { name: 'idx_refresh_tokens_user', columnNames: ['user_id'] },
      { name: 'ux_refresh_tokens_hash', columnNames: ['token_hash'], isUnique: true },
    ],
    foreignKeys: [
      fk('fk_refresh_tokens_user', ['user_id'], 'users', ['id'], 'CASCADE'),
    ],
  }),
  table('admin_audit_log', [
    ...audited,
    { name: 'actor_user_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'action', type: 'varchar', length: '100' },
    { name: 'target_root_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'request_id', type: 'varchar', length: '100', isNullable: true },
    { name: 'details', type: 'json', isNullable: true },
  ], {
    indices: [
      { name: 'idx_admin_audit_log_actor', columnNames: ['actor_user_id'] },
      { name: 'idx_admin_audit_log_created', columnNames: ['created_at'] },
      { name: 'idx_admin_audit_log_root', columnNames: ['target_root_id'] },
    ],
  }),
  table('legacy_quarantine', [
    ...audited,
    { name: 'source_table', type: 'varchar', length: '100' },
    { name: 'source_id', type: 'varchar', length: '200', isNullable: true },
    { name: 'row_json', type: 'text' },
    { name: 'reason', type: 'varchar', length: '500' },
  ], {
    indices: [
      { name: 'idx_legacy_quarantine_table', columnNames: ['source_table'] },
    ],
  }),
];

export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A Flask-era file keeps its tables under legacy_ names; AdoptLegacy moves the rows.
    await moveLegacyTablesAside(queryRunner);
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
