import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live values of an instance with the columns the session view's personal bests read of
 * each earlier instance (metric, split, value), and deleted_at, so that SQLite reads the index
 * alone, without a row of the table per value (it does not take a partial index as covering when
 * the column of its condition is not among its columns). Opening a session from the middle of a
 * long history (2020 in 2013-2026, 5,000 sessions) read every earlier value of its activities
 * through the table: about 250 ms of SQL, about 85 ms from the index alone (BENCHMARKS.md, "Fifth
 * pass", with its cost on a value write).
 *
 * A new partial index, not idx_metric_values_root_instance widened: widened, it was covering for
 * reads of every value, deleted ones too, and SQLite (without planner statistics) chose it,
 * searched by root_id alone, for the splits in use of an activity (the query-plan spec of the
 * activities caught it). Partial, only statements of live values can use it.
 */
const INDEX = `CREATE INDEX "idx_metric_values_instance_values" ON "metric_values" ("root_id", "activity_instance_id", "metric_definition_id", "split_definition_id", "value", "deleted_at") WHERE deleted_at IS NULL`;

export class ValuesByInstanceCover1767225600570 implements MigrationInterface {
  name = 'ValuesByInstanceCover1767225600570';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_metric_values_instance_values"`);
  }
}
