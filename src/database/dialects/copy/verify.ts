import Database from 'better-sqlite3';
import { Client } from 'pg';
import { canonicalFromPg, canonicalFromSqlite, Checksum } from './normalize';
import { TableReport } from './report';
import { q } from './source';
import { TargetColumn } from './target';

/** Count and checksum one table on both sides, rows in id order (byte order on both engines). */
export async function verifyTable(
  source: Database.Database,
  target: Client,
  table: string,
  cols: TargetColumn[],
): Promise<Omit<TableReport, 'batches'>> {
  const names = cols.map((c) => q(c.name)).join(', ');
  const src = new Checksum();
  for (const row of source.prepare(`SELECT ${names} FROM ${q(table)} ORDER BY id`).raw(true).iterate() as Iterable<unknown[]>) {
    src.add(row.map((v, i) => canonicalFromSqlite(v, cols[i].type)));
  }
  const dst = new Checksum();
  const page = 2000;
  let after: string | null = null;
  for (;;) {
    const res: { rows: Record<string, string | null>[] } = await target.query(
      `SELECT ${names} FROM ${q(table)} ${after === null ? '' : 'WHERE id COLLATE "C" > $1'} ORDER BY id COLLATE "C" LIMIT ${page}`,
      after === null ? [] : [after],
    );
    for (const row of res.rows) dst.add(cols.map((c) => canonicalFromPg(row[c.name], c.type)));
    if (res.rows.length < page) break;
    after = res.rows[res.rows.length - 1].id as string;
  }
  return { table, sourceRows: src.rows, targetRows: dst.rows, sourceChecksum: src.digest(), targetChecksum: dst.digest() };
}
