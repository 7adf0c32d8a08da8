import { QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { buildTable, engineOf, TableSpec } from './table-spec';

/**
 * Frozen helpers for migrations that add or reshape tenant tables after the initial schema.
 * Migrations never import from src/: what they do must not change when the code does.
 */

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

/**
 * PostgreSQL: FORCE ROW LEVEL SECURITY holds the tables' owner to the tenant policies too, and a
 * migration has no tenant scope, so a data step run by a non-superuser owner would see no row.
 * The flag is lifted for the work and put back in the same transaction (ALTER TABLE keeps its
 * lock until the commit: no other session sees the gap).
 */
export async function withoutForcedRls<T>(qr: QueryRunner, tables: string[], work: () => Promise<T>): Promise<T> {
  if (engineOf(qr) !== 'postgres') return work();
  for (const t of tables) await qr.query(`ALTER TABLE "${t}" NO FORCE ROW LEVEL SECURITY`);
  const result = await work();
  for (const t of tables) await qr.query(`ALTER TABLE "${t}" FORCE ROW LEVEL SECURITY`);
  return result;
}

/** SQL written with `?` placeholders, on either engine (PostgreSQL wants $1, $2...). */
export function sqlOn(qr: QueryRunner) {
  const pg = engineOf(qr) === 'postgres';
  return <T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> => {
    let n = 0;
    return qr.query(pg ? text.replace(/\?/g, () => `$${++n}`) : text, params);
  };
}

/**
 * SQLite: rebuilds a table to the given spec, for changes SQLite cannot ALTER (a composite
 * foreign key, a CHECK, a column that loses NOT NULL). A twin is created under a temporary name
 * with the CREATE text that createTable() of the spec writes, filled, the table dropped and the
 * twin renamed; then the spec's indexes are created. The migration runner keeps foreign keys
 * off around its transaction, so dropping the table deletes no child row, and its
 * foreign_key_check runs before the commit. `copy` maps each new column to the SQL that fills it.
 */
export async function rebuildSqliteTable(qr: QueryRunner, spec: TableSpec, copy: Record<string, string>): Promise<void> {
  const twin = `temporary_${spec.name}`;
  const full = buildTable(spec, 'sqlite', true);
  await qr.createTable(
    new Table({
      name: twin,
      columns: full.columns,
      uniques: full.uniques,
      checks: full.checks,
      foreignKeys: full.foreignKeys.map((f) => new TableForeignKey(f)),
    }),
    false,
    true,
    false,
  );
  const columns = Object.keys(copy);
  await qr.query(`INSERT INTO "${twin}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${columns.map((c) => copy[c]).join(', ')} FROM "${spec.name}"`);
  await qr.query(`DROP TABLE "${spec.name}"`);
  await qr.query(`ALTER TABLE "${twin}" RENAME TO "${spec.name}"`);
  for (const index of spec.indices ?? []) await qr.createIndex(spec.name, new TableIndex(index));
}

/** Copies every named column as it is: the `copy` argument of rebuildSqliteTable. */
export const sameColumns = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, `"${n}"`]));

/** The column names of a spec on one engine. */
export const columnNames = (spec: TableSpec, engine: 'sqlite' | 'postgres' = 'sqlite'): string[] => spec.columns(engine).map((c) => c.name);
