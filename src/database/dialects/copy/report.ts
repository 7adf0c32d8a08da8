/** The copy will not start, or cannot go on, for a reason the operator can fix: exit code 2. */
export class CopyRefused extends Error {}

export interface CopyOptions {
  from: string;
  to: string;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface TableReport {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  /** INSERT statements the copy took. */
  batches: number;
}

export interface CopyReport {
  tables: TableReport[];
  migratedTarget: boolean;
  skippedSourceTables: { table: string; rows: number }[];
}

export function tableMatches(r: TableReport): boolean {
  return r.sourceRows === r.targetRows && r.sourceChecksum === r.targetChecksum;
}

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

export function printReport(report: CopyReport, log: (line: string) => void): void {
  const w = Math.max(...report.tables.map((r) => r.table.length), 5) + 2;
  log(`  ${pad('table', w)}${pad('sqlite rows', 13)}${pad('pg rows', 10)}${pad('sqlite sha256', 18)}${pad('pg sha256', 18)}`);
  for (const r of report.tables) {
    log(
      `  ${pad(r.table, w)}${pad(r.sourceRows, 13)}${pad(r.targetRows, 10)}${pad(r.sourceChecksum.slice(0, 16), 18)}${pad(r.targetChecksum.slice(0, 16), 18)}${tableMatches(r) ? 'ok' : 'MISMATCH'}`,
    );
  }
  for (const s of report.skippedSourceTables) {
    log(`  not copied: ${s.table} (${s.rows} rows), a table the current schema does not have`);
  }
}
