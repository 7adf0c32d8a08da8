import { MigrationInterface, QueryRunner } from 'typeorm';
import { ENTER_ROOT_SIGNATURE, enterRootFunction } from './1767225600040-EnterRoot';
import { createAppFunction } from './lib/app-functions';
import { engineOf } from './lib/table-spec';

/**
 * users.token_version: every access token carries the version it was issued under, and the
 * account check refuses any other. A password change or "log out everywhere" raises it, which
 * ends the account's unexpired access tokens at once, not only its refresh tokens. A plain
 * ADD COLUMN with a default on both engines (SQLite does not rebuild the table); existing
 * accounts start at 0, which is also what a token without the claim counts as.
 * On PostgreSQL, fg_enter_root answers the column too; its result type changes, so it is
 * dropped and created again.
 */
export class TokenVersion1767225600060 implements MigrationInterface {
  name = 'TokenVersion1767225600060';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "token_version" integer NOT NULL DEFAULT 0`);
    if (engineOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(`DROP FUNCTION ${ENTER_ROOT_SIGNATURE}`);
    await createAppFunction(queryRunner, ENTER_ROOT_SIGNATURE, enterRootFunction(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) === 'postgres') {
      await queryRunner.query(`DROP FUNCTION ${ENTER_ROOT_SIGNATURE}`);
      await createAppFunction(queryRunner, ENTER_ROOT_SIGNATURE, enterRootFunction(false));
    }
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
  }
}
