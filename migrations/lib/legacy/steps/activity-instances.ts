import { randomUUID } from 'node:crypto';
import { Adoption } from '../adoption';
import { audit, copyTable } from '../copy';
import { boolReasons, idReasons, intReasons, jsonReasons, tsReasons } from '../reasons';
import { groupRecovered, repoint } from '../recover';
import { boolExpr, intExpr, jsonExpr, tsExpr } from '../values';

/**
 * Activity instances: each one hangs on its practice session (a goal by now), whose root it
 * takes. One of the two big tables, so its keys are built after the copy.
 */
export async function adoptActivityInstances(a: Adoption): Promise<void> {
  const T = 'activity_instances';
  if (!a.has(T)) return;
  await copyTable(a, {
    legacy: T,
    target: T,
    keysAfter: true,
    joins: `LEFT JOIN goals g ON g.id = s.practice_session_id`,
    reasons: [
      ...(await idReasons(a, T)),
      [`s.practice_session_id IS NULL OR g.id IS NULL`, `'its practice session is gone'`],
      [`s.activity_definition_id IS NULL`, `'activity_definition_id is NULL'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at', 'time_start', 'time_stop', 'paused_at']),
      ...intReasons(a, T, ['duration_seconds', 'total_paused_seconds', 'sort_order']),
      ...boolReasons(a, T, ['completed']),
      ...jsonReasons(a, T, ['data']),
      [`${intExpr(a.c(T, 'duration_seconds'))} < 0 OR ${intExpr(a.c(T, 'total_paused_seconds'))} < 0`, `'negative duration'`],
      [`${a.c(T, 'time_stop')} IS NOT NULL AND ${a.c(T, 'time_start')} IS NOT NULL AND ${tsExpr(a.c(T, 'time_stop'))} < ${tsExpr(a.c(T, 'time_start'))}`, `'time_stop is before time_start'`],
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T, 'g.created_at'),
      ['root_id', 'g.root_id'],
      ['practice_session_id', 's.practice_session_id'],
      ['activity_definition_id', 's.activity_definition_id'],
      ['time_start', tsExpr(a.c(T, 'time_start'))],
      ['time_stop', tsExpr(a.c(T, 'time_stop'))],
      ['duration_seconds', intExpr(a.c(T, 'duration_seconds'))],
      ['paused_at', tsExpr(a.c(T, 'paused_at'))],
      ['total_paused_seconds', `COALESCE(${intExpr(a.c(T, 'total_paused_seconds'))}, 0)`],
      ['completed', boolExpr(a.c(T, 'completed'), 0)],
      ['notes', a.c(T, 'notes')],
      ['data', jsonExpr(a.c(T, 'data'))],
      ['sort_order', `COALESCE(${intExpr(a.c(T, 'sort_order'))}, 0)`],
    ],
  });
  await recoverActivities(a);
}

/**
 * An instance whose activity definition is gone (or lives in another root) gets a recovered,
 * archived one in its own root. Found on the copied rows: a scan with lookups in a small table.
 */
async function recoverActivities(a: Adoption): Promise<void> {
  await a.sql(
    `CREATE TEMP TABLE _rav AS SELECT i.rowid AS rid, i.activity_definition_id AS old_id, i.root_id AS root_id, i.created_at AS created_at
     FROM activity_instances i
     WHERE NOT EXISTS (SELECT 1 FROM activity_definitions d WHERE d.root_id = i.root_id AND d.id = i.activity_definition_id)`,
  );
  const key = ['old_id', 'root_id'];
  if ((await groupRecovered(a, '_rav', '_ra', 'activity_definitions', key)) === 0) return;
  const archive = randomUUID();
  await a.sql(
    `INSERT INTO activity_definitions (id, created_at, updated_at, deleted_at, deletion_id, root_id, name, description, recovered_from_legacy)
     SELECT new_id, COALESCE(first_seen, '${a.now}'), '${a.now}', '${a.now}', '${archive}', root_id, 'Recovered activity ' || old_id,
       'Recreated (archived) by the legacy adoption for ' || n || ' activity instance(s) whose activity definition ' || old_id || ' no longer existed.', 1
     FROM _ra`,
  );
  for (const r of await a.sql<{ old_id: string; new_id: string; n: number }>(`SELECT old_id, new_id, n FROM _ra`)) {
    a.report.recovered.push({ table: 'activity_definitions', id: r.new_id, name: `Recovered activity ${r.old_id}`, why: `archived; ${r.n} instance(s) used the missing activity ${r.old_id}` });
  }
  await repoint(a, 'activity_instances', 'activity_definition_id', '_rav', '_ra', key);
}
