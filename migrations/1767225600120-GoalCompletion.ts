import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeTable, TableChange } from './lib/change-table';
import { col, createTables, dropTables, engineOf, fk, table, tsType } from './lib/table-spec';
import { TENANT_COLUMNS, enableTenantRls } from './lib/tenant-tables';


export const GOAL_PAUSES = table('goal_pauses', [
  ...TENANT_COLUMNS,
  { name: 'goal_id', type: 'varchar', length: '36' },
  col('paused_at', ({ ts }) => ({ type: ts })),
  col('resumed_at', ({ ts }) => ({ type: ts, isNullable: true })),
], {
  uniques: [{ name: 'uq_goal_pauses_root_id', columnNames: ['root_id', 'id'] }],
  checks: [{ name: 'ck_goal_pauses_order', expression: 'resumed_at >= paused_at' }],
  indices: [
    { name: 'idx_goal_pauses_goal', columnNames: ['goal_id', 'paused_at'] },
    { name: 'idx_goal_pauses_root', columnNames: ['root_id'] },
    { name: 'ux_goal_pauses_open', columnNames: ['goal_id'], isUnique: true, where: 'resumed_at IS NULL AND deleted_at IS NULL' },
  ],
  foreignKeys: [
    fk('fk_goal_pauses_goal_id', ['root_id', 'goal_id'], 'goals', ['root_id', 'id'], 'CASCADE'),
    fk('fk_goal_pauses_root', ['root_id'], 'goals', ['id'], 'CASCADE'),
  ],
});

const goalColumns = (ts: string): TableChange => ({
  addColumns: [
    { name: 'completion_source', type: 'varchar', length: '16', isNullable: true },
    { name: 'completed_by_session_id', type: 'varchar', length: '36', isNullable: true },
    { name: 'manually_uncompleted_at', type: ts, isNullable: true },
    { name: 'paused_at', type: ts, isNullable: true },
    { name: 'relevance', type: 'text', isNullable: true },
  ],
  addChecks: [{ name: 'ck_goals_completion_source', expression: `completion_source IN ('manual', 'targets', 'children')` }],
  addForeignKeys: [fk('fk_goals_completed_by_session_id', ['root_id', 'completed_by_session_id'], 'goals', ['root_id', 'id'], 'NO ACTION')],
  addIndices: [{ name: 'idx_goals_completed_by_session', columnNames: ['completed_by_session_id'] }],
});

/**
 * Completion and pauses of the goal tree: how a goal was completed (by hand, by its targets, by
 * its children) and by which session, whether a user un-completed it by hand, its relevance
 * statement, and every pause as an interval in goal_pauses. Rows already completed keep
 * completion_source NULL: nobody knows how they were. The legacy targets JSON column goes
 * (GoalTargets made it rows); down brings it back empty, and GoalTargets' down refills it.
 */
export class GoalCompletion1767225600120 implements MigrationInterface {
  name = 'GoalCompletion1767225600120';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One rebuild of goals on SQLite for all of it, the legacy targets column (now rows) included.
    await changeTable(queryRunner, 'goals', { ...goalColumns(tsType(engineOf(queryRunner))), dropColumns: ['targets'] });
    await createTables(queryRunner, [GOAL_PAUSES]);
    await enableTenantRls(queryRunner, ['goal_pauses']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping the table takes its policies and grants with it.
    await dropTables(queryRunner, [GOAL_PAUSES]);
    const added = goalColumns(tsType(engineOf(queryRunner)));
    await changeTable(queryRunner, 'goals', {
      dropIndices: added.addIndices!.map((i) => i.name),
      dropForeignKeys: added.addForeignKeys,
      dropChecks: added.addChecks,
      dropColumns: added.addColumns!.map((c) => c.name),
      addColumns: [{ name: 'targets', type: 'json', isNullable: true, after: 'user_id' }],
    });
  }
}
