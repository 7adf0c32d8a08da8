import { QueryRunner } from 'typeorm';
import { engineOf } from './table-spec';

const APP_ROLE = 'fractal_app';
const TENANT_CLAUSE = `root_id = current_setting('app.root_id', true)`;
const BYPASS_CLAUSE = `(SELECT fg_rls_bypass_active())`;

/**
 * PostgreSQL: a tenant table added after the RowLevelSecurity migration gets the same wall:
 * ENABLE + FORCE, the fg_tenant and fg_admin_bypass policies, and DML for the service role.
 * A no-op on SQLite. Frozen, like every migration helper.
 */
export async function enableTenantRls(queryRunner: QueryRunner, tables: string[]): Promise<void> {
  if (engineOf(queryRunner) !== 'postgres') return;
  const q = (sql: string) => queryRunner.query(sql);
  for (const table of tables) {
    await q(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
    await q(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY fg_tenant ON "${table}" USING (${TENANT_CLAUSE}) WITH CHECK (${TENANT_CLAUSE})`);
    await q(`CREATE POLICY fg_admin_bypass ON "${table}" USING (${BYPASS_CLAUSE}) WITH CHECK (${BYPASS_CLAUSE})`);
    await q(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${APP_ROLE};
  END IF;
END $$`);
  }
}
