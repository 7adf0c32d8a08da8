import { q } from './values';

/** The part of better-sqlite3's Database this needs: lifting its defensive mode for a moment. */
export interface UnsafeSwitch {
  unsafeMode(on?: boolean): unknown;
}

type Sql = (text: string, params?: unknown[]) => Promise<any[]>;

interface SchemaRow {
  type: string;
  name: string;
  sql: string | null;
}

/**
 * Fills an empty table, then builds the indexes of its PRIMARY KEY and UNIQUE constraints by
 * sorting. SQLite keeps those indexes up to date one row at a time while rows go in, which in
 * the random order of legacy UUIDs is most of the copy's time (3M metric values: 9 to 15 s with
 * the key, 1.4 s without it plus 2.4 s to build the same index sorted).
 *
 * The rows go into a keyless twin (`CREATE TABLE ... AS`, so the same columns and affinities,
 * hence the same stored records); each constraint's index is built on the twin with
 * `CREATE UNIQUE INDEX` over the same columns and collations, which is the same b-tree an
 * autoindex is. Then, in the caller's transaction, `sqlite_master` gives the twin the table's
 * name and declaration and each index its autoindex name, and SQLite reloads the schema. The
 * table ends as if it had been filled directly. A duplicate key fails the index build, as it
 * would have failed the insert; NOT NULL and CHECK constraints, which the twin lacks, are
 * verified with every index against the table by the runner's integrity_check before the commit.
 *
 * `fill` receives the twin's name and must name every column that has a non-NULL default.
 */
export async function fillThenKey(
  sql: Sql,
  db: UnsafeSwitch,
  table: string,
  columns: string[],
  fill: (target: string) => Promise<void>,
): Promise<void> {
  const rows: SchemaRow[] = await sql(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? ORDER BY rowid`, [table]);
  const declaration = rows.find((r) => r.type === 'table')?.sql;
  const keys = rows.filter((r) => r.type === 'index' && r.sql === null).map((r) => r.name);
  const others = rows.filter((r) => r.type !== 'table' && r.sql !== null).map((r) => r.name);
  if (!declaration || others.length > 0) {
    throw new Error(`fillThenKey(${table}): expected a table with no index or trigger of its own (found ${others.join(', ') || 'no table'})`);
  }
  if ((await sql(`SELECT 1 FROM ${q(table)} LIMIT 1`)).length > 0) throw new Error(`fillThenKey(${table}): the table is not empty`);
  const info: { name: string; dflt_value: string | null }[] = await sql(`PRAGMA table_info(${q(table)})`);
  const defaulted = info.filter((c) => c.dflt_value !== null && c.dflt_value.toUpperCase() !== 'NULL' && !columns.includes(c.name));
  if (defaulted.length > 0) {
    throw new Error(`fillThenKey(${table}): the twin has no defaults, so the fill must name ${defaulted.map((c) => c.name).join(', ')}`);
  }

  const twin = `_keyless_${table}`;
  await sql(`CREATE TABLE ${q(twin)} AS SELECT * FROM ${q(table)} WHERE 0`);
  await fill(twin);
  const built: [string, string][] = [];
  for (const [i, key] of keys.entries()) {
    const cols: { name: string; desc: number; coll: string; key: number }[] = await sql(`PRAGMA index_xinfo(${q(key)})`);
    const list = cols.filter((c) => c.key === 1).map((c) => `${q(c.name)} COLLATE ${c.coll}${c.desc ? ' DESC' : ''}`);
    const name = `_key_${table}_${i + 1}`;
    try {
      await sql(`CREATE UNIQUE INDEX ${q(name)} ON ${q(twin)} (${list.join(', ')})`);
    } catch (err) {
      // Not `instanceof Error`: the driver's errors may come from another realm (jest's, for one).
      const message = (err as { message?: unknown } | null)?.message;
      throw new Error(`${table}: ${typeof message === 'string' ? message.split(twin).join(table) : String(err)}`);
    }
    built.push([name, key]);
  }
  await sql(`DROP TABLE ${q(table)}`);
  db.unsafeMode(true);
  try {
    await sql('PRAGMA writable_schema = ON');
    await sql(`UPDATE sqlite_master SET name = ?, tbl_name = ?, sql = ? WHERE type = 'table' AND name = ?`, [table, table, declaration, twin]);
    for (const [name, key] of built) {
      await sql(`UPDATE sqlite_master SET name = ?, tbl_name = ?, sql = NULL WHERE type = 'index' AND name = ?`, [key, table, name]);
    }
  } finally {
    // RESET also makes this connection read the schema again.
    await sql('PRAGMA writable_schema = RESET');
    db.unsafeMode(false);
  }
  const now: { name: string }[] = await sql(`PRAGMA index_list(${q(table)})`);
  const missing = keys.filter((k) => !now.some((r) => r.name === k));
  if (missing.length > 0) throw new Error(`fillThenKey(${table}): ${missing.join(', ')} did not come back`);
}
