import Database from 'better-sqlite3';
import { Client } from 'pg';
import { toPgParam } from './normalize';
import { q, sqliteCount } from './source';
import { TargetColumn } from './target';

const PG_MAX_PARAMS = 65535;

/** Copies one table in multi-row INSERTs of at most batchSize rows; answers how many INSERTs it took. */
export async function copyTable(
  source: Database.Database,
  target: Client,
  table: string,
  cols: TargetColumn[],
  batchSize: number,
  log: (line: string) => void,
): Promise<number> {
  const total = sqliteCount(source, table);
  const perBatch = Math.max(1, Math.min(batchSize, Math.floor(PG_MAX_PARAMS / cols.length)));
  const names = cols.map((c) => q(c.name)).join(', ');
  let done = 0;
  let batch: unknown[][] = [];
  let lastPrint = 0;
  let batches = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
    await target.query(`INSERT INTO ${q(table)} (${names}) VALUES ${tuples.join(', ')}`, params);
    done += batch.length;
    batches++;
    batch = [];
    if (done === total || Date.now() - lastPrint > 1000) {
      lastPrint = Date.now();
      log(`  ${table}: ${done}/${total} rows (${total ? Math.round((done / total) * 100) : 100}%)`);
    }
  };
  const select = source.prepare(`SELECT ${names} FROM ${q(table)} ORDER BY rowid`).raw(true);
  let n = 0;
  for (const row of select.iterate() as Iterable<unknown[]>) {
    n++;
    try {
      batch.push(row.map((v, i) => toPgParam(v, cols[i].type)));
    } catch (err) {
      throw new Error(`${table}, row ${n}: ${(err as Error).message}`);
    }
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  if (total === 0) log(`  ${table}: 0 rows`);
  return batches;
}
