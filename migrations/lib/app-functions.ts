import { QueryRunner } from 'typeorm';

const APP_ROLE = 'fractal_app';

/**
 * PostgreSQL: creates a function that only the service role may call. The role exists once
 * the RowLevelSecurity migration has run; a database migrated without it grants nothing.
 */
export async function createAppFunction(queryRunner: QueryRunner, signature: string, createSql: string): Promise<void> {
  await queryRunner.query(createSql);
  await queryRunner.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
  await queryRunner.query(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    GRANT EXECUTE ON FUNCTION ${signature} TO ${APP_ROLE};
  END IF;
END $$`);
}
