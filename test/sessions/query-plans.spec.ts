import { DataSource } from 'typeorm';
import { Captured, planProblems, READS, recordStatements, tablesOf, tenantTablesOf } from '../helpers/query-plans';
import { Api, direct, ok, sessionApi } from './helpers';

/**
 * Every statement the sessions routes run, read back with SQLite's EXPLAIN QUERY PLAN: each
 * tenant table is searched through an index that begins with root_id, a foreign key column
 * or the id, and never scanned. And the hot read takes as many statements for twelve
 * instances as for one.
 */
describe('query plans of the sessions routes (SQLite)', () => {
  let api: Api;
  let ds: DataSource;
  let tenantTables: Set<string>;
  const captured: Captured[] = [];

  beforeAll(async () => {
    api = await sessionApi('plans@example.com');
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

  /** A root with sessions, instances, sets and values of its own, so that a query that lost its root would read them. */
  async function practice(label: string) {
    const root = await api.newRoot(label);
    const d = direct(api, root);
    const { stg, stg2 } = await d.tree();
    const scales = await d.activity(`Scales ${label}`, { metrics: ['bpm'], splits: ['Left', 'Right'] });
    const press = await d.activity(`Press ${label}`, { metrics: ['kg', 'reps'], hasSets: true });
    const templateId = await d.template(`Plan ${label}`, [{ name: 'A', duration_minutes: 5, activities: [{ activity_id: scales.id }, { activity_id: press.id }] }]);
    return { root, stg, stg2, scales, press, templateId, at: (path: string) => api.at(root, path) };
  }

  it('uses an index for every tenant table on every route, and the hot read is one round of queries', async () => {
    for (const label of ['Other 1', 'Other 2']) {
      const o = await practice(label);
      const s = await ok(api, 'POST', o.at('/sessions'), { parentGoalIds: [o.stg], templateId: o.templateId });
      await ok(api, 'PUT', o.at(`/activity-instances/${s.instances[0].id}/metrics`), { values: [{ metricId: o.scales.metrics.bpm, splitId: o.scales.splits.Left, value: 90 }] });
      await ok(api, 'POST', o.at(`/sessions/${s.id}/complete`));
    }
    const p = await practice('Mine');
    const at = p.at;
    await recording(async () => {
      const first = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [p.stg, p.stg2], templateId: p.templateId, immediateGoals: [{ name: 'Focus' }] });
      const [sc, pr] = first.instances.map((i: any) => i.id);
      await ok(api, 'PUT', at(`/activity-instances/${sc}/metrics`), { values: [{ metricId: p.scales.metrics.bpm, splitId: p.scales.splits.Left, value: 100 }] });
      await ok(api, 'PUT', at(`/activity-instances/${pr}/sets`), { sets: [{ values: [{ metricId: p.press.metrics.kg, value: 50 }] }, { values: [{ metricId: p.press.metrics.reps, value: 5 }] }] });
      await ok(api, 'POST', at(`/activity-instances/${sc}/timer/start`));
      await ok(api, 'POST', at(`/sessions/${first.id}/pause`));
      await ok(api, 'POST', at(`/sessions/${first.id}/resume`));
      await ok(api, 'POST', at(`/activity-instances/${pr}/timer/start?switch=true`));
      await ok(api, 'POST', at(`/activity-instances/${sc}/timer/resume?switch=true`));
      await ok(api, 'POST', at(`/activity-instances/${sc}/timer/pause`));
      await ok(api, 'POST', at(`/activity-instances/${sc}/timer/stop`));
      await ok(api, 'POST', at(`/sessions/${first.id}/complete`));
      const second = await ok(api, 'POST', at(`/sessions/${first.id}/duplicate`));
      const added = await ok(api, 'POST', at(`/sessions/${second.id}/activities`), { activityId: p.scales.id, position: 0 });
      await ok(api, 'PUT', at(`/sessions/${second.id}/activities/order`), { ids: [...second.instances.map((i: any) => i.id), added.id] });
      await ok(api, 'PATCH', at(`/sessions/${second.id}`), { name: 'Second', sections: [{ name: 'Only', instanceIds: [added.id] }] });
      await ok(api, 'PATCH', at(`/activity-instances/${added.id}`), { timeStart: '2026-03-01T10:00:00Z', timeStop: '2026-03-01T10:05:00Z', notes: 'n' });
      await ok(api, 'PUT', at(`/activity-instances/${added.id}/metrics`), { values: [{ metricId: p.scales.metrics.bpm, splitId: p.scales.splits.Right, value: 80 }] });
      await ok(api, 'GET', at(`/activity-instances/${added.id}`));
      await ok(api, 'DELETE', at(`/activity-instances/${added.id}`));
      await ok(api, 'POST', at(`/sessions/${first.id}/template`), { name: 'Saved' });
      await ok(api, 'GET', at('/sessions/active'));
      await ok(api, 'GET', at(`/sessions?limit=2&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&completed=true&goalId=${p.stg2}&activityId=${p.press.id}`));
      const page = await ok(api, 'GET', at('/sessions?limit=1'));
      await ok(api, 'GET', at(`/sessions?limit=1&cursor=${page.nextCursor}`));
      await ok(api, 'DELETE', at(`/sessions/${first.id}`));
      await ok(api, 'POST', at(`/sessions/${first.id}/restore`));
      await ok(api, 'POST', at(`/sessions?force=true`), { parentGoalIds: [p.stg] });
    });

    // The reading of plans catches what it must: a filter on an unindexed column scans.
    const scan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN SELECT * FROM "activity_instances" "i" WHERE i.notes = ?`, ['x']);
    expect(scan.map((r) => r.detail)).toEqual([expect.stringMatching(/^SCAN i\b/)]);

    const reads = captured.filter((c) => READS.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(150);
    const { problems, seen } = await planProblems(ds, reads, tenantTables);
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['activity_definitions', 'activity_instances', 'activity_sets', 'goals', 'metric_definitions', 'metric_values', 'practice_session_goals', 'session_sections', 'session_templates', 'split_definitions']),
    );
  });

  it('reads a session of twelve instances in as many statements as a session of one', async () => {
    const p = await practice('Count');
    const statementsFor = async (count: number) => {
      const { session } = await ok(api, 'GET', p.at('/sessions/active'));
      if (session) await ok(api, 'POST', p.at(`/sessions/${session.id}/complete`));
      const s = await ok(api, 'POST', p.at('/sessions'), { parentGoalIds: [p.stg] });
      for (let k = 0; k < count; k++) {
        const activity = k % 2 ? p.press : p.scales;
        const i = await ok(api, 'POST', p.at(`/sessions/${s.id}/activities`), { activityId: activity.id });
        if (activity === p.press) await ok(api, 'PUT', p.at(`/activity-instances/${i.id}/sets`), { sets: [{ values: [{ metricId: p.press.metrics.kg, value: k }] }] });
        else await ok(api, 'PUT', p.at(`/activity-instances/${i.id}/metrics`), { values: [{ metricId: p.scales.metrics.bpm, splitId: p.scales.splits.Left, value: k }] });
      }
      const { result, statements } = await recording(() => ok(api, 'GET', p.at(`/sessions/${s.id}`)));
      expect(result.instances).toHaveLength(count);
      return statements.length;
    };
    // Both activities have history first, so that every query of the comparisons runs each time.
    await statementsFor(2);
    const one = await statementsFor(1);
    expect(await statementsFor(12)).toBe(one);
    expect(one).toBeLessThanOrEqual(15);
  });
});
