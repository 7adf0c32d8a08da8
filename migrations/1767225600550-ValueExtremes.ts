import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A metric's live values by split and value: the session view reads the personal best of the
 * latest instance of an activity as a walk from the best value down to the first one recorded
 * earlier in another session (src/sessions/session-rows.ts, `earliest`), a few entries, instead
 * of every value of the activity's history (478 ms for one session of a root with 5,000
 * sessions; BENCHMARKS.md, issue 17). Its cost on a value write is measured there too.
 *
 * Two partial indexes, the values of a split and those without one, so that each value is in
 * exactly one: PostgreSQL does not take `split_definition_id IS NULL` as an equality that keeps
 * the index's order by value (it sorted every value of the metric instead), so the values
 * without a split have an index of their own, ordered by value after the metric.
 */
const INDEXES = [
  `CREATE INDEX "idx_metric_values_extremes" ON "metric_values" ("root_id", "metric_definition_id", "split_definition_id", "value") WHERE deleted_at IS NULL AND split_definition_id IS NOT NULL`,
  `CREATE INDEX "idx_metric_values_extremes_unsplit" ON "metric_values" ("root_id", "metric_definition_id", "value") WHERE deleted_at IS NULL AND split_definition_id IS NULL`,
];

export class ValueExtremes1767225600550 implements MigrationInterface {
  name = 'ValueExtremes1767225600550';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of INDEXES) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_metric_values_extremes_unsplit"`);
    await queryRunner.query(`DROP INDEX "idx_metric_values_extremes"`);
  }
}
