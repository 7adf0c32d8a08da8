import { MigrationInterface, QueryRunner } from 'typeorm';
import { engineOf } from './lib/table-spec';

/**
 * PostgreSQL: an extended statistics object that tells the planner that an activity instance's
 * root follows from its activity, its session and its section. Without it the planner multiplies
 * the selectivity of `root_id = $1` by that of the activity, as if they were independent, and
 * estimates about one instance of an activity in its root where there are hundreds. The generic
 * plan of the session view's `previous` (a named statement, planned without its values after
 * five calls) then sorted the activity's instances where it should walk an index: 40 ms on the
 * heavy root of the bench's M instead of 0.4 (bench/pg-generic-plans.ts; BENCHMARKS.md,
 * "Fifth pass").
 *
 * On activity_instances only: the same statistics on metric_values made the generic plan of
 * `earliest` sort a metric's values instead of walking idx_metric_values_extremes (3.4 s on that
 * root), and the audit found no other statement to help. The table is analyzed so that the
 * statistics exist at once, not after autovacuum's next analyze. SQLite has no such statistics.
 */
const STATISTICS = `CREATE STATISTICS "st_activity_instances_root" (dependencies)
  ON "root_id", "activity_definition_id", "practice_session_id", "section_id" FROM "activity_instances"`;

export class RootDependencies1767225600560 implements MigrationInterface {
  name = 'RootDependencies1767225600560';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(STATISTICS);
    await queryRunner.query(`ANALYZE "activity_instances"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(`DROP STATISTICS "st_activity_instances_root"`);
  }
}
