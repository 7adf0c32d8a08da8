import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { createDataSource } from '../../src/database/data-source';
import { purgeTrash, PurgeRefused } from '../../src/database/trash-purge';
import { describeDb, ENGINE } from '../helpers/db';
import { Api, ok, sessionApi } from '../sessions/helpers';

const DAY = 86_400_000;
const p = (ds: DataSource, n: number) => (ds.options.type === 'postgres' ? `$${n}` : '?');

/** Every live row of every tenant table, by table: what a purge must never touch. */
async function liveRows(ds: DataSource): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const entity of TENANT_ENTITIES) {
    const table = ds.getMetadata(entity).tableName;
    out[table] = ((await ds.query(`SELECT id FROM "${table}" WHERE deleted_at IS NULL ORDER BY id`)) as { id: string }[]).map((r) => r.id);
  }
  return out;
}

/** Moves a deletion back in time (the test's only direct write): its rows were deleted `days` ago. */
async function age(ds: DataSource, deletionId: string, days: number) {
  const at = new Date(Date.now() - days * DAY);
  for (const entity of TENANT_ENTITIES) {
    const table = ds.getMetadata(entity).tableName;
    await ds.query(`UPDATE "${table}" SET deleted_at = ${p(ds, 1)} WHERE deletion_id = ${p(ds, 2)}`, [ds.options.type === 'postgres' ? at : at.toISOString().replace('T', ' ').replace('Z', ''), deletionId]);
  }
}

describeDb('trash purge', () => {
  let api: Api;
  let root: string;
  const at = (path: string) => api.at(root, path);
  const goal = async (parentId: string, type: string, name: string) => (await ok(api, 'POST', at('/goals'), { parentId, type, name })).id as string;

  beforeAll(async () => {
    api = await sessionApi('purge@example.com');
    root = await api.newRoot('Purge root');
  });
  afterAll(async () => api?.t.close());

  it('removes only deletions older than the retention, children first, keeps those still referred to, and loses nothing live', async () => {
    const ds = api.t.db.dataSource;
    const ltg = await goal(root, 'LongTermGoal', 'Kept tree');
    const mtg = await goal(ltg, 'MidTermGoal', 'Mid');
    const stg = await goal(mtg, 'ShortTermGoal', 'Short');
    const scales = await ok(api, 'POST', at('/activities'), { name: 'Scales', metrics: [{ name: 'bpm', unit: 'bpm' }] });
    const unused = await ok(api, 'POST', at('/activities'), { name: 'Unused', metrics: [{ name: 'reps', unit: 'reps' }], splits: [{ name: 'Left' }] });
    const template = await ok(api, 'POST', at('/session-templates'), { name: 'Old plan', sections: [{ name: 'A', durationMinutes: 5, activities: [{ activityId: unused.id }] }] });
    const group = await ok(api, 'POST', at('/activity-groups'), { name: 'Old group' });
    // An old tree with links to activities: the links go with it.
    const oldTree = await goal(root, 'LongTermGoal', 'Old tree');
    const metronome = await ok(api, 'POST', at('/activities'), { name: 'Metronome' });
    await ok(api, 'PUT', at(`/goals/${oldTree}/activities`), { activityIds: [metronome.id], groupIds: [] });
    // Two sessions with values of Scales: one will be deleted, one stays live.
    const sessionWith = async () => {
      const s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [stg] });
      const i = await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: scales.id });
      await ok(api, 'PUT', at(`/activity-instances/${i.id}/metrics`), { values: [{ metricId: scales.metrics[0].id, value: 90 }] });
      await ok(api, 'POST', at(`/sessions/${s.id}/complete`));
      return s.id as string;
    };
    const oldSession = await sessionWith();
    const liveSession = await sessionWith();

    const del = async (path: string) => {
      await ok(api, 'DELETE', at(path));
      return (await ok(api, 'GET', at('/trash?limit=1'))).items[0].deletionId as string;
    };
    const d = {
      session: await del(`/sessions/${oldSession}`),
      template: await del(`/session-templates/${template.id}`),
      unused: await del(`/activities/${unused.id}`),
      group: await del(`/activity-groups/${group.id}`),
      oldTree: await del(`/goals/${oldTree}`),
      // Its instance stays in the live session: it cannot go.
      scales: await del(`/activities/${scales.id}`),
    };
    const recent = await del(`/goals/${mtg}`);
    for (const id of Object.values(d)) await age(ds, id, 31);
    await age(ds, recent, 29);

    const listed = new Map(((await ok(api, 'GET', at('/trash'))).items as any[]).map((i) => [i.deletionId, i.rows as Record<string, number>]));
    const liveBefore = await liveRows(ds);

    const report = await purgeTrash(ds, 30);

    const purged = [d.session, d.template, d.unused, d.group, d.oldTree];
    expect(report.purged.map((x) => x.deletionId).sort()).toEqual([...purged].sort());
    expect(report.purged.every((x) => x.rootId === root)).toBe(true);
    expect(report.skipped).toEqual([{ deletionId: d.scales, rootId: root, reason: expect.stringContaining('activity_instances') }]);
    // What the trash listed for them, and the live parts of the deleted activity and goal.
    const expected: Record<string, number> = {};
    for (const id of purged) for (const [table, n] of Object.entries(listed.get(id)!)) expected[table] = (expected[table] ?? 0) + n;
    expected.metric_definitions = (expected.metric_definitions ?? 0) + 1;
    expected.split_definitions = (expected.split_definitions ?? 0) + 1;
    expected.goal_activities = (expected.goal_activities ?? 0) + 1;
    expect(report.removed).toEqual(expected);
    // Children first: a table comes before the tables it refers to.
    const order = Object.keys(report.removed);
    expect(order.indexOf('metric_values')).toBeLessThan(order.indexOf('activity_instances'));
    expect(order.indexOf('activity_instances')).toBeLessThan(order.indexOf('goals'));
    expect(order.indexOf('session_template_activities')).toBeLessThan(order.indexOf('session_template_sections'));

    // Nothing live was lost but those parts.
    const liveAfter = await liveRows(ds);
    const parts = new Set([unused.metrics[0].id, unused.splits[0].id]);
    for (const [table, ids] of Object.entries(liveBefore)) {
      const kept = ids.filter((id) => !parts.has(id));
      if (table === 'goal_activities') expect(liveAfter[table].length).toBe(kept.length - 1);
      else expect({ table, ids: liveAfter[table] }).toEqual({ table, ids: kept });
    }
    // The trash keeps the recent deletion and the one still referred to; and, its goals restored, the live session reads as before.
    expect(((await ok(api, 'GET', at('/trash'))).items as any[]).map((i) => i.deletionId).sort()).toEqual([recent, d.scales].sort());
    // Once the recent deletion's goals are restored, nothing is left to purge.
    await ok(api, 'POST', at(`/trash/${recent}/restore`), {});
    expect((await ok(api, 'GET', at(`/sessions/${liveSession}`))).instances[0].values[0].value).toBe(90);
    const again = await purgeTrash(ds, 30);
    expect({ purged: again.purged, removed: again.removed }).toEqual({ purged: [], removed: {} });
  });

  (ENGINE === 'postgres' ? it : it.skip)('refuses a connection that row-level security holds back (fractal_app)', async () => {
    const asApp = createDataSource(api.t.config);
    await asApp.initialize();
    try {
      await expect(purgeTrash(asApp, 0)).rejects.toThrow(PurgeRefused);
    } finally {
      await asApp.destroy();
    }
  });
});
