import { DataSource } from 'typeorm';
import { planProblems, recordStatements, tablesOf, tenantTablesOf } from '../helpers/query-plans';
import { Api, sessionApi } from '../sessions/helpers';
import { get, practice } from './helpers';

/**
 * Every statement the analytics routes run, read back with SQLite's EXPLAIN QUERY PLAN: each
 * tenant table is searched through an index that begins with root_id, a foreign key column or
 * the id, and never scanned. Other roots hold practice too, so a query that lost its root
 * would read theirs.
 */
describe('query plans of the analytics routes (SQLite)', () => {
  let api: Api;
  let ds: DataSource;
  let tenantTables: Set<string>;

  beforeAll(async () => {
    api = await sessionApi('analytics-plans@example.com');
    ds = api.t.db.dataSource;
    tenantTables = tenantTablesOf(ds);
  });
  afterAll(async () => api?.t.close());

  async function rootWithPractice(label: string) {
    const root = await api.newRoot(label);
    const p = practice(api, root);
    const { stg, stg2 } = await p.tree();
    const group = await p.insert('ActivityGroup', { name: `Group ${label}` });
    const press = await p.activity(`Press ${label}`, { metrics: ['kg', 'reps'], splits: ['L', 'R'], hasSets: true });
    await ds.getRepository('MetricDefinition').update({ id: press.metrics.kg }, { isTopSetMetric: true });
    await ds.getRepository('ActivityDefinition').update({ id: press.id }, { groupId: group });
    for (const [k, at] of ['2026-03-02T10:00:00Z', '2026-03-10T10:00:00Z', new Date().toISOString()].entries()) {
      const s = await p.session(k ? stg : stg2, at, { durationSeconds: 600 * (k + 1), completed: k < 2 });
      const section = await p.insert('SessionSection', { sessionId: s, position: 0, name: 'Main' });
      await p.instance(s, press.id, [{ [press.metrics.kg]: 50 + k, [press.metrics.reps]: 5 }], { durationSeconds: 300, sectionId: section, splitId: press.splits.L });
      await p.insert('PracticeSessionGoal', { practiceSessionId: s, shortTermGoalId: stg2 });
    }
    const ig = await p.insert('Goal', { type: 'ImmediateGoal', name: 'Focus', parentId: stg });
    await p.insert('GoalTarget', { goalId: stg, activityId: press.id, kind: 'threshold', met: true, metAt: new Date() });
    await p.insert('GoalPause', { goalId: stg2, pausedAt: new Date('2026-01-01T00:00:00Z'), resumedAt: new Date('2026-01-02T00:00:00Z') });
    return { root, stg, stg2, ig, press };
  }

  it('uses an index for every tenant table on every route', async () => {
    await rootWithPractice('Other 1');
    await rootWithPractice('Other 2');
    const r = await rootWithPractice('Mine');
    const { statements: captured } = await recordStatements(api.t.app, ds, async () => {
      const series = `/activities/${r.press.id}/series`;
      for (const agg of ['last', 'max', 'sum', 'average', 'top_set', 'yield']) {
        for (const bucket of ['session', 'week']) await get(api, r.root, `${series}?agg=${agg}&bucket=${bucket}&from=2026-03-01&to=2026-12-31&splitId=${r.press.splits.L}`);
      }
      await get(api, r.root, `${series}?metricId=${r.press.metrics.reps}&agg=top_set&tz=Europe/Berlin`);
      await get(api, r.root, `${series}?agg=last`);
      await get(api, r.root, '/activities');
      await get(api, r.root, '/sessions/summary');
      await get(api, r.root, '/sessions/summary?from=2026-03-01&to=2026-03-31&bucket=day&tz=Asia/Tokyo');
      await get(api, r.root, '/heatmap');
      await get(api, r.root, '/heatmap?from=2026-01-01&to=2026-12-31');
      for (const goal of [r.root, r.stg, r.stg2, r.ig]) await get(api, r.root, `/goals/${goal}/progress`);
      await get(api, r.root, '/goals/summary');
    });

    const reads = captured.filter((c) => /^\s*(SELECT|WITH)\b/i.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(30);
    const { problems, seen } = await planProblems(ds, reads, tenantTables);
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['activity_definitions', 'activity_groups', 'activity_instances', 'goal_pauses', 'goal_targets', 'goals', 'metric_definitions', 'metric_values', 'practice_session_goals', 'session_sections', 'split_definitions']),
    );
  });
});
