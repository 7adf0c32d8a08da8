import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The series of an activity (GET /analytics/activities/:id/series) reads a metric's live values
 * and the activity's live instances of a root. Both indexes cover what it reads, so that the
 * engine walks one contiguous run of index entries instead of a table row per value or
 * instance: on a root with 50,000 values of one metric, those rows spread over thousands of
 * pages, more than SQLite's page cache holds (BENCHMARKS.md, issue 17).
 */
const INDEXES = [
  `CREATE INDEX "idx_metric_values_series" ON "metric_values" ("root_id", "metric_definition_id", "activity_instance_id", "set_index", "split_definition_id", "value") WHERE deleted_at IS NULL`,
  `CREATE INDEX "idx_activity_instances_series" ON "activity_instances" ("root_id", "activity_definition_id", "created_at", "id", "practice_session_id") WHERE deleted_at IS NULL`,
];

export class SeriesIndexes1767225600530 implements MigrationInterface {
  name = 'SeriesIndexes1767225600530';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of INDEXES) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_activity_instances_series"`);
    await queryRunner.query(`DROP INDEX "idx_metric_values_series"`);
  }
}
