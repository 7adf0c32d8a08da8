import { QueryRunner } from 'typeorm';
import { engineOf } from './table-spec';

type Row = Record<string, any>;

/** Runs SQL written with `?` placeholders on either engine (PostgreSQL wants $1, $2...). */
export function sqlOn(qr: QueryRunner): <T = Row>(text: string, params?: unknown[]) => Promise<T[]> {
  const pg = engineOf(qr) === 'postgres';
  return (text, params = []) => {
    let n = 0;
    return qr.query(pg ? text.replace(/\?/g, () => `$${++n}`) : text, params);
  };
}

/**
 * PostgreSQL: FORCE ROW LEVEL SECURITY applies the tenant policies to the tables' owner too,
 * and a migration has no tenant scope: a non-superuser owner would read no row and copy
 * nothing, silently. The flag is lifted for the work and put back in the same transaction
 * (ALTER TABLE holds its lock until the commit, so no other session sees the gap).
 */
export async function withoutForcedRls<T>(qr: QueryRunner, tables: string[], work: () => Promise<T>): Promise<T> {
  if (engineOf(qr) !== 'postgres') return work();
  for (const t of tables) await qr.query(`ALTER TABLE "${t}" NO FORCE ROW LEVEL SECURITY`);
  const result = await work();
  for (const t of tables) await qr.query(`ALTER TABLE "${t}" FORCE ROW LEVEL SECURITY`);
  return result;
}

/** At most `limit` items of a list for a log line, and how many more there are. */
export function listed(items: string[], limit = 50): string {
  const head = items.slice(0, limit).join(', ');
  return items.length > limit ? `${head} ... and ${items.length - limit} more` : head;
}

/** Multi-row INSERTs in batches that stay far below both engines' parameter limits. */
export async function insertAll(qr: QueryRunner, target: string, rows: unknown[][]): Promise<void> {
  const sql = sqlOn(qr);
  const width = rows[0]?.length ?? 0;
  const perBatch = Math.max(1, Math.floor(900 / Math.max(width, 1)));
  for (let i = 0; i < rows.length; i += perBatch) {
    const batch = rows.slice(i, i + perBatch);
    const values = batch.map(() => `(${new Array(width).fill('?').join(', ')})`).join(', ');
    await sql(`INSERT INTO ${target} VALUES ${values}`, batch.flat());
  }
}
