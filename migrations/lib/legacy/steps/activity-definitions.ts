import { Adoption } from '../adoption';
import { audit, copyTable, reportClearedReferences } from '../copy';
import { boolReasons, idReasons, intReasons, tsReasons } from '../reasons';
import { boolExpr, intExpr } from '../values';
import { rootOwned } from './goal-tree';

/** Recovered activities, for instances whose activity is gone, are made with the instances. */
export async function adoptActivityDefinitions(a: Adoption): Promise<void> {
  const T = 'activity_definitions';
  if (!a.has(T)) return;
  let root = rootOwned(a, T);
  if (!a.has(T, 'root_id') && a.has('activity_instances')) {
    // No root_id column: the root of the sessions that used the activity.
    await a.sql(
      `CREATE TEMP TABLE _adroot AS SELECT ai.activity_definition_id AS id, min(r.root_id) AS root_id
       FROM ${a.L('activity_instances')} ai JOIN _groot r ON r.id = ai.practice_session_id GROUP BY ai.activity_definition_id`,
    );
    root = {
      joins: `LEFT JOIN _adroot r ON r.id = s.id`,
      reasons: [[`r.root_id IS NULL`, `'no root_id column, and no session uses it to tell its root'`]],
    };
  }
  const group = a.has(T, 'group_id') && a.has('activity_groups')
    ? `(SELECT ag.id FROM activity_groups ag WHERE ag.id = s.group_id AND ag.root_id = r.root_id)`
    : 'NULL';
  if (group !== 'NULL') {
    await reportClearedReferences(a, T, 'group_id', 'group', { joins: root.joins, lookup: group, where: 'r.root_id IS NOT NULL' });
  }
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: root.joins,
    reasons: [
      ...(await idReasons(a, T)),
      ...root.reasons,
      [`s.name IS NULL`, `'name is NULL'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
      ...boolReasons(a, T, ['has_sets', 'has_metrics', 'metrics_multiplicative', 'has_splits']),
      ...intReasons(a, T, ['sort_order']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T),
      ['root_id', 'r.root_id'],
      ['group_id', group],
      ['name', 's.name'],
      ['description', a.c(T, 'description')],
      ['has_sets', boolExpr(a.c(T, 'has_sets'), 0)],
      ['has_metrics', boolExpr(a.c(T, 'has_metrics'), 1)],
      ['metrics_multiplicative', boolExpr(a.c(T, 'metrics_multiplicative'), 0)],
      ['has_splits', boolExpr(a.c(T, 'has_splits'), 0)],
      ['sort_order', `COALESCE(${intExpr(a.c(T, 'sort_order'))}, 0)`],
      ['recovered_from_legacy', '0'],
    ],
  });
}
