import { MigrationInterface, QueryRunner } from 'typeorm';
import { createAppFunction } from './lib/app-functions';
import { engineOf } from './lib/table-spec';

export const ENTER_ROOT_SIGNATURE = 'fg_enter_root(varchar, varchar, boolean)';

/**
 * The function's text. Later migrations recreate it with more of the user's columns: with
 * tokenVersion, it also answers users.token_version (TokenVersion1767225600060).
 */
export function enterRootFunction(tokenVersion: boolean): string {
  const out = tokenVersion ? 'OUT token_version integer, ' : '';
  const select = tokenVersion ? ' u.token_version,' : '';
  const into = tokenVersion ? 'token_version, ' : '';
  return `CREATE FUNCTION fg_enter_root(p_user_id varchar, p_root_id varchar, p_with_deleted boolean,
  OUT id varchar, OUT email varchar, OUT role varchar, OUT is_active boolean, ${out}OUT owned boolean)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
  -- The owner policy on goals needs app.user_id to see the root at all.
  PERFORM set_config('app.user_id', p_user_id, true), set_config('app.root_id', '', true);
  SELECT u.id, u.email, u.role, u.is_active,${select}
         u.is_active AND EXISTS (
           SELECT 1 FROM goals g
           WHERE g.id = p_root_id AND g.root_id = g.id AND g.user_id = p_user_id AND g.parent_id IS NULL
             AND (p_with_deleted OR g.deleted_at IS NULL))
    INTO id, email, role, is_active, ${into}owned
    FROM users u WHERE u.id = p_user_id AND u.deleted_at IS NULL;
  IF FOUND AND owned THEN
    PERFORM set_config('app.root_id', p_root_id, true);
    RETURN NEXT;
    RETURN;
  END IF;
  -- Refused: the rest of the transaction (rolled back by the caller) sees no tenant row.
  PERFORM set_config('app.user_id', '', true);
  IF id IS NOT NULL THEN
    RETURN NEXT;
  END IF;
END $$`;
}

/**
 * PostgreSQL only (a no-op on SQLite): fg_enter_root(user, root, with_deleted) is the first
 * statement of a tenant request's transaction. It checks, under the caller's own policies,
 * that the user is live and active and owns the root, and only then sets app.root_id; it
 * answers the user's row and whether the root is owned. The guards' check and the RLS scope
 * thus cost one round trip together instead of two.
 */
export class EnterRoot1767225600040 implements MigrationInterface {
  name = 'EnterRoot1767225600040';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    // Three statements inside, each cheap: this runs at the start of every tenant request.
    await createAppFunction(queryRunner, ENTER_ROOT_SIGNATURE, enterRootFunction(false));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${ENTER_ROOT_SIGNATURE}`);
  }
}
