import { QueryRunner } from 'typeorm';

interface TriggerRow {
  name: string;
  tbl_name: string;
  sql: string;
}

const triggersOf = (qr: QueryRunner): Promise<TriggerRow[]> => qr.query(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`);

/**
 * SQLite drops a table's triggers with the table, and TypeORM changes a column on SQLite by
 * building a new table and dropping the old one: a migration that changes a column would silently
 * take away the triggers that keep its roots' versions (migration RootVersions), and with them
 * the guarantee that a kept answer is current. Taken at the start of a run, the triggers are put
 * back at its end on every table that still exists and that lost them; a trigger whose table the
 * run dropped for good stays gone, and so do the root versions' own when their table went
 * (RootVersions undone). Then every table with a root_id must have its three, or the run is
 * refused and rolls back; and every root gets a new version, since what the run wrote while a
 * table was without its triggers moved none.
 */
export async function keepTriggers(qr: QueryRunner): Promise<() => Promise<string>> {
  const before = await triggersOf(qr);
  return async () => {
    const tables = new Set(((await qr.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)) as { name: string }[]).map((t) => t.name));
    const now = new Set((await triggersOf(qr)).map((t) => t.name));
    const lost = before.filter((t) => !now.has(t.name) && tables.has(t.tbl_name) && (tables.has('root_versions') || !t.name.includes('_root_version_')));
    for (const t of lost) await qr.query(t.sql);
    if (tables.has('root_versions')) {
      const names = new Set([...now, ...lost.map((t) => t.name)]);
      const rooted: { name: string }[] = await qr.query(
        `SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name <> 'root_versions' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'root_id')`,
      );
      const missing = rooted.flatMap(({ name }) => ['insert', 'update', 'delete'].map((op) => `trg_${name}_root_version_${op}`)).filter((n) => !names.has(n));
      if (missing.length > 0) {
        throw new Error(`tables with a root_id lack the triggers that move their roots' versions: ${missing.join(', ')} (a new tenant table's migration calls trackRootVersions, migrations/lib/root-versions.ts)`);
      }
      // What a migration wrote while a table had no triggers moved no token: every root gets a new one.
      await qr.query(`UPDATE root_versions SET version = lower(hex(randomblob(8)))`);
    }
    return lost.length ? ` ${lost.length} trigger(s) dropped by table rebuilds put back: ${lost.map((t) => t.name).join(', ')}.` : '';
  };
}
