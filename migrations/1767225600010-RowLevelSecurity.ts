import { MigrationInterface, QueryRunner } from 'typeorm';
import { engineOf } from './lib/table-spec';

/** Frozen: the tenant tables as of this migration. A later tenant table enables RLS in its own migration. */
export const RLS_TENANT_TABLES = [
  'goals',
  'session_templates',
  'practice_session_goals',
  'activity_groups',
  'activity_definitions',
  'metric_definitions',
  'split_definitions',
  'activity_instances',
  'metric_values',
  'programs',
  'program_blocks',
  'program_days',
  'scheduled_sessions',
];
const OTHER_TABLES = ['users', 'refresh_tokens', 'admin_audit_log', 'legacy_quarantine'];

/** The service's login role: owns nothing, cannot bypass RLS, may only read and write rows. */
export const APP_ROLE = 'fractal_app';

const TENANT_CLAUSE = `root_id = current_setting('app.root_id', true)`;
/** Roots carry their owner: a user lists and creates their own roots before any root is chosen. */
const OWNER_CLAUSE = `user_id IS NOT NULL AND user_id = current_setting('app.user_id', true)`;
/** A scalar subquery, so that the check runs once per statement (an InitPlan), not per row. */
const BYPASS_CLAUSE = `(SELECT fg_rls_bypass_active())`;

/**
 * Row-level security, the second wall behind src/tenancy (PostgreSQL only; a no-op on SQLite).
 *
 * - Every tenant table: ENABLE + FORCE ROW LEVEL SECURITY, policy fg_tenant on
 *   root_id = current_setting('app.root_id', true); goals also fg_owner (the caller's roots).
 * - The role fractal_app (LOGIN NOSUPERUSER NOBYPASSRLS) gets DML on the tables and nothing else.
 * - The admin bypass is a policy clause that only fg_begin_admin_bypass() can switch on, for
 *   the rest of its transaction, and that function writes the admin_audit_log row itself:
 *   there is no bypass without an audit row (a GUC alone could be set by anyone).
 */
export class RowLevelSecurity1767225600010 implements MigrationInterface {
  name = 'RowLevelSecurity1767225600010';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    const q = (sql: string) => queryRunner.query(sql);

    // Roles are cluster-wide: several databases (and parallel migrations) may share this one.
    await q(`DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    BEGIN
      CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}' AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role ${APP_ROLE} exists with SUPERUSER or BYPASSRLS; row-level security would not hold';
  END IF;
END $$`);

    await q(`CREATE TABLE fg_rls_bypass (
  txid bigint PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
)`);
    await q(`REVOKE ALL ON fg_rls_bypass FROM PUBLIC`);

    await q(`CREATE FUNCTION fg_rls_bypass_active() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM fg_rls_bypass WHERE txid = txid_current_if_assigned())
$$`);

    await q(`CREATE FUNCTION fg_begin_admin_bypass(p_actor_user_id varchar, p_action varchar, p_target_root_id varchar, p_request_id varchar, p_details json)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_action IS NULL OR p_action = '' THEN
    RAISE EXCEPTION 'an admin bypass needs an action';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_actor_user_id AND role = 'admin' AND is_active AND deleted_at IS NULL) THEN
    RAISE EXCEPTION 'an admin bypass needs an active admin user as its actor';
  END IF;
  INSERT INTO admin_audit_log (id, actor_user_id, action, target_root_id, request_id, details, created_by, updated_by)
  VALUES (gen_random_uuid()::text, p_actor_user_id, p_action, p_target_root_id, p_request_id,
          json_build_object('rls_bypass', true, 'details', p_details), p_actor_user_id, p_actor_user_id);
  DELETE FROM fg_rls_bypass WHERE created_at < now() - interval '1 day';
  INSERT INTO fg_rls_bypass (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
END $$`);
    await q(`REVOKE ALL ON FUNCTION fg_begin_admin_bypass(varchar, varchar, varchar, varchar, json) FROM PUBLIC`);
    await q(`GRANT EXECUTE ON FUNCTION fg_begin_admin_bypass(varchar, varchar, varchar, varchar, json) TO ${APP_ROLE}`);

    for (const table of RLS_TENANT_TABLES) {
      await q(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await q(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await q(`CREATE POLICY fg_tenant ON "${table}" USING (${TENANT_CLAUSE}) WITH CHECK (${TENANT_CLAUSE})`);
      await q(`CREATE POLICY fg_admin_bypass ON "${table}" USING (${BYPASS_CLAUSE}) WITH CHECK (${BYPASS_CLAUSE})`);
    }
    await q(`CREATE POLICY fg_owner ON "goals" USING (${OWNER_CLAUSE}) WITH CHECK (${OWNER_CLAUSE})`);

    await q(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    for (const table of [...RLS_TENANT_TABLES, ...OTHER_TABLES]) {
      await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${APP_ROLE}`);
    }
    // Readiness checks for pending migrations.
    await q(`GRANT SELECT ON "migrations" TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (engineOf(queryRunner) !== 'postgres') return;
    const q = (sql: string) => queryRunner.query(sql);
    for (const table of RLS_TENANT_TABLES) {
      await q(`DROP POLICY IF EXISTS fg_tenant ON "${table}"`);
      await q(`DROP POLICY IF EXISTS fg_admin_bypass ON "${table}"`);
      await q(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
      await q(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
    await q(`DROP POLICY IF EXISTS fg_owner ON "goals"`);
    await q(`DROP FUNCTION IF EXISTS fg_begin_admin_bypass(varchar, varchar, varchar, varchar, json)`);
    await q(`DROP FUNCTION IF EXISTS fg_rls_bypass_active()`);
    await q(`DROP TABLE IF EXISTS fg_rls_bypass`);
    await q(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE};
    REVOKE ALL ON SCHEMA public FROM ${APP_ROLE};
    -- The role is cluster-wide: it goes only when no other database still grants it anything.
    BEGIN
      DROP ROLE ${APP_ROLE};
    EXCEPTION WHEN dependent_objects_still_exist OR object_in_use THEN
      RAISE NOTICE 'role ${APP_ROLE} kept: other databases still use it';
    END;
  END IF;
END $$`);
  }
}
