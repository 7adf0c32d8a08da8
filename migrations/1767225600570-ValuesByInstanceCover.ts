import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * idx_metric_values_root_instance, (root_id, activity_instance_id), widened with the columns the
 * session view's personal bests read of each earlier instance's values: its metric, split and
 * value, and deleted_at, so that SQLite reads the index alone, without a row of the table per
 * value (it does not take a partial index as covering when the column of its condition is not
 * among its columns). Opening a session from the middle of a long history (2020 in 2013-2026,
 * 5,000 sessions) read every earlier value of its activities through the table: 255 ms of SQL,
 * 84 ms from the index alone (BENCHMARKS.md, "Fifth pass", with its cost on a value write).
 * Same name and leading columns, so every other statement keeps its plan.
 */
const NAME = 'idx_metric_values_root_instance';
const NARROW = ['root_id', 'activity_instance_id'];
const WIDE = [...NARROW, 'metric_definition_id', 'split_definition_id', 'value', 'deleted_at'];

export class ValuesByInstanceCover1767225600570 implements MigrationInterface {
  name = 'ValuesByInstanceCover1767225600570';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('metric_values', NAME);
    await queryRunner.createIndex('metric_values', new TableIndex({ name: NAME, columnNames: WIDE }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('metric_values', NAME);
    await queryRunner.createIndex('metric_values', new TableIndex({ name: NAME, columnNames: NARROW }));
  }
}
