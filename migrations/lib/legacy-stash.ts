import { QueryRunner } from 'typeorm';
import { engineOf } from './table-spec';

/** Every table the Flask app ever had, across its historical shapes. */
export const LEGACY_TABLES = [
  'goals',
  'practice_sessions',
  'practice_session_goals',
  'activity_groups',
  'activity_definitions',
  'metric_definitions',
  'split_definitions',
  'activity_instances',
  'metric_values',
  'session_templates',
  'programs',
  'program_blocks',
  'program_days',
  'scheduled_sessions',
];

export const LEGACY_PREFIX = 'legacy_';

/**
 * How many indexes the Flask-era file had, counted just before they were dropped (shape
 * detection reads it). It travels on the query runner, from InitialSchema to AdoptLegacy.
 */
const INDEX_COUNT = 'legacyIndexCount';
export const stashedIndexCount = (queryRunner: QueryRunner): number | undefined => queryRunner.data?.[INDEX_COUNT];
const rememberIndexCount = (queryRunner: QueryRunner, n: number | undefined) => {
  queryRunner.data = { ...queryRunner.data, [INDEX_COUNT]: n };
};

/**
 * A Flask-era SQLite file has a goals table but no record of our migrations. Its tables are
 * renamed to legacy_<name> (their own indexes dropped, since their names are ours now) so that
 * the fresh schema can be created beside them and the adoption can copy the rows over.
 */
export async function moveLegacyTablesAside(queryRunner: QueryRunner): Promise<string[]> {
  rememberIndexCount(queryRunner, undefined);
  if (engineOf(queryRunner) !== 'sqlite') return [];
  const rows: { name: string }[] = await queryRunner.query(
    `SELECT name FROM sqlite_master WHERE type = 'table'`,
  );
  const present = new Set(rows.map((r) => r.name));
  if (!present.has('goals')) return [];
  const moved: string[] = [];
  const counted: { n: number }[] = await queryRunner.query(
    `SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`,
  );
  rememberIndexCount(queryRunner, counted[0].n);
  for (const name of LEGACY_TABLES) {
    if (!present.has(name)) continue;
    const indexes: { name: string }[] = await queryRunner.query(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
      [name],
    );
    for (const idx of indexes) await queryRunner.query(`DROP INDEX "${idx.name}"`);
    await queryRunner.query(`ALTER TABLE "${name}" RENAME TO "${LEGACY_PREFIX}${name}"`);
    moved.push(name);
  }
  return moved;
}
