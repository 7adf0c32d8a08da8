import { Adoption } from '../adoption';
import { audit, Column, reconcile, reportClearedReferences } from '../copy';
import { boolExpr, intExpr, jsonExpr, q, tsExpr } from '../values';

/**
 * Copies the goals staged by the goal tree step (the rest are already quarantined), the
 * sessions of shape 1 among them, and the goals recovered for the references that need them.
 */
export async function adoptGoals(a: Adoption): Promise<void> {
  const T = 'goals';
  const template = (alias: string) =>
    `(SELECT t.id FROM session_templates t WHERE t.id = ${alias} AND t.root_id = r.root_id)`;
  await copyStaged(a, T, [
    ['type', 's.type'],
    ['parent_id', 's.parent_id'],
    ['description', a.c(T, 'description')],
    ['deadline', tsExpr(a.c(T, 'deadline'))],
    ['completed', boolExpr(a.c(T, 'completed'), 0)],
    ['targets', jsonExpr(a.c(T, 'targets'))],
    ['sort_order', `COALESCE(${intExpr(a.c(T, 'sort_order'))}, 0)`],
    ['duration_minutes', intExpr(a.c(T, 'duration_minutes'))],
    ['session_start', tsExpr(a.c(T, 'session_start'))],
    ['session_end', tsExpr(a.c(T, 'session_end'))],
    ['total_duration_seconds', intExpr(a.c(T, 'total_duration_seconds'))],
    ['template_id', a.has(T, 'template_id') ? template('s.template_id') : 'NULL'],
    ['session_data', jsonExpr(a.c(T, 'session_data'))],
    ['attributes', jsonExpr(a.c(T, 'attributes'))],
  ]);
  if (a.has(T, 'template_id')) {
    await reportClearedReferences(a, T, 'template_id', 'template', {
      joins: `JOIN _groot r ON r.src = 'goals' AND r.id = s.id`,
      lookup: template('s.template_id'),
    });
  }
  if (a.has('practice_sessions')) {
    const P = 'practice_sessions';
    await copyStaged(a, P, [
      ['type', `'PracticeSession'`],
      ['parent_id', 'NULL'],
      ['description', a.c(P, 'description')],
      ['completed', boolExpr(a.c(P, 'completed'), 0)],
      ['duration_minutes', intExpr(a.c(P, 'duration_minutes'))],
      ['session_data', jsonExpr(a.c(P, 'session_data'))],
    ]);
  }
  // Recovered goals: parents and roots that legacy rows name but the file no longer has.
  await a.sql(
    `INSERT INTO goals (id, created_at, updated_at, root_id, type, name, description, completed, sort_order, version)
     SELECT g.id, COALESCE(g.created_at, '${a.now}'), COALESCE(g.created_at, '${a.now}'), r.root_id, g.type,
       CASE g.src WHEN 'recovered' THEN 'Recovered goal ' ELSE 'Recovered root ' END || g.id,
       'Recreated by the legacy adoption: rows of the Flask-era file named this goal, which it no longer had.', 0, 0, 1
     FROM _g g JOIN _groot r ON r.id = g.id WHERE g.src IN ('recovered', 'recovered-root')`,
  );
}

/** Copies the legacy rows that have a root in _groot; the goal tree step quarantined the others. */
async function copyStaged(a: Adoption, table: string, columns: Column[]): Promise<void> {
  const before = await a.legacyCount(table);
  const all: Column[] = [
    ['id', 's.id'],
    ...audit(a, table),
    ['root_id', 'r.root_id'],
    ['name', 's.name'],
    ...columns,
    ['version', '1'],
  ];
  await a.sql(
    `INSERT INTO goals (${all.map(([c]) => q(c)).join(', ')}) SELECT ${all.map(([, e]) => e).join(', ')}
     FROM ${a.L(table)} s JOIN _groot r ON r.src = '${table}' AND r.rid = s.rowid ORDER BY s.rowid`,
  );
  const kept = await a.changes();
  const quarantined = (await a.one<{ n: number }>(`SELECT count(*) AS n FROM legacy_quarantine WHERE source_table = ?`, [table])).n;
  reconcile(a, { table, target: 'goals', before, kept, quarantined });
}
