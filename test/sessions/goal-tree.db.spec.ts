import { describeDb } from '../helpers/db';
import { Api, direct, ok, sessionApi } from './helpers';

/**
 * Sessions inside the goal tree: recording practice and completing a session evaluate the
 * targets of the session's goals, and a goal's delete takes its sessions' sections, sets and
 * values with it, which its restore brings back.
 */
describeDb('sessions in the goal tree', () => {
  let api: Api;

  beforeAll(async () => {
    api = await sessionApi('tree@example.com');
  });
  afterAll(async () => {
    await api?.t.close();
  });

  /** Whether the target is met, as the goal tree lists it. */
  async function met(at: (path: string) => string, goalId: string, targetId: string): Promise<boolean> {
    const list = await ok(api, 'GET', at(`/goals/${goalId}/targets`));
    return (list.items ?? list).find((t: { id: string }) => t.id === targetId).met;
  }

  /** A read without what a soft delete and restore move: versions and update times. */
  const strip = (v: any) => ({ ...v, updatedAt: undefined, version: undefined, instances: v.instances.map((i: any) => ({ ...i, updatedAt: undefined, version: undefined })) });

  async function setup() {
    const root = await api.newRoot();
    const at = (path: string) => api.at(root, path);
    const d = direct(api, root);
    const goals = await d.tree();
    const scales = await d.activity('Scales', { metrics: ['bpm'] });
    const bench = await d.activity('Bench', { metrics: ['kg'], hasSets: true });
    const templateId = await d.template('Plan', [{ name: 'Warm-up', duration_minutes: 5, activities: [{ activity_id: scales.id }, { activity_id: bench.id }] }]);
    return { root, at, goals, scales, bench, templateId };
  }

  it('meets a target when values are recorded, un-meets it when they go, and completion answers what changed', async () => {
    const { at, goals, scales } = await setup();
    // The short-term goal's parent completes when its children are done: its other child already is.
    await ok(api, 'PATCH', at('/levels/MidTermGoal'), { autoCompleteWhenChildrenDone: true });
    await ok(api, 'POST', at(`/goals/${goals.stg2}/complete`));
    const target = await ok(api, 'POST', at(`/goals/${goals.stg}/targets`), {
      activityId: scales.id,
      kind: 'threshold',
      conditions: [{ metricId: scales.metrics.bpm, operator: '>=', value: 120 }],
    });
    const s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg] });
    const instance = await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: scales.id });

    const low = await ok(api, 'PUT', at(`/activity-instances/${instance.id}/metrics`), { values: [{ metricId: scales.metrics.bpm, value: 100 }] });
    expect(low.changed.targets).toEqual([]);
    const high = await ok(api, 'PUT', at(`/activity-instances/${instance.id}/metrics`), { values: [{ metricId: scales.metrics.bpm, value: 126 }] });
    expect(high.changed.targets).toEqual([expect.objectContaining({ id: target.id, change: 'met', metBySessionId: s.id })]);
    // Its only target met, the goal completes, and its parent with it, in the same request.
    expect(high.changed.goals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: goals.stg, change: 'completed', completionSource: 'targets' }),
        expect.objectContaining({ id: goals.mtg, change: 'completed', completionSource: 'children' }),
      ]),
    );
    expect(await met(at, goals.stg, target.id)).toBe(true);

    const cleared = await ok(api, 'PUT', at(`/activity-instances/${instance.id}/metrics`), { values: [{ metricId: scales.metrics.bpm, value: null }] });
    expect(cleared.changed.targets).toEqual([expect.objectContaining({ id: target.id, change: 'unmet' })]);
    expect(cleared.changed.goals).toEqual(expect.arrayContaining([expect.objectContaining({ id: goals.stg, change: 'uncompleted' })]));

    await ok(api, 'PUT', at(`/activity-instances/${instance.id}/metrics`), { values: [{ metricId: scales.metrics.bpm, value: 130 }] });
    const done = await ok(api, 'POST', at(`/sessions/${s.id}/complete`));
    expect(done.completed).toBe(true);
    expect(await met(at, goals.stg, target.id)).toBe(true);
  });

  it("deleting a session un-meets the targets its values met, and restoring it meets them again", async () => {
    const { at, goals, scales } = await setup();
    const target = await ok(api, 'POST', at(`/goals/${goals.stg}/targets`), {
      activityId: scales.id,
      kind: 'threshold',
      conditions: [{ metricId: scales.metrics.bpm, operator: '>=', value: 120 }],
    });
    const s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg] });
    const instance = await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: scales.id });
    await ok(api, 'PUT', at(`/activity-instances/${instance.id}/metrics`), { values: [{ metricId: scales.metrics.bpm, value: 121 }] });
    await ok(api, 'POST', at(`/sessions/${s.id}/complete`));
    expect(await met(at, goals.stg, target.id)).toBe(true);

    expect((await api.req('DELETE', at(`/sessions/${s.id}`))).statusCode).toBe(204);
    expect(await met(at, goals.stg, target.id)).toBe(false);
    await ok(api, 'POST', at(`/sessions/${s.id}/restore`));
    expect(await met(at, goals.stg, target.id)).toBe(true);
  });

  it("a goal's delete takes its sessions' sections, instances, sets and values, and its restore brings back the same read", async () => {
    const { at, goals, bench, templateId } = await setup();
    const s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], templateId });
    const benchI = s.instances.find((i: any) => i.activityId === bench.id).id;
    await ok(api, 'PUT', at(`/activity-instances/${benchI}/sets`), { sets: [{ values: [{ metricId: bench.metrics.kg, value: 60 }] }, { values: [{ metricId: bench.metrics.kg, value: 65 }] }] });
    const before = await ok(api, 'GET', at(`/sessions/${s.id}`));
    expect(before.sections).toHaveLength(1);

    const removed = await ok(api, 'DELETE', at(`/goals/${goals.mtg}`));
    expect(removed.removed).toMatchObject({ sessions: 1, sections: 1, activityInstances: 2, sets: 2, metricValues: 2 });
    expect((await api.req('GET', at(`/sessions/${s.id}`))).statusCode).toBe(404);
    expect((await api.req('GET', at(`/activity-instances/${benchI}`))).statusCode).toBe(404);
    // Through the session, the delete is its goal's: restored there, not here.
    expect((await api.req('POST', at(`/sessions/${s.id}/restore`))).statusCode).toBe(409);

    const restored = await ok(api, 'POST', at(`/goals/${goals.mtg}/restore`));
    expect(restored.restored).toMatchObject({ sessions: 1, sections: 1, activityInstances: 2, sets: 2, metricValues: 2 });
    expect(strip(await ok(api, 'GET', at(`/sessions/${s.id}`)))).toEqual(strip(before));
  });
});
