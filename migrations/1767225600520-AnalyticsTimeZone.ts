import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions of a root by their start: the range reads of the analytics (summary, heatmap). */
const SESSION_START_INDEX = `CREATE INDEX "idx_goals_root_session_start" ON "goals" ("root_id", "session_start") WHERE type = 'PracticeSession'`;

/**
 * Analytics: users.time_zone, the IANA zone a user's dates are read in when a request names
 * none (NULL: UTC), and the index the analytics' range reads of sessions need. A plain ADD
 * COLUMN on both engines (SQLite does not rebuild the table).
 */
export class AnalyticsTimeZone1767225600520 implements MigrationInterface {
  name = 'AnalyticsTimeZone1767225600520';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "time_zone" varchar(64)`);
    await queryRunner.query(SESSION_START_INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_goals_root_session_start"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "time_zone"`);
  }
}
