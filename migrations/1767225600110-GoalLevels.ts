import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, dropTables, engineOf, fk, table } from './lib/table-spec';
import { TENANT_COLUMNS, enableTenantRls } from './lib/tenant-tables';

const TYPES = ['UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'PracticeSession', 'ImmediateGoal', 'MicroGoal', 'NanoGoal'];

/** Frozen: the defaults as of this migration (src/goals/level-defaults.ts gives new roots theirs). */
const DEFAULTS: [type: string, displayName: string, color: string, icon: string][] = [
  ['UltimateGoal', 'Ultimate Goal', '#7c3aed', 'mountain'],
  ['LongTermGoal', 'Long Term Goal', '#2563eb', 'compass'],
  ['MidTermGoal', 'Mid Term Goal', '#0891b2', 'map'],
  ['ShortTermGoal', 'Short Term Goal', '#059669', 'flag'],
  ['PracticeSession', 'Practice Session', '#ca8a04', 'timer'],
  ['ImmediateGoal', 'Immediate Goal', '#ea580c', 'target'],
  ['MicroGoal', 'Micro Goal', '#dc2626', 'crosshair'],
  ['NanoGoal', 'Nano Goal', '#db2777', 'dot'],
];

export const GOAL_LEVELS = table('goal_levels', [
  ...TENANT_COLUMNS,
  { name: 'type', type: 'varchar', length: '32' },
  { name: 'display_name', type: 'varchar', length: '100' },
  { name: 'color', type: 'varchar', length: '32' },
  { name: 'icon', type: 'varchar', length: '64' },
  { name: 'max_children', type: 'integer', isNullable: true },
  { name: 'description_required', type: 'boolean', default: false },
  { name: 'allow_manual_completion', type: 'boolean', default: true },
  { name: 'auto_complete_when_children_done', type: 'boolean', default: false },
  { name: 'default_deadline_offset_days', type: 'integer', isNullable: true },
  { name: 'version', type: 'integer', default: 1 },
], {
  uniques: [
    { name: 'uq_goal_levels_root_id', columnNames: ['root_id', 'id'] },
    { name: 'uq_goal_levels_root_type', columnNames: ['root_id', 'type'] },
  ],
  checks: [
    { name: 'ck_goal_levels_deadline_offset', expression: 'default_deadline_offset_days >= 0' },
    { name: 'ck_goal_levels_max_children', expression: 'max_children >= 0' },
    { name: 'ck_goal_levels_type', expression: `"type" IN (${TYPES.map((t) => `'${t}'`).join(', ')})` },
  ],
  indices: [{ name: 'idx_goal_levels_root', columnNames: ['root_id'] }],
  foreignKeys: [fk('fk_goal_levels_root', ['root_id'], 'goals', ['id'], 'CASCADE')],
});

/**
 * Per-root settings of the eight levels, with the defaults written for every root that exists
 * (deleted roots too: a restore finds them). The service writes them for each new root.
 */
export class GoalLevels1767225600110 implements MigrationInterface {
  name = 'GoalLevels1767225600110';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, [GOAL_LEVELS]);
    await enableTenantRls(queryRunner, ['goal_levels']);
    const pg = engineOf(queryRunner) === 'postgres';
    const uuid = pg
      ? 'gen_random_uuid()::text'
      : `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
         substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
    const values = DEFAULTS.map(([type, name, color, icon], i) => `('${type}', '${name}', '${color}', '${icon}', ${i})`).join(', ');
    await queryRunner.query(
      `WITH d(type, display_name, color, icon, rank) AS (VALUES ${values})
       INSERT INTO goal_levels (id, root_id, type, display_name, color, icon, created_by, updated_by)
       SELECT ${uuid}, g.id, d.type, d.display_name, d.color, d.icon, g.user_id, g.user_id
         FROM goals g CROSS JOIN d
        WHERE g.parent_id IS NULL AND g.id = g.root_id
        ORDER BY g.id, d.rank`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, [GOAL_LEVELS]);
  }
}
