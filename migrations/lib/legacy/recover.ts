import { Adoption } from './adoption';
import { q, UUID_SQL } from './values';

/*
 * Recovered definitions: copied rows that name a definition the file no longer has (or one of
 * another root) get one made for them. `rows` is a temp table of those rows (rid = their rowid
 * in the copied table, the key columns, created_at); `groups` gets one row per key, the
 * definition to create, with its id in new_id.
 */

/** Groups the rows that need a recovered definition, one per key, and picks each one's id. Returns how many. */
export async function groupRecovered(a: Adoption, rows: string, groups: string, target: string, key: string[]): Promise<number> {
  await a.sql(`CREATE INDEX ${rows}_key ON ${rows} (${key.join(', ')})`);
  await a.sql(`CREATE UNIQUE INDEX ${rows}_rid ON ${rows} (rid)`);
  await a.sql(
    `CREATE TEMP TABLE ${groups} AS SELECT ${key.join(', ')}, count(*) AS n, min(created_at) AS first_seen, CAST(NULL AS TEXT) AS new_id
     FROM ${rows} GROUP BY ${key.join(', ')}`,
  );
  await a.sql(`CREATE UNIQUE INDEX ${groups}_key ON ${groups} (${key.join(', ')})`);
  // The old id itself when no row has it yet (the first claim wins), otherwise a new UUID.
  await a.sql(
    `UPDATE ${groups} SET new_id = CASE
       WHEN NOT EXISTS (SELECT 1 FROM ${q(target)} d WHERE d.id = ${groups}.old_id)
        AND ${groups}.rowid = (SELECT min(x.rowid) FROM ${groups} x WHERE x.old_id = ${groups}.old_id) THEN old_id
       ELSE ${UUID_SQL} END`,
  );
  return (await a.one<{ n: number }>(`SELECT count(*) AS n FROM ${groups}`)).n;
}

/** Points the copied rows at their recovered definition where it could not keep the old id. */
export async function repoint(a: Adoption, table: string, col: string, rows: string, groups: string, key: string[]): Promise<void> {
  const on = key.map((k) => `g.${k} = x.${k}`).join(' AND ');
  await a.sql(
    `UPDATE ${table} SET ${col} = (SELECT g.new_id FROM ${rows} x JOIN ${groups} g ON ${on} WHERE x.rid = ${table}.rowid)
     WHERE rowid IN (SELECT x.rid FROM ${rows} x JOIN ${groups} g ON ${on} WHERE g.new_id <> g.old_id)`,
  );
}
