import { MigrationInterface, QueryRunner } from 'typeorm';
import { createAppFunction } from './lib/app-functions';
import { engineOf } from './lib/table-spec';

const SIGNATURE = 'fg_owns_root(varchar, varchar, boolean)';

/**
 * PostgreSQL only (a no-op on SQLite): fg_owns_root(root, user, with_deleted) answers whether
 * the user owns the root in one statement, outside a transaction. It runs as its caller, under
 * the fg_owner policy: it scopes app.user_id to the user for its one query and puts the
 * previous value back. The tenant guard calls it with the authenticated user's id, so that
 * its check is one round trip instead of BEGIN, set_config, SELECT and COMMIT.
 */
export class RootOwnerCheck1767225600030 implements MigrationInterface {
  name = 'RootOwnerCheck1767225600030';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    await createAppFunction(queryRunner, SIGNATURE, `CREATE FUNCTION ${SIGNATURE.replace('(varchar, varchar, boolean)', '(p_root_id varchar, p_user_id varchar, p_with_deleted boolean)')}
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  previous text := coalesce(current_setting('app.user_id', true), '');
  owned boolean;
BEGIN
  PERFORM set_config('app.user_id', p_user_id, true);
  SELECT EXISTS (
    SELECT 1 FROM goals
    WHERE id = p_root_id AND root_id = id AND user_id = p_user_id AND parent_id IS NULL
      AND (p_with_deleted OR deleted_at IS NULL)
  ) INTO owned;
  PERFORM set_config('app.user_id', previous, true);
  RETURN owned;
END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${SIGNATURE}`);
  }
}
