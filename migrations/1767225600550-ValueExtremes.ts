import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A metric's live values by split and value: the session view reads the personal best of the
 * latest instance of an activity as a walk from the best value down to the first one recorded
 * earlier in another session (src/sessions/session-rows.ts, `earliest`), a few entries, instead
 * of every value of the activity's history (478 ms for one session of a root with 5,000
 * sessions; BENCHMARKS.md, issue 17). Its cost on a value write is measured there too.
 */
const INDEX = `CREATE INDEX "idx_metric_values_extremes" ON "metric_values" ("root_id", "metric_definition_id", "split_definition_id", "value") WHERE deleted_at IS NULL`;

export class ValueExtremes1767225600550 implements MigrationInterface {
  name = 'ValueExtremes1767225600550';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_metric_values_extremes"`);
  }
}
