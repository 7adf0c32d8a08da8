import { QueryRunner } from 'typeorm';
import { col, ColumnSpec, engineOf, TableSpec } from './table-spec';

/**
 * Frozen helpers for migrations that add or reshape tenant tables after the initial schema.
 * Migrations never import from src/: what they do must not change when the code does.
 */

/** The columns every audited table begins with: its id, the audit stamps and the soft delete. */
export const AUDITED_COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'varchar', length: '36', isPrimary: true },
  col('created_at', ({ ts, now }) => ({ type: ts, default: now })),
  col('updated_at', ({ ts, now }) => ({ type: ts, default: now })),
  { name: 'created_by', type: 'varchar', length: '36', isNullable: true },
  { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
  col('deleted_at', ({ ts }) => ({ type: ts, isNullable: true })),
  { name: 'deletion_id', type: 'varchar', length: '36', isNullable: true },
];

/** The columns every tenant table begins with: the audited ones and its root. */
export const TENANT_COLUMNS: ColumnSpec[] = [...AUDITED_COLUMNS, { name: 'root_id', type: 'varchar', length: '36' }];

const APP_ROLE = 'fractal_app';
const TENANT_CLAUSE = `root_id = current_setting('app.root_id', true)`;
const BYPASS_CLAUSE = `(SELECT fg_rls_bypass_active())`;

/**
 * PostgreSQL: a new tenant table gets what the RowLevelSecurity migration gave the first ones:
 * ENABLE + FORCE, the fg_tenant and fg_admin_bypass policies, and DML for the app role.
 * Dropping the table takes all of it away again.
 */
export async function enableTenantRls(qr: QueryRunner, tables: string[]): Promise<void> {
  if (engineOf(qr) !== 'postgres') return;
  for (const table of tables) {
    await qr.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
    await qr.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
    await qr.query(`CREATE POLICY fg_tenant ON "${table}" USING (${TENANT_CLAUSE}) WITH CHECK (${TENANT_CLAUSE})`);
    await qr.query(`CREATE POLICY fg_admin_bypass ON "${table}" USING (${BYPASS_CLAUSE}) WITH CHECK (${BYPASS_CLAUSE})`);
    await qr.query(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${APP_ROLE};
  END IF;
END $$`);
  }
}

/** Copies every named column as it is: the `copy` argument of rebuildTable (./sqlite-schema). */
export const sameColumns = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, `"${n}"`]));

/** The column names of a spec on one engine. */
export const columnNames = (spec: TableSpec, engine: 'sqlite' | 'postgres' = 'sqlite'): string[] => spec.columns(engine).map((c) => c.name);
