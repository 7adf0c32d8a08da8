import { Adoption } from '../adoption';
import { audit, copyTable } from '../copy';
import { tsReasons } from '../reasons';
import { UUID_SQL } from '../values';

export async function adoptPracticeSessionGoals(a: Adoption): Promise<void> {
  const T = 'practice_session_goals';
  if (!a.has(T)) return;
  const hasId = a.has(T, 'id');
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: `LEFT JOIN goals g1 ON g1.id = s.practice_session_id LEFT JOIN goals g2 ON g2.id = s.short_term_goal_id`,
    sourceId: hasId
      ? `CAST(s.id AS TEXT)`
      : `CAST(s.practice_session_id AS TEXT) || '/' || CAST(s.short_term_goal_id AS TEXT)`,
    reasons: [
      [`s.practice_session_id IS NULL OR g1.id IS NULL`, `'its practice session is gone'`],
      [`s.short_term_goal_id IS NULL OR g2.id IS NULL`, `'its goal is gone'`],
      [`g1.root_id <> g2.root_id`, `'it links goals of two different roots'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
    ],
    columns: [
      // The legacy key was an integer (shape 1) or the pair itself; the new key is a UUID.
      ['id', UUID_SQL],
      ...audit(a, T, 'g1.created_at'),
      ['root_id', 'g1.root_id'],
      ['practice_session_id', 's.practice_session_id'],
      ['short_term_goal_id', 's.short_term_goal_id'],
    ],
  });
  if (hasId) {
    a.report.repairs.push({ table: T, id: '*', what: 'integer ids replaced by UUIDs (nothing referred to them)' });
  }
}
