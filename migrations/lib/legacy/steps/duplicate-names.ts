import { randomUUID } from 'node:crypto';
import { Adoption } from '../adoption';

/** [table, the scope a name must be unique in, which rows count]: as the new partial unique indexes say. */
const UNIQUE_NAMES: [string, string, string][] = [
  ['goals', 'user_id', 'user_id IS NOT NULL'],
  ['session_templates', 'root_id', '1'],
  ['activity_groups', 'root_id', '1'],
  ['activity_definitions', 'root_id', '1'],
  ['metric_definitions', 'activity_id', '1'],
  ['split_definitions', 'activity_id', '1'],
];

/**
 * Names the new partial unique indexes forbid twice: later rows (by created_at) get a
 * numbered suffix, and the report lists every rename. Duplicate session-goal links are
 * soft-deleted instead, so that the rows themselves stay.
 */
export async function repairDuplicateNames(a: Adoption): Promise<void> {
  for (const [table, scope, where] of UNIQUE_NAMES) {
    for (let round = 0; round < 10; round++) {
      const dupes = await a.sql<{ id: string; name: string; rn: number }>(
        `SELECT id, name, rn FROM (
           SELECT id, name, ROW_NUMBER() OVER (PARTITION BY ${scope}, name ORDER BY created_at, id) AS rn
           FROM ${table} WHERE deleted_at IS NULL AND ${where}
         ) WHERE rn > 1`,
      );
      if (dupes.length === 0) break;
      for (const d of dupes) {
        const renamed = `${d.name} (${d.rn})`;
        await a.sql(`UPDATE ${table} SET name = ? WHERE id = ?`, [renamed, d.id]);
        a.report.repairs.push({ table, id: d.id, what: `duplicate name "${d.name}" renamed to "${renamed}"` });
      }
    }
  }
  const deletion = randomUUID();
  await a.sql(
    `UPDATE practice_session_goals SET deleted_at = '${a.now}', deletion_id = '${deletion}' WHERE id IN (
       SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY practice_session_id, short_term_goal_id ORDER BY created_at, rowid) AS rn
                       FROM practice_session_goals WHERE deleted_at IS NULL) WHERE rn > 1)`,
  );
  const n = await a.changes();
  if (n > 0) a.report.repairs.push({ table: 'practice_session_goals', id: '*', what: `${n} duplicate link(s) soft-deleted (deletion ${deletion})` });
}
