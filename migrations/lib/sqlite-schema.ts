import { QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { UnsafeSwitch } from './legacy/keys-after';
import { buildTable, TableSpec } from './table-spec';

/**
 * Frozen helpers for SQLite schema changes that TypeORM would make by rebuilding a table.
 * Both keep the table's CREATE text exactly as TypeORM writes it, so that a fresh database,
 * an adopted one and one taken down and up again have the same text in sqlite_master.
 */

export interface CheckSpec {
  name: string;
  expression: string;
}

const checkSql = (c: CheckSpec) => `, CONSTRAINT "${c.name}" CHECK (${c.expression})`;

/** The CREATE text with the checks added where TypeORM puts them: after the uniques and checks, before the foreign keys. */
export function withChecks(createSql: string, checks: CheckSpec[]): string {
  const fk = createSql.search(/, CONSTRAINT "[^"]+" FOREIGN KEY/);
  const at = fk >= 0 ? fk : createSql.lastIndexOf(')');
  return createSql.slice(0, at) + checks.map(checkSql).join('') + createSql.slice(at);
}

export function withoutChecks(createSql: string, checks: CheckSpec[]): string {
  let out = createSql;
  for (const c of checks) {
    const text = checkSql(c);
    if (!out.includes(text)) throw new Error(`the table has no CHECK ${c.name} as this migration wrote it`);
    out = out.replace(text, '');
  }
  return out;
}

/**
 * Rewrites a table's CREATE text in sqlite_master, in the caller's transaction, without
 * touching a row: adding a CHECK this way costs nothing, where a rebuild copies the table and
 * every index. The rows are not checked here: the caller verifies them first, and the
 * migration runner's integrity_check (which checks CHECK constraints) runs before the commit.
 * The schema cookie moves, so that every connection reads the new text.
 */
export async function editCreateSql(qr: QueryRunner, table: string, edit: (createSql: string) => string): Promise<void> {
  const [row] = (await qr.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])) as { sql: string }[];
  if (!row) throw new Error(`no table ${table}`);
  const next = edit(row.sql);
  const [{ schema_version: version }] = (await qr.query('PRAGMA schema_version')) as { schema_version: number }[];
  const db = (qr.connection.driver as unknown as { databaseConnection: UnsafeSwitch }).databaseConnection;
  db.unsafeMode(true);
  try {
    await qr.query('PRAGMA writable_schema = ON');
    await qr.query(`UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?`, [next, table]);
    await qr.query(`PRAGMA schema_version = ${version + 1}`);
  } finally {
    // RESET also makes this connection read the schema again.
    await qr.query('PRAGMA writable_schema = RESET');
    db.unsafeMode(false);
  }
}

/**
 * Rebuilds a table to the given spec, as TypeORM would, but with the CREATE text that a fresh
 * createTable() of that spec writes: a twin is created under a temporary name, filled, the
 * table dropped and the twin renamed, then the indexes are created. The runner keeps foreign
 * keys off, so dropping the table deletes no child row. `copy` maps each new column to the
 * SQL that fills it from the old table.
 */
export async function rebuildTable(qr: QueryRunner, spec: TableSpec, copy: Record<string, string>): Promise<void> {
  const twin = `temporary_${spec.name}`;
  const full = buildTable(spec, 'sqlite', true);
  await qr.createTable(
    new Table({ name: twin, columns: full.columns, uniques: full.uniques, checks: full.checks, foreignKeys: full.foreignKeys.map((f) => new TableForeignKey(f)) }),
    false,
    true,
    false,
  );
  const columns = Object.keys(copy);
  await qr.query(
    `INSERT INTO "${twin}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${columns.map((c) => copy[c]).join(', ')} FROM "${spec.name}"`,
  );
  await qr.query(`DROP TABLE "${spec.name}"`);
  await qr.query(`ALTER TABLE "${twin}" RENAME TO "${spec.name}"`);
  for (const index of spec.indices ?? []) await qr.createIndex(spec.name, new TableIndex(index));
}
