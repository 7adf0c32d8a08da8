import { QueryRunner } from 'typeorm';
import { LEGACY_PREFIX, LEGACY_TABLES } from '../legacy-stash';
import { q } from './values';

/** The legacy tables present (by their Flask names) and each one's columns, read from sqlite_master. */
export type LegacyColumns = Map<string, string[]>;

export async function readLegacyColumns(qr: QueryRunner): Promise<LegacyColumns> {
  const rows: { name: string }[] = await qr.query(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  const present = new Set(rows.map((r) => r.name));
  const cols: LegacyColumns = new Map();
  for (const t of LEGACY_TABLES) {
    if (!present.has(LEGACY_PREFIX + t)) continue;
    const info: { name: string }[] = await qr.query(`PRAGMA table_info(${q(LEGACY_PREFIX + t)})`);
    cols.set(t, info.map((c) => c.name));
  }
  return cols;
}

export interface Shape {
  number: 1 | 2 | 3 | 4;
  description: string;
  /** Legacy indexes found before they were dropped, when known. */
  legacyIndexes?: number;
}

/** The old improvement script's columns: none of them is shape 2, all of them shape 4. */
const IMPROVEMENTS: [string, string][] = [
  ['goals', 'deleted_at'],
  ['goals', 'sort_order'],
  ['activity_instances', 'root_id'],
  ['activity_instances', 'deleted_at'],
  ['activity_instances', 'updated_at'],
  ['activity_instances', 'sort_order'],
  ['metric_values', 'root_id'],
  ['metric_values', 'created_at'],
  ['metric_values', 'updated_at'],
  ['metric_definitions', 'root_id'],
  ['metric_definitions', 'updated_at'],
  ['metric_definitions', 'sort_order'],
  ['split_definitions', 'root_id'],
  ['split_definitions', 'deleted_at'],
  ['activity_definitions', 'deleted_at'],
  ['activity_definitions', 'updated_at'],
  ['activity_groups', 'deleted_at'],
  ['session_templates', 'deleted_at'],
];

/**
 * Which historical shape a Flask-era file has, from its tables and columns alone:
 * 1 (December 2025: separate practice_sessions, no goals.root_id), 2 (before the
 * improvements), 3 (partly improved), 4 (fully improved by the old script). legacyIndexes is
 * how many indexes the file had before InitialSchema dropped them, when known.
 */
export function detectShape(cols: LegacyColumns, legacyIndexes: number | undefined): Shape {
  const has = (t: string, c: string) => cols.get(t)?.includes(c) ?? false;
  if (cols.has('practice_sessions') || !has('goals', 'root_id')) {
    return { number: 1, description: 'December 2025: sessions in practice_sessions, goals without root_id', legacyIndexes };
  }
  // Only the improvements whose table exists can tell; a missing table says nothing.
  const relevant = IMPROVEMENTS.filter(([t]) => cols.has(t));
  const done = relevant.filter(([t, c]) => has(t, c)).length;
  if (done === 0) return { number: 2, description: 'before the improvements: root_id on goals only', legacyIndexes };
  const allDone = done === relevant.length;
  if (allDone && (legacyIndexes === undefined || legacyIndexes >= 26)) {
    return { number: 4, description: 'fully improved by the old script: root_id, deleted_at, updated_at, sort_order everywhere', legacyIndexes };
  }
  return { number: 3, description: `partly improved: ${done} of ${relevant.length} improvement columns present`, legacyIndexes };
}
