import { Adoption } from '../adoption';
import { audit, Column, copyTable } from '../copy';
import { boolReasons, idReasons, intReasons, tsReasons } from '../reasons';
import { boolExpr, intExpr } from '../values';

/**
 * An activity's metric or split definitions. Recovered ones, for values whose definition is
 * gone, are made with the metric values.
 */
export async function adoptDefinitions(a: Adoption, T: 'metric_definitions' | 'split_definitions'): Promise<void> {
  if (!a.has(T)) return;
  const metric = T === 'metric_definitions';
  const own: Column[] = metric
    ? [
        ['unit', `COALESCE(${a.c(T, 'unit')}, '')`],
        ['is_active', boolExpr(a.c(T, 'is_active'), 1)],
        ['is_top_set_metric', boolExpr(a.c(T, 'is_top_set_metric'), 0)],
        ['is_multiplicative', boolExpr(a.c(T, 'is_multiplicative'), 1)],
        ['sort_order', `COALESCE(${intExpr(a.c(T, 'sort_order'))}, 0)`],
        ['recovered_from_legacy', '0'],
      ]
    : [['order', `COALESCE(${intExpr(a.c(T, 'order'))}, 0)`]];
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: `LEFT JOIN activity_definitions d ON d.id = s.activity_id`,
    reasons: [
      ...(await idReasons(a, T)),
      [`s.activity_id IS NULL OR d.id IS NULL`, `'its activity definition is gone'`],
      [`s.name IS NULL`, `'name is NULL'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
      ...(metric ? boolReasons(a, T, ['is_active', 'is_top_set_metric', 'is_multiplicative']) : []),
      ...intReasons(a, T, metric ? ['sort_order'] : ['order']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T, 'd.created_at'),
      ['root_id', 'd.root_id'],
      ['activity_id', 's.activity_id'],
      ['name', 's.name'],
      ...own,
    ],
  });
}
