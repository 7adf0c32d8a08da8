import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { UnitOfWork } from '../../src/database/unit-of-work';

/**
 * What the features' query-plan tests share (SQLite): recording every statement a route runs,
 * and reading each back with EXPLAIN QUERY PLAN, where a tenant table must be searched through
 * an index that begins with root_id, the id or a foreign-key column, and never scanned.
 */

export interface Captured {
  sql: string;
  params: unknown[];
}

/** Statements that read rows: the ones whose plans are checked. */
export const READS = /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i;

export const tenantTablesOf = (ds: DataSource): Set<string> => new Set(TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName));

/** The tables a statement names, with their aliases. */
export function tablesOf(sql: string): { table: string; alias: string }[] {
  const out: { table: string; alias: string }[] = [];
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"(?:\s+(?:AS\s+)?"(\w+)")?/gi)) out.push({ table: m[1], alias: m[2] ?? m[1] });
  return out;
}

/** Runs `work` with every statement recorded, on the app's write connection and on its read one. */
export async function recordStatements<T>(app: NestFastifyApplication, ds: DataSource, work: () => Promise<T>): Promise<{ result: T; statements: Captured[] }> {
  const reader = (app.get(UnitOfWork) as unknown as { reader?: DataSource }).reader;
  const sources = [ds, ...(reader ? [reader] : [])] as unknown as { logger: object }[];
  const originals = sources.map((s) => s.logger);
  const statements: Captured[] = [];
  sources.forEach((s, k) => {
    s.logger = new Proxy(originals[k], {
      get: (target, key) => (key === 'logQuery' ? (sql: string, params: unknown[] = []) => statements.push({ sql, params }) : Reflect.get(target, key)),
    });
  });
  try {
    return { result: await work(), statements };
  } finally {
    sources.forEach((s, k) => (s.logger = originals[k]));
  }
}

/**
 * Reads back the plan of each statement: every search of a tenant table that scans, or uses an
 * index whose first column is not root_id, the id or a foreign key, is a problem. `seen` names
 * the tenant tables the plans searched.
 */
export async function planProblems(ds: DataSource, statements: Captured[], tenantTables: Set<string>): Promise<{ problems: string[]; seen: Set<string> }> {
  const firstColumn = async (index: string) => ((await ds.query(`PRAGMA index_info("${index}")`)) as { name: string }[])[0]?.name ?? '';
  const foreignKeyColumns = async (table: string) => ((await ds.query(`PRAGMA foreign_key_list("${table}")`)) as { from: string }[]).map((f) => f.from);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { sql, params } of statements) {
    const aliases = new Map(tablesOf(sql).map((t) => [t.alias, t.table]));
    if (![...aliases.values()].some((t) => tenantTables.has(t))) continue;
    const plan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
    for (const { detail } of plan) {
      const m = /^(SCAN|SEARCH) (\S+)(?: EXISTS)?(?: USING (?:COVERING )?INDEX (\S+)| USING (INTEGER )?PRIMARY KEY)?/.exec(detail);
      if (!m) continue;
      const table = aliases.get(m[2]) ?? m[2];
      if (!tenantTables.has(table)) continue;
      seen.add(table);
      const first = m[3] ? await firstColumn(m[3]) : 'rowid';
      const allowed = new Set(['root_id', 'id', ...(await foreignKeyColumns(table))]);
      if (m[1] === 'SCAN' || !allowed.has(first)) problems.push(`${detail} (first column ${first}) in: ${sql.slice(0, 300)}`);
    }
  }
  return { problems, seen };
}
