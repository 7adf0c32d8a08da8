import { DataSource } from 'typeorm';
import { Captured, planProblems, READS, recordStatements, tablesOf, tenantTablesOf } from '../helpers/query-plans';
import { TargetsService } from '../../src/goals/targets.service';
import { RequestContext } from '../../src/context/request-context';
import { inUnit } from '../helpers/db';
import { Api, chain, goalApi, practice } from './helpers';

/**
 * Every statement the goal tree's routes run, read back with SQLite's EXPLAIN QUERY PLAN: each
 * tenant table is searched through an index that begins with root_id, with a foreign key, or
 * with the id, and never scanned.
 */
describe('query plans of the goal tree (SQLite)', () => {
  let api: Api;
  let ds: DataSource;
  const captured: Captured[] = [];
  let tenantTables: Set<string>;

  beforeAll(async () => {
    api = await goalApi('plans@example.com');
    ds = api.t.db.dataSource;
    tenantTables = tenantTablesOf(ds);
  });
  afterAll(async () => api?.t.close());

  /** Runs `work` with every statement recorded, and keeps them all for the plan check. */
  async function recording<T>(work: () => Promise<T>): Promise<{ result: T; statements: Captured[] }> {
    const recorded = await recordStatements(api.t.app, ds, work);
    captured.push(...recorded.statements);
    return recorded;
  }

  async function seedOtherRoot(): Promise<void> {
    // Rows of another root in every table, so that a query without its root would read them.
    const root = await api.newRoot();
    const c = await chain(api, root);
    const p = practice(api, root);
    const a = await p.activity('Other', ['reps']);
    for (let i = 0; i < 3; i++) {
      const s = await p.session(c.stg, `2026-02-0${i + 1}T10:00:00Z`);
      await p.instance(s, a.id, `2026-02-0${i + 1}T10:00:00Z`, { [a.metrics.reps]: i });
      await p.link(s, c.stg);
    }
    await api.req('POST', api.at(root, `/goals/${c.stg}/targets`), { activityId: a.id, kind: 'sum', conditions: [{ metricId: a.metrics.reps, operator: '>=', value: 100 }] });
    await api.req('POST', api.at(root, `/goals/${c.mtg}/pause`));
  }

  it('uses an index for every tenant table, on every route', async () => {
    await seedOtherRoot();
    const root = await api.newRoot();
    const c = await chain(api, root);
    const p = practice(api, root);
    const activity = await p.activity('Scales', ['bpm']);
    const session = await p.session(c.stg, '2026-03-01T10:00:00Z');
    await p.instance(session, activity.id, '2026-03-01T10:05:00Z', { [activity.metrics.bpm]: 130 });
    await p.link(session, c.stg);
    const g = (path: string) => api.at(root, path);
    await recording(async () => {
      const ok = async (method: string, url: string, body?: unknown) => {
        const res = await api.req(method, url, body);
        if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      await ok('GET', g('/goals'));
      await ok('GET', g('/goals?include=sessions'));
      await ok('GET', g(`/goals/${c.mtg}`));
      const created = await ok('POST', g('/goals'), { parentId: c.ltg, type: 'MidTermGoal', name: 'New', deadline: '2027-01-01T00:00:00Z' });
      await ok('PATCH', g(`/goals/${created.id}`), { name: 'Renamed', deadline: '2026-12-01T00:00:00Z', sortOrder: 3 });
      await ok('POST', g(`/goals/${c.stg}/move`), { parentId: created.id, position: 0 });
      await ok('POST', g(`/goals/${created.id}/copy`));
      await ok('GET', g('/levels?limit=3'));
      await ok('PATCH', g('/levels/MidTermGoal'), { autoCompleteWhenChildrenDone: true });
      const target = await ok('POST', g(`/goals/${c.stg}/targets`), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 150 }] });
      await ok('GET', g(`/goals/${c.stg}/targets?limit=1`));
      await ok('PATCH', g(`/goals/${c.stg}/targets/${target.id}`), { conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 120 }] });
      await ok('POST', g(`/goals/${c.stg}/targets/evaluate`));
      await ok('POST', g(`/goals/${c.stg}/uncomplete`));
      await ok('POST', g(`/goals/${c.stg}/complete`));
      await ok('POST', g(`/goals/${c.ltg}/pause`));
      await ok('POST', g(`/goals/${c.ltg}/resume`));
      const ctx = RequestContext.forUser('plans', { id: api.userId, email: 'plans@example.com', role: 'user' }).withRoot(root);
      await inUnit(api.t.app, ctx, (tx: RequestContext) => api.t.app.get(TargetsService).evaluateForSession(tx, session));
      await ok('DELETE', g(`/goals/${c.stg}/targets/${target.id}`));
      await ok('DELETE', g(`/goals/${created.id}`));
      await ok('POST', g(`/goals/${created.id}/restore`));
      await ok('PATCH', `/api/roots/${root}`, { deadline: '2026-11-01T00:00:00Z' });
    });

    // The reading of plans catches what it must: a filter on an unindexed column scans.
    const scan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN SELECT * FROM "goals" "g" WHERE g.name = ?`, ['x']);
    expect(scan.map((r) => r.detail)).toEqual([expect.stringMatching(/^SCAN g\b/)]);

    const reads = captured.filter((c) => READS.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(100);
    const { problems, seen } = await planProblems(ds, reads, tenantTables);
    expect(problems).toEqual([]);
    // The routes reached every table of the tree and of the practice they evaluate.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['activity_definitions', 'activity_instances', 'goal_levels', 'goal_pauses', 'goal_targets', 'goals', 'metric_definitions', 'metric_values', 'practice_session_goals', 'target_conditions']),
    );
  });
});
