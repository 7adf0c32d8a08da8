import { Adoption } from '../adoption';
import { printReport } from '../report';
import { q } from '../values';
import { TARGET_TABLES } from './indexes';

const TENANT_TABLES = TARGET_TABLES.filter((t) => t !== 'users' && t !== 'legacy_quarantine');

/** What the report says about the result: root_id everywhere, the index count, the quarantined rows. */
export async function checkResult(a: Adoption): Promise<void> {
  for (const t of TENANT_TABLES) {
    const n = (await a.one<{ n: number }>(`SELECT count(*) AS n FROM ${q(t)} WHERE root_id IS NULL`)).n;
    a.report.nullRootIds.push({ table: t, count: n });
  }
  a.report.indexCount = (await a.one<{ n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'index'`)).n;
  // integrity_check and foreign_key_check run once, over the whole database, in the migration
  // runner just before the commit (guardedMigration): running them here too doubles the cost
  // on a large file. Their verdict is its "Applied: ... integrity_check ok" line.
  a.report.quarantined = (
    await a.sql<{ source_table: string; source_id: string | null; reason: string }>(
      `SELECT source_table, source_id, reason FROM legacy_quarantine WHERE created_at = ? ORDER BY source_table, source_id`,
      [a.now],
    )
  ).map((r) => ({ table: r.source_table, id: r.source_id, reason: r.reason }));
  const bad = a.report.nullRootIds.filter((n) => n.count > 0);
  if (bad.length > 0) {
    printReport(a.report, a.out.log);
    throw new Error(`Adoption check failed: rows without root_id (${JSON.stringify(bad)}). Rolled back.`);
  }
}
