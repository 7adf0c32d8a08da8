import { Adoption } from '../adoption';
import { audit, copyTable } from '../copy';
import { idReasons, jsonReasons, tsReasons } from '../reasons';
import { jsonExpr } from '../values';
import { rootOwned } from './goal-tree';

export async function adoptSessionTemplates(a: Adoption): Promise<void> {
  const T = 'session_templates';
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
      ...jsonReasons(a, T, ['template_data']),
    ],
    columns: [
      ['id', 's.id'],
      ...audit(a, T),
      ['root_id', 'r.root_id'],
      ['name', 's.name'],
      ['description', a.c(T, 'description')],
      ['template_data', jsonExpr(a.c(T, 'template_data'), `'{}'`)],
    ],
  });
}
