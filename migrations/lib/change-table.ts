import { QueryRunner, TableCheck, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { engineOf, fk } from './table-spec';

export interface TableChange {
  /** `after`: SQLite places the column after that one (PostgreSQL appends: its order does not matter). */
  addColumns?: (TableColumnOptions & { after?: string })[];
  dropColumns?: string[];
  addChecks?: { name: string; expression: string }[];
  dropChecks?: { name: string; expression: string }[];
  addForeignKeys?: ReturnType<typeof fk>[];
  dropForeignKeys?: ReturnType<typeof fk>[];
  addIndices?: { name: string; columnNames: string[]; isUnique?: boolean; where?: string }[];
  dropIndices?: string[];
}

/**
 * Changes an existing table, once per engine. PostgreSQL takes each change as an ALTER.
 *
 * SQLite cannot add a table constraint in place. Its columns are added and dropped with ALTER
 * TABLE (an added column costs nothing; a dropped one rewrites each row where it lies), and its
 * checks and keys are written into the table's declaration in sqlite_master, the way SQLite
 * documents for changes that leave the stored records as they are: nothing is copied, no page
 * is freed, and the runner's integrity_check and foreign_key_check verify the rows against the
 * new constraints before the commit. A column that must go back to its old place (a down())
 * needs the table rebuilt once instead: the declaration is edited (everything else byte for
 * byte as it was), a new table made from it, the rows copied, the old table dropped, the new
 * one renamed, the indexes made again from their own text, as SQLite documents it. Either way a
 * down() that cuts out what its up() inserted gives back the very text the table had. The
 * runner keeps foreign keys off around its transaction, so that dropping the old table
 * cascades to nothing.
 */
export async function changeTable(queryRunner: QueryRunner, name: string, change: TableChange): Promise<void> {
  if (engineOf(queryRunner) === 'sqlite') {
    return change.addColumns?.some((c) => c.after) ? rebuildSqlite(queryRunner, name, change) : alterSqlite(queryRunner, name, change);
  }
  const table = await queryRunner.getTable(name);
  if (!table) throw new Error(`changeTable: no table ${name}`);
  for (const n of change.dropIndices ?? []) await queryRunner.dropIndex(table, n);
  for (const f of change.dropForeignKeys ?? []) await queryRunner.dropForeignKey(table, f.name);
  for (const c of change.dropChecks ?? []) await queryRunner.dropCheckConstraint(table, c.name);
  for (const c of change.dropColumns ?? []) await queryRunner.dropColumn(table, c);
  if (change.addColumns?.length) {
    await queryRunner.addColumns(table, change.addColumns.map(({ after: _after, ...c }) => new TableColumn(c)));
  }
  for (const c of change.addChecks ?? []) await queryRunner.createCheckConstraint(table, new TableCheck(c));
  for (const f of change.addForeignKeys ?? []) await queryRunner.createForeignKey(table, new TableForeignKey(f));
  for (const i of change.addIndices ?? []) await queryRunner.createIndex(table, new TableIndex(i));
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
const columnSql = (c: TableColumnOptions) =>
  `"${c.name}" ${c.type}${c.length ? `(${c.length})` : ''}${c.isNullable ? '' : ' NOT NULL'}${c.default !== undefined ? ` DEFAULT (${c.default})` : ''}`;
const checkSql = (c: { name: string; expression: string }) => `CONSTRAINT "${c.name}" CHECK (${c.expression})`;
const fkSql = (f: ReturnType<typeof fk>) =>
  `CONSTRAINT "${f.name}" FOREIGN KEY (${quoted(f.columnNames)}) REFERENCES "${f.referencedTableName}" (${quoted(f.referencedColumnNames)}) ON DELETE ${f.onDelete}`;
const indexSql = (table: string, i: NonNullable<TableChange['addIndices']>[number]) =>
  `CREATE ${i.isUnique ? 'UNIQUE ' : ''}INDEX "${i.name}" ON "${table}" (${quoted(i.columnNames)}) ${i.where ? `WHERE ${i.where}` : ''}`;

/** A column's definition in a CREATE TABLE text: from its name to the next top-level comma. */
function columnDefinition(sql: string, column: string): string {
  const at = sql.indexOf(`"${column}" `);
  if (at < 0) throw new Error(`changeTable: no column ${column}`);
  let depth = 0;
  for (let i = at; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    if (sql[i] === ')') depth--;
    if ((sql[i] === ',' && depth === 0) || depth < 0) return sql.slice(at, i);
  }
  throw new Error(`changeTable: unterminated column ${column}`);
}

function cut(sql: string, fragment: string): string {
  const at = sql.indexOf(`, ${fragment}`);
  if (at < 0) throw new Error(`changeTable: cannot find ${fragment}`);
  return sql.slice(0, at) + sql.slice(at + 2 + fragment.length);
}

/** Inserts `, fragment` before the first occurrence of `before` (", CONSTRAINT ..."), or before the closing parenthesis. */
function insertBefore(sql: string, before: string, fragment: string): string {
  const at = sql.indexOf(before);
  const end = at >= 0 ? at : sql.lastIndexOf(')');
  return `${sql.slice(0, end)}, ${fragment}${sql.slice(end)}`;
}

/** Runs `edit` over the table's declaration in sqlite_master, with better-sqlite3's defensive mode lifted for it. */
async function redeclare(queryRunner: QueryRunner, name: string, edit: (sql: string) => string): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => queryRunner.query(sql, params);
  const [{ sql }] = await q(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [name]);
  const next = edit(sql);
  if (next === sql) return;
  const [{ schema_version: version }] = await q('PRAGMA schema_version');
  const db = (queryRunner.connection.driver as unknown as { databaseConnection: { unsafeMode(on?: boolean): unknown } }).databaseConnection;
  db.unsafeMode(true);
  try {
    await q('PRAGMA writable_schema = ON');
    await q(`UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?`, [next, name]);
    // Other connections read the schema again when its version moves.
    await q(`PRAGMA schema_version = ${Number(version) + 1}`);
  } finally {
    // RESET also makes this connection read the schema again.
    await q('PRAGMA writable_schema = RESET');
    db.unsafeMode(false);
  }
}

async function alterSqlite(queryRunner: QueryRunner, name: string, change: TableChange): Promise<void> {
  const q = (sql: string) => queryRunner.query(sql);
  for (const n of change.dropIndices ?? []) await q(`DROP INDEX "${n}"`);
  await redeclare(queryRunner, name, (sql) => {
    for (const f of change.dropForeignKeys ?? []) sql = cut(sql, fkSql(f));
    for (const c of change.dropChecks ?? []) sql = cut(sql, checkSql(c));
    return sql;
  });
  for (const c of change.dropColumns ?? []) await q(`ALTER TABLE "${name}" DROP COLUMN "${c}"`);
  for (const c of change.addColumns ?? []) await q(`ALTER TABLE "${name}" ADD COLUMN ${columnSql(c)}`);
  await redeclare(queryRunner, name, (sql) => {
    for (const c of change.addChecks ?? []) sql = insertBefore(sql, ', CONSTRAINT "fk_', checkSql(c));
    for (const f of change.addForeignKeys ?? []) sql = insertBefore(sql, ', CONSTRAINT "fk_', fkSql(f));
    return sql;
  });
  for (const i of change.addIndices ?? []) await q(indexSql(name, i));
}

async function rebuildSqlite(queryRunner: QueryRunner, name: string, change: TableChange): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => queryRunner.query(sql, params);
  const [{ sql: original }] = await q(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [name]);
  const indexes: { name: string; sql: string }[] = await q(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, [name]);
  let sql: string = original;
  for (const f of change.dropForeignKeys ?? []) sql = cut(sql, fkSql(f));
  for (const c of change.dropChecks ?? []) sql = cut(sql, checkSql(c));
  for (const c of change.dropColumns ?? []) sql = cut(sql, columnDefinition(sql, c));
  for (const c of change.addColumns ?? []) {
    if (c.after) {
      const previous = columnDefinition(sql, c.after);
      const at = sql.indexOf(previous) + previous.length;
      sql = `${sql.slice(0, at)}, ${columnSql(c)}${sql.slice(at)}`;
    } else {
      sql = insertBefore(sql, ', CONSTRAINT "', columnSql(c));
    }
  }
  // Checks before the keys, and new keys before the old ones: TypeORM names SQLite's keys back by
  // the first declared key whose columns are a subset, so the one-column root key stays last.
  for (const c of change.addChecks ?? []) sql = insertBefore(sql, ', CONSTRAINT "fk_', checkSql(c));
  for (const f of change.addForeignKeys ?? []) sql = insertBefore(sql, ', CONSTRAINT "fk_', fkSql(f));
  const temporary = `${name}__rebuild`;
  const head = `CREATE TABLE "${name}"`;
  if (!sql.startsWith(head)) throw new Error(`changeTable: unexpected table text for ${name}`);
  await q(`CREATE TABLE "${temporary}"${sql.slice(head.length)}`);
  const before: string[] = (await q(`PRAGMA table_info("${name}")`)).map((c: { name: string }) => c.name);
  const after = new Set<string>((await q(`PRAGMA table_info("${temporary}")`)).map((c: { name: string }) => c.name));
  const common = quoted(before.filter((c) => after.has(c)));
  // In key order, so that the primary key's index is filled in sequence rather than at random.
  const order = before.includes('id') ? ' ORDER BY "id"' : '';
  await q(`INSERT INTO "${temporary}" (${common}) SELECT ${common} FROM "${name}"${order}`);
  await q(`DROP TABLE "${name}"`);
  await q(`ALTER TABLE "${temporary}" RENAME TO "${name}"`);
  const dropped = new Set(change.dropIndices ?? []);
  for (const i of indexes) if (!dropped.has(i.name)) await q(i.sql);
  for (const i of change.addIndices ?? []) await q(indexSql(name, i));
}
