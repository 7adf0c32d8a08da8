import { Adoption } from '../adoption';
import { audit, copyTable } from '../copy';
import { idReasons, intReasons, tsReasons } from '../reasons';
import { intExpr } from '../values';
import { rootOwned } from './goal-tree';

export async function adoptActivityGroups(a: Adoption): Promise<void> {
  const T = 'activity_groups';
  if (!a.has(T)) return;
  const root = rootOwned(a, T);
  await copyTable(a, {
    legacy: T,
    target: T,
    joins: root.joins,
    reasons: [
      ...(await idReasons(a, T)),
      ...root.reasons,
      [`s.name IS NULL`, `'name is NULL'`],
      ...tsReasons(a, T, ['created_at', 'updated_at', 'deleted_at']),
      ...intReasons(a, T, ['sort_order']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T),
      ['root_id', 'r.root_id'],
      ['name', 's.name'],
      ['description', a.c(T, 'description')],
      ['sort_order', `COALESCE(${intExpr(a.c(T, 'sort_order'))}, 0)`],
    ],
  });
}
