import { Adoption } from './adoption';
import { fillThenKey } from './keys-after';
import { caseOf, Reason } from './reasons';
import { TableCount } from './report';
import { q, tsExpr, UUID_SQL } from './values';

/** [target column, SQL expression over alias s and the joins]. */
export type Column = [string, string];

export interface TableSpec {
  legacy: string;
  target: string;
  /** Joins after `FROM legacy_<table> s`; each must match at most one row. */
  joins?: string;
  /** The first reason that holds sends the row to quarantine. */
  reasons: Reason[];
  columns: Column[];
  /** The quarantine's source_id; the legacy id by default. */
  sourceId?: string;
  /** A big table: fill it keyless, then build its key indexes by sorting (fillThenKey). */
  keysAfter?: boolean;
}

/** Audit and soft-delete columns shared by every tenant table. */
export function audit(a: Adoption, table: string, fallbackCreated = 'NULL'): Column[] {
  const created = `COALESCE(${tsExpr(a.c(table, 'created_at'))}, ${fallbackCreated}, '${a.now}')`;
  const deleted = tsExpr(a.c(table, 'deleted_at'));
  return [
    ['created_at', created],
    ['updated_at', `COALESCE(${tsExpr(a.c(table, 'updated_at'))}, ${created})`],
    ['deleted_at', deleted],
    ['deletion_id', `CASE WHEN ${deleted} IS NOT NULL THEN ${UUID_SQL} END`],
  ];
}

/** The whole legacy row as JSON (blobs as hex), for the quarantine. */
function rowJson(a: Adoption, table: string): string {
  const parts = a.cols.get(table)!.map((c) => `'${c.replace(/'/g, "''")}', CASE WHEN typeof(s.${q(c)}) = 'blob' THEN hex(s.${q(c)}) ELSE s.${q(c)} END`);
  return `json_object(${parts.join(', ')})`;
}

/** Sends the legacy rows (alias s) that meet `where` to legacy_quarantine, whole, with the reason. */
export async function quarantine(
  a: Adoption,
  table: string,
  rows: { joins?: string; where: string; reason: string; sourceId?: string },
): Promise<void> {
  await a.sql(
    `INSERT INTO legacy_quarantine (id, created_at, updated_at, source_table, source_id, row_json, reason)
     SELECT ${UUID_SQL}, '${a.now}', '${a.now}', '${table}', ${rows.sourceId ?? 'CAST(s.id AS TEXT)'}, ${rowJson(a, table)}, ${rows.reason}
     FROM ${a.L(table)} s ${rows.joins ?? ''} WHERE ${rows.where}`,
  );
}

/** Quarantines the rows that fail a reason, and nothing else (the goals, which are copied later). */
export async function quarantineFailing(a: Adoption, table: string, reasons: Reason[]): Promise<void> {
  const reason = caseOf(reasons);
  await quarantine(a, table, { where: `${reason} IS NOT NULL`, reason: `substr(${reason}, 1, 500)` });
}

/** Checks that every legacy row was either kept or quarantined, and records the count. */
export function reconcile(a: Adoption, count: TableCount): TableCount {
  if (count.kept + count.quarantined !== count.before) {
    throw new Error(`Reconciliation failed for ${count.table}: ${count.kept} kept + ${count.quarantined} quarantined <> ${count.before} rows`);
  }
  a.report.counts.push(count);
  return count;
}

/**
 * Moves one legacy table: the rows that meet the new constraints to the new table, the rest
 * to legacy_quarantine. The copy runs first; the (second) quarantine pass runs only when
 * some rows were not copied, so a clean table is read once.
 */
export async function copyTable(a: Adoption, spec: TableSpec): Promise<TableCount> {
  const joins = spec.joins ?? '';
  const reason = spec.reasons.length ? caseOf(spec.reasons) : 'NULL';
  const before = await a.legacyCount(spec.legacy);
  let kept = 0;
  const fill = async (target: string) => {
    await a.sql(
      `INSERT INTO ${q(target)} (${spec.columns.map(([c]) => q(c)).join(', ')})
       SELECT ${spec.columns.map(([, e]) => e).join(', ')} FROM ${a.L(spec.legacy)} s ${joins} WHERE ${reason} IS NULL ORDER BY s.rowid`,
    );
    kept = await a.changes();
  };
  if (spec.keysAfter) await fillThenKey((text, params) => a.sql(text, params), a.db, spec.target, spec.columns.map(([c]) => c), fill);
  else await fill(spec.target);
  let quarantined = 0;
  if (kept < before) {
    await quarantine(a, spec.legacy, { joins, where: `${reason} IS NOT NULL`, reason: `substr(${reason}, 1, 500)`, sourceId: spec.sourceId });
    quarantined = await a.changes();
  }
  return reconcile(a, { table: spec.legacy, target: spec.target, before, kept, quarantined });
}

/**
 * A reference the copy clears (`lookup`, a subquery over alias s, finds nothing in the row's
 * root): each kept row that loses one is listed in the report's repairs.
 */
export async function reportClearedReferences(
  a: Adoption,
  table: string,
  col: string,
  noun: string,
  rows: { joins: string; lookup: string; where?: string },
): Promise<void> {
  const cleared = await a.sql<Record<string, string>>(
    `SELECT s.id, s.${col} FROM ${a.L(table)} s ${rows.joins}
     WHERE s.${col} IS NOT NULL AND ${rows.where ? `${rows.where} AND ` : ''}${rows.lookup} IS NULL`,
  );
  for (const x of cleared) a.report.repairs.push({ table, id: x.id, what: `${col} ${x[col]} names no ${noun} of its root: cleared` });
}
