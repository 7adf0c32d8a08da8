import 'reflect-metadata';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { maskUrl } from '../../../config/env';
import { copyTable } from './copy-table';
import { CopyOptions, CopyRefused, CopyReport, printReport, tableMatches } from './report';
import { openSource, sqliteColumns, sqliteCount, sqliteTables } from './source';
import { connectTarget, deferForeignKeys, prepareTarget, TargetColumn, targetColumns } from './target';
import { verifyTable } from './verify';

/**
 * Copies a migrated SQLite database into an empty PostgreSQL database (migrating it first if
 * it has no tables), in one transaction and in batches, then verifies inside that transaction,
 * before the commit: the row count and a checksum of every table's content on both sides.
 * Any difference rolls the whole copy back. The command is src/cli/db-copy.ts.
 */
export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!/^postgres(ql)?:\/\//.test(options.to)) throw new CopyRefused('--to must be a postgres:// URL.');
  const from = path.resolve(options.from);
  const source = openSource(from);
  const target = connectTarget(options.to);
  const report: CopyReport = { tables: [], migratedTarget: false, skippedSourceTables: [] };
  try {
    await target.connect();
    log(`Copying ${from} -> ${maskUrl(options.to)}`);
    const { tables, migrated } = await prepareTarget(target, options.to, log);
    report.migratedTarget = migrated;

    const sourceTables = new Set(sqliteTables(source));
    const copied = tables.filter((t) => !NOT_COPIED.has(t));
    const missing = copied.filter((t) => !sourceTables.has(t));
    if (missing.length > 0) throw new CopyRefused(`The source lacks tables the target has: ${missing.join(', ')}.`);
    for (const t of [...sourceTables].filter((t) => !NOT_COPIED.has(t) && !copied.includes(t))) {
      report.skippedSourceTables.push({ table: t, rows: sqliteCount(source, t) });
    }
    const columns = await matchColumns(source, target, copied);

    // One snapshot of the source for the copy and its verification.
    source.exec('BEGIN');
    await target.query('BEGIN');
    try {
      await target.query(`SET LOCAL TIME ZONE 'UTC'`);
      const checkForeignKeys = await deferForeignKeys(target);
      const batchCounts = new Map<string, number>();
      for (const t of copied) batchCounts.set(t, await copyTable(source, target, t, columns.get(t)!, options.batchSize ?? 500, log));
      await checkForeignKeys();

      log('Verifying: row counts and content checksums on both sides');
      for (const t of copied) {
        report.tables.push({ ...(await verifyTable(source, target, t, columns.get(t)!)), batches: batchCounts.get(t) ?? 0 });
      }
      printReport(report, log);
      const bad = report.tables.filter((r) => !tableMatches(r));
      if (bad.length > 0) throw new Error(`Verification failed for ${bad.map((b) => b.table).join(', ')}; rolled back, nothing was copied.`);
      await target.query('COMMIT');
    } catch (err) {
      await target.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      source.exec('COMMIT');
    }
    const rows = report.tables.reduce((s, r) => s + r.targetRows, 0);
    log(`Done: ${rows} rows in ${report.tables.length} tables copied and verified; committed.`);
    return report;
  } finally {
    source.close();
    await target.end().catch(() => undefined);
  }
}

/**
 * Tables that the migrations own and no copy fills: bookkeeping, the RLS bypass ledger, and the
 * roots' version tokens, which the target's triggers write as the rows arrive.
 */
const NOT_COPIED = new Set(['migrations', 'fg_rls_bypass', 'root_versions']);

/** Each copied table's columns, once both schemas are known to have exactly the same ones. */
async function matchColumns(source: Database.Database, target: Client, tables: string[]): Promise<Map<string, TargetColumn[]>> {
  const columns = new Map<string, TargetColumn[]>();
  for (const t of tables) {
    const cols = await targetColumns(target, t);
    const srcCols = new Set(sqliteColumns(source, t));
    const onlyTarget = cols.filter((c) => !srcCols.has(c.name)).map((c) => c.name);
    const onlySource = [...srcCols].filter((c) => !cols.some((tc) => tc.name === c));
    if (onlyTarget.length || onlySource.length) {
      throw new CopyRefused(
        `Table ${t} differs between the two schemas (only in target: ${onlyTarget.join(', ') || '-'}; only in source: ${onlySource.join(', ') || '-'}).`,
      );
    }
    columns.set(t, cols);
  }
  return columns;
}
