import { Adoption } from '../adoption';
import { quarantine, quarantineFailing } from '../copy';
import { boolReasons, caseOf, idReasons, intReasons, jsonReasons, Reason, tsReasons } from '../reasons';
import { intExpr, tsExpr } from '../values';

const GOAL_TYPES = [
  'UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'PracticeSession', 'ImmediateGoal', 'MicroGoal', 'NanoGoal',
];

/**
 * Every goal's root, set-wise, into _groot (id, root_id, src, rid): the legacy goals (and, in
 * shape 1, practice_sessions) that can be kept are staged in _g and the others quarantined; a
 * referenced parent or root that is gone is recreated as a recovered goal; a recursive CTE
 * finds each goal's top ancestor; a top's root is itself, or the root its own legacy root_id
 * leads to. The goals step copies the goals from there.
 */
export async function stageGoalTree(a: Adoption): Promise<void> {
  await a.sql(`CREATE TEMP TABLE _g (src TEXT, rid INTEGER, id TEXT, parent_id TEXT, lr TEXT, type TEXT, created_at TEXT)`);
  await stageGoals(a);
  if (a.has('practice_sessions')) await stageSessions(a);
  await a.sql(`CREATE INDEX _g_id ON _g (id)`);
  await a.sql(`CREATE INDEX _g_parent ON _g (parent_id)`);
  await addRecoveredGoals(a);
  await findRoots(a);
}

async function stageGoals(a: Adoption): Promise<void> {
  const T = 'goals';
  const reasons: Reason[] = [
    ...(await idReasons(a, T)),
    [`s.type IS NULL OR s.type NOT IN (${GOAL_TYPES.map((t) => `'${t}'`).join(', ')})`, `'type is not a goal type: ' || quote(s.type)`],
    [`s.name IS NULL`, `'name is NULL'`],
    ...tsReasons(a, T, ['created_at', 'updated_at', 'deadline', 'deleted_at', 'session_start', 'session_end']),
    ...jsonReasons(a, T, ['targets', 'session_data', 'attributes']),
    ...boolReasons(a, T, ['completed']),
    ...intReasons(a, T, ['duration_minutes', 'total_duration_seconds', 'sort_order']),
    [`${intExpr(a.c(T, 'duration_minutes'))} < 0 OR ${intExpr(a.c(T, 'total_duration_seconds'))} < 0`, `'negative duration'`],
    [`${a.c(T, 'session_end')} IS NOT NULL AND ${a.c(T, 'session_start')} IS NOT NULL AND ${tsExpr(a.c(T, 'session_end'))} < ${tsExpr(a.c(T, 'session_start'))}`, `'session_end is before session_start'`],
  ];
  await quarantineFailing(a, T, reasons);
  await a.sql(
    `INSERT INTO _g SELECT 'goals', s.rowid, s.id, s.parent_id, ${a.c(T, 'root_id')}, s.type, ${tsExpr(a.c(T, 'created_at'))}
     FROM ${a.L(T)} s WHERE ${caseOf(reasons)} IS NULL`,
  );
}

/** Shape 1 kept sessions apart: they become PracticeSession goals without a parent. */
async function stageSessions(a: Adoption): Promise<void> {
  const P = 'practice_sessions';
  const reasons: Reason[] = [
    ...(await idReasons(a, P)),
    [`EXISTS (SELECT 1 FROM ${a.L('goals')} g WHERE g.id = s.id)`, `'its id is also a goal id'`],
    [`s.name IS NULL`, `'name is NULL'`],
    ...tsReasons(a, P, ['created_at', 'updated_at']),
    ...jsonReasons(a, P, ['session_data']),
    ...boolReasons(a, P, ['completed']),
    ...intReasons(a, P, ['duration_minutes']),
    [`${intExpr(a.c(P, 'duration_minutes'))} < 0`, `'negative duration'`],
  ];
  await quarantineFailing(a, P, reasons);
  await a.sql(
    `INSERT INTO _g SELECT 'practice_sessions', s.rowid, s.id, NULL, ${a.c(P, 'root_id')}, 'PracticeSession', ${tsExpr(a.c(P, 'created_at'))}
     FROM ${a.L(P)} s WHERE ${caseOf(reasons)} IS NULL`,
  );
}

async function addRecoveredGoals(a: Adoption): Promise<void> {
  // A parent that is gone comes back as a recovered goal one level above its highest child.
  const level = (x: string) => `(CASE ${x} ${GOAL_TYPES.map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} ELSE 1 END)`;
  const typeAt = (x: string) => `(CASE ${x} ${GOAL_TYPES.map((t, i) => `WHEN ${i} THEN '${t}'`).join(' ')} ELSE 'UltimateGoal' END)`;
  await a.sql(
    `INSERT INTO _g SELECT 'recovered', NULL, c.parent_id, NULL, min(c.lr), ${typeAt(`max(min(${level('c.type')}) - 1, 0)`)}, min(c.created_at)
     FROM _g c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _g p WHERE p.id = c.parent_id) GROUP BY c.parent_id`,
  );
  for (const r of await a.sql<{ id: string; type: string }>(`SELECT id, type FROM _g WHERE src = 'recovered'`)) {
    a.report.recovered.push({ table: 'goals', id: r.id, name: `Recovered goal ${r.id}`, why: `parent of legacy goals, no longer in the file (recreated as ${r.type})` });
  }
  // A root named by legacy rows that is gone comes back as a recovered UltimateGoal.
  const rootRefs = ['session_templates', 'activity_groups', 'activity_definitions', 'programs']
    .filter((t) => a.has(t, 'root_id'))
    .map((t) => `SELECT root_id AS id FROM ${a.L(t)} WHERE root_id IS NOT NULL`);
  await a.sql(
    `INSERT INTO _g SELECT 'recovered-root', NULL, x.id, NULL, NULL, 'UltimateGoal', NULL FROM (
       SELECT lr AS id FROM _g WHERE lr IS NOT NULL ${rootRefs.map((r) => `UNION ${r}`).join(' ')}
     ) x WHERE NOT EXISTS (SELECT 1 FROM _g g WHERE g.id = x.id)`,
  );
  for (const r of await a.sql<{ id: string }>(`SELECT id FROM _g WHERE src = 'recovered-root'`)) {
    a.report.recovered.push({ table: 'goals', id: r.id, name: `Recovered root ${r.id}`, why: 'root_id of legacy rows, no longer in the file' });
  }
}

async function findRoots(a: Adoption): Promise<void> {
  await a.sql(
    `CREATE TEMP TABLE _gt AS WITH RECURSIVE chain(id, top) AS (
       SELECT id, id FROM _g WHERE parent_id IS NULL
       UNION ALL SELECT g.id, c.top FROM _g g JOIN chain c ON g.parent_id = c.id
     ) SELECT id, top FROM chain`,
  );
  await a.sql(`CREATE UNIQUE INDEX _gt_id ON _gt (id)`);
  await a.sql(`CREATE TEMP TABLE _troot (top TEXT PRIMARY KEY, root TEXT)`);
  await a.sql(
    `INSERT INTO _troot SELECT g.id, CASE WHEN g.lr IS NULL OR g.lr = g.id THEN g.id
       ELSE COALESCE((SELECT t.top FROM _gt t WHERE t.id = g.lr), g.id) END FROM _g g WHERE g.parent_id IS NULL`,
  );
  const follow = `(SELECT r.root FROM _troot r WHERE r.top = _troot.root)`;
  for (let i = 0; i < 20; i++) {
    await a.sql(`UPDATE _troot SET root = ${follow} WHERE root <> top AND ${follow} <> root`);
    if ((await a.changes()) === 0) break;
  }
  await a.sql(`UPDATE _troot SET root = top WHERE ${follow} <> root`);
  await a.sql(`CREATE TEMP TABLE _groot (id TEXT PRIMARY KEY, root_id TEXT NOT NULL, src TEXT, rid INTEGER)`);
  await a.sql(
    `INSERT INTO _groot SELECT g.id, tr.root, g.src, g.rid FROM _g g JOIN _gt t ON t.id = g.id JOIN _troot tr ON tr.top = t.top`,
  );
  // Goals in (or under) a parent cycle have no top: nothing to hang on.
  await quarantine(a, 'goals', {
    joins: `JOIN _g g ON g.src = 'goals' AND g.rid = s.rowid`,
    where: `NOT EXISTS (SELECT 1 FROM _groot r WHERE r.id = g.id)`,
    reason: `'its parent chain forms a cycle'`,
  });
}

/** How rows whose only parent is their root (templates, groups, activities, programs) find it: a root_id that leads to a kept goal. */
export function rootOwned(a: Adoption, table: string): { joins: string; reasons: Reason[] } {
  if (!a.has(table, 'root_id')) {
    return { joins: 'LEFT JOIN _groot r ON 0', reasons: [['1', `'the table has no root_id column and nothing else ties it to a root'`]] };
  }
  return {
    joins: `LEFT JOIN _groot r ON r.id = s.root_id`,
    reasons: [
      [`s.root_id IS NULL`, `'root_id is NULL and nothing else ties it to a root'`],
      [`r.id IS NULL`, `'its root goal could not be kept'`],
    ],
  };
}
