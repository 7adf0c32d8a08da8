import { Adoption } from '../adoption';
import { q } from '../values';

/** The tables that receive legacy rows; their indexes are rebuilt once after the bulk copy. */
export const TARGET_TABLES = [
  'users', 'goals', 'session_templates', 'practice_session_goals', 'activity_groups', 'activity_definitions',
  'metric_definitions', 'split_definitions', 'activity_instances', 'metric_values', 'programs', 'program_blocks',
  'program_days', 'scheduled_sessions', 'legacy_quarantine',
];

export interface IndexDefinition {
  name: string;
  sql: string;
}

/** Drops the declared indexes of the target tables (not their keys), and returns them for recreateIndexes. */
export async function dropTargetIndexes(a: Adoption): Promise<IndexDefinition[]> {
  const list = TARGET_TABLES.map((t) => `'${t}'`).join(', ');
  const rows = await a.sql<IndexDefinition>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list}) ORDER BY rowid`,
  );
  for (const r of rows) await a.sql(`DROP INDEX ${q(r.name)}`);
  return rows;
}

export async function recreateIndexes(a: Adoption, rows: IndexDefinition[]): Promise<void> {
  for (const r of rows) await a.sql(r.sql);
}
