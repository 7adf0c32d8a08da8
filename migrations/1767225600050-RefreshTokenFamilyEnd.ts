import { MigrationInterface, QueryRunner } from 'typeorm';
import { engineOf, tsType } from './lib/table-spec';

/**
 * refresh_tokens.family_expires_at: when a login ends, however often its refresh token
 * rotates (JWT_REFRESH_MAX_AGE_SECONDS). Nullable, so that existing rows need no value: their
 * families keep the old sliding lifetime until they end. A plain ADD COLUMN on both engines,
 * so SQLite does not rebuild the table.
 */
export class RefreshTokenFamilyEnd1767225600050 implements MigrationInterface {
  name = 'RefreshTokenFamilyEnd1767225600050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD COLUMN "family_expires_at" ${tsType(engineOf(queryRunner))}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "family_expires_at"`);
  }
}
