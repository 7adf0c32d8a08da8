import { randomUUID } from 'node:crypto';
import { RequestContext } from '../../src/context/request-context';
import { TargetsService } from '../../src/goals/targets.service';
import { describeDb, inUnit } from '../helpers/db';
import { Api, chain, goalApi, practice } from './helpers';

const fields = (res: { json(): { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);
const sql = (api: Api, text: string, params: unknown[]) => {
  let n = 0;
  return api.t.db.dataSource.query(api.t.db.engine === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, params);
};

describeDb('targets and their cascades', () => {
  let api: Api;
  beforeAll(async () => {
    api = await goalApi('targets@example.com');
  });
  afterAll(async () => api?.t.close());

  /** A root with a chain, an activity with metrics, and a target route for the short-term goal. */
  async function setup() {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const p = practice(api, root);
    const activity = await p.activity('Scales', ['bpm', 'minutes']);
    const targets = (goal = c.stg) => api.at(root, `/goals/${goal}/targets`);
    return { root, c, p, activity, targets };
  }

  describe('rows and routes', () => {
    it('creates, lists, patches and deletes targets', async () => {
      const { root, c, activity, targets } = await setup();
      const created = await api.req('POST', targets(), {
        name: 'Fast scales',
        activityId: activity.id,
        kind: 'threshold',
        conditions: [
          { metricId: activity.metrics.bpm, operator: '>=', value: 120 },
          { metricId: activity.metrics.minutes, operator: '<=', value: 10.5 },
        ],
        from: '2026-01-01',
        to: '2026-12-31',
      });
      expect(created.statusCode).toBe(201);
      const target = created.json();
      expect(target).toMatchObject({
        goalId: c.stg, name: 'Fast scales', activityId: activity.id, kind: 'threshold', count: null, periodDays: null,
        from: '2026-01-01', to: '2026-12-31', met: false, metAt: null, version: 1, changed: { goals: [], targets: [] },
        conditions: [
          { metricId: activity.metrics.bpm, operator: '>=', value: 120 },
          { metricId: activity.metrics.minutes, operator: '<=', value: 10.5 },
        ],
      });
      const freq = await api.req('POST', targets(), { activityId: activity.id, kind: 'frequency', conditions: [], count: 3, periodDays: 7 });
      expect(freq.statusCode).toBe(201);
      expect(freq.json()).toMatchObject({ kind: 'frequency', count: 3, periodDays: 7, conditions: [], from: null, to: null });
      const sum = await api.req('POST', targets(), { activityId: activity.id, kind: 'sum', conditions: [{ metricId: activity.metrics.minutes, operator: '>=', value: 600 }] });
      expect(sum.statusCode).toBe(201);

      const page1 = (await api.req('GET', `${targets()}?limit=2`)).json();
      expect(page1.items.map((t: { id: string }) => t.id)).toEqual([target.id, freq.json().id]);
      const page2 = (await api.req('GET', `${targets()}?limit=2&cursor=${page1.nextCursor}`)).json();
      expect(page2).toEqual({ items: [expect.objectContaining({ id: sum.json().id })], nextCursor: null });
      expect((await api.req('GET', api.at(root, `/goals/${c.stg}`))).json().targets).toHaveLength(3);

      const patched = await api.req('PATCH', `${targets()}/${target.id}`, { name: null, conditions: [{ metricId: activity.metrics.bpm, operator: '=', value: 100 }], to: null }, { 'if-match': '"1"' });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ name: null, to: null, from: '2026-01-01', version: 2, conditions: [{ metricId: activity.metrics.bpm, operator: '=', value: 100 }] });
      expect(patched.headers.etag).toBe('"2"');
      expect((await api.req('PATCH', `${targets()}/${target.id}`, { name: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(412);
      const toFrequency = await api.req('PATCH', `${targets()}/${sum.json().id}`, { kind: 'frequency', count: 2, periodDays: 3 });
      expect(toFrequency.json()).toMatchObject({ kind: 'frequency', count: 2, periodDays: 3 });

      const deleted = await api.req('DELETE', `${targets()}/${freq.json().id}`);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.json()).toEqual({ id: freq.json().id, changed: { goals: [], targets: [] } });
      expect((await api.req('GET', targets())).json().items.map((t: { id: string }) => t.id)).toEqual([target.id, sum.json().id]);
      expect((await api.req('DELETE', `${targets()}/${freq.json().id}`)).statusCode).toBe(404);
    });

    it('refuses each kind of bad input with a 4xx naming it, and writes nothing', async () => {
      const { root, c, activity, targets, p } = await setup();
      const otherActivity = await p.activity('Arpeggios', ['bpm']);
      const foreign = await practice(api, await api.newRoot()).activity('Elsewhere', ['bpm']);
      const existing = (await api.req('POST', targets(), { activityId: activity.id, kind: 'sum', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 1e6 }] })).json();
      const ok = { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 1 }] };
      const before = await api.snapshot(root);
      const cases: [unknown, number, string][] = [
        [{ kind: 'threshold', conditions: ok.conditions }, 400, 'activityId'],
        [{ activityId: activity.id, conditions: ok.conditions }, 400, 'kind'],
        [{ activityId: activity.id, kind: 'threshold' }, 400, 'conditions'],
        [{ ...ok, kind: 'weekly' }, 400, 'kind'],
        [{ ...ok, activityId: 12 }, 400, 'activityId'],
        [{ ...ok, conditions: 'many' }, 400, 'conditions'],
        [{ ...ok, conditions: [] }, 400, 'conditions'],
        [{ ...ok, conditions: [{ operator: '>=', value: 1 }] }, 400, 'conditions.0.metricId'],
        [{ ...ok, conditions: [{ metricId: activity.metrics.bpm, operator: '>', value: 1 }] }, 400, 'conditions.0.operator'],
        [{ ...ok, conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 'ten' }] }, 400, 'conditions.0.value'],
        [{ ...ok, conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 1, unit: 'bpm' }] }, 400, 'conditions.0.unit'],
        [{ ...ok, conditions: Array(11).fill(ok.conditions[0]) }, 400, 'conditions'],
        [{ ...ok, count: 2 }, 400, 'count'],
        [{ ...ok, periodDays: 2 }, 400, 'periodDays'],
        [{ ...ok, kind: 'frequency', periodDays: 7 }, 400, 'count'],
        [{ ...ok, kind: 'frequency', count: 2 }, 400, 'periodDays'],
        [{ ...ok, kind: 'frequency', count: 0, periodDays: 7 }, 400, 'count'],
        [{ ...ok, from: '2026-02-30' }, 400, 'from'],
        [{ ...ok, from: '2026-01-01T00:00:00Z' }, 400, 'from'],
        [{ ...ok, from: '2026-02-01', to: '2026-01-01' }, 400, 'to'],
        [{ ...ok, met: true }, 400, 'met'],
        [{ ...ok, goalId: c.mtg }, 400, 'goalId'],
        [{ ...ok, id: randomUUID() }, 400, 'id'],
        [{ ...ok, activityId: randomUUID() }, 404, 'activityId'],
        [{ ...ok, activityId: foreign.id, conditions: [{ metricId: foreign.metrics.bpm, operator: '>=', value: 1 }] }, 404, 'activityId'],
        [{ ...ok, conditions: [{ metricId: foreign.metrics.bpm, operator: '>=', value: 1 }] }, 404, 'conditions.0.metricId'],
        [{ ...ok, conditions: [{ metricId: otherActivity.metrics.bpm, operator: '>=', value: 1 }] }, 400, 'conditions.0.metricId'],
      ];
      for (const [payload, status, field] of cases) {
        const res = await api.req('POST', targets(), payload);
        expect({ payload, status: res.statusCode }).toEqual({ payload, status });
        expect(fields(res)).toContain(field);
      }
      for (const [payload, status, field] of [
        [{ kind: 'frequency' }, 400, 'count'],
        [{ activityId: otherActivity.id }, 400, 'activityId'],
        [{ count: 3 }, 400, 'count'],
        [{ conditions: [] }, 400, 'conditions'],
        [{ version: 3 }, 400, 'version'],
      ] as [unknown, number, string][]) {
        const res = await api.req('PATCH', `${targets()}/${existing.id}`, payload);
        expect({ payload, status: res.statusCode }).toEqual({ payload, status });
        expect(fields(res)).toContain(field);
      }
      expect((await api.req('POST', targets(randomUUID()), ok)).statusCode).toBe(404);
      expect((await api.req('PATCH', `${targets()}/${randomUUID()}`, { name: 'x' })).statusCode).toBe(404);
      // A target is reached through its own goal only.
      expect((await api.req('PATCH', `${targets(c.mtg)}/${existing.id}`, { name: 'x' })).statusCode).toBe(404);
      expect((await api.req('DELETE', `${targets(c.mtg)}/${existing.id}`)).statusCode).toBe(404);
      expect((await api.req('GET', `${targets()}?limit=500`)).statusCode).toBe(400);
      expect((await api.req('GET', targets(randomUUID()))).statusCode).toBe(404);
      expect(await api.snapshot(root)).toBe(before);
    });
  });

  describe('evaluation and cascades', () => {
    it('targets met in a session complete the goal and its parent where the level says so; an edited value un-meets them', async () => {
      const { root, c, p, activity, targets } = await setup();
      await api.req('PATCH', api.at(root, '/levels/MidTermGoal'), { autoCompleteWhenChildrenDone: true });
      const target = (await api.req('POST', targets(), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 120 }] })).json();
      const session = await p.session(c.stg, '2026-03-01T10:00:00Z');
      const instance = await p.instance(session, activity.id, '2026-03-01T10:05:00Z', { [activity.metrics.bpm]: 130 });

      const res = await api.req('POST', `${targets()}/evaluate`);
      expect(res.statusCode).toBe(200);
      expect(res.json().targets).toEqual([expect.objectContaining({ id: target.id, met: true, metBySessionId: session, metByInstanceId: instance.id })]);
      expect(res.json().changed).toEqual({
        goals: [
          expect.objectContaining({ id: c.stg, change: 'completed', completionSource: 'targets' }),
          expect.objectContaining({ id: c.mtg, change: 'completed', completionSource: 'children' }),
        ],
        targets: [{ id: target.id, goalId: c.stg, change: 'met', metBySessionId: session }],
      });
      expect((await api.req('GET', api.at(root, `/goals/${c.stg}`))).json()).toMatchObject({ completed: true, completionSource: 'targets', completedBySessionId: session });
      expect((await api.req('GET', api.at(root, `/goals/${c.ltg}`))).json().completed).toBe(false);

      await p.setValue(instance.values[activity.metrics.bpm], 110);
      const undone = await api.req('POST', `${targets()}/evaluate`);
      expect(undone.json().changed).toEqual({
        goals: [expect.objectContaining({ id: c.stg, change: 'uncompleted' }), expect.objectContaining({ id: c.mtg, change: 'uncompleted' })],
        targets: [expect.objectContaining({ id: target.id, change: 'unmet' })],
      });
      expect((await api.req('GET', api.at(root, `/goals/${c.mtg}`))).json()).toMatchObject({ completed: false, completionSource: null });
    });

    it('evaluateForSession runs in the caller\'s transaction: all of it, or none of it', async () => {
      const { root, c, p, activity, targets } = await setup();
      await api.req('POST', targets(), { activityId: activity.id, kind: 'sum', conditions: [{ metricId: activity.metrics.minutes, operator: '>=', value: 60 }] });
      const session = await p.session(c.stg, '2026-03-02T10:00:00Z');
      await p.instance(session, activity.id, '2026-03-02T10:00:00Z', { [activity.metrics.minutes]: 40 });
      await p.instance(session, activity.id, '2026-03-02T10:30:00Z', { [activity.metrics.minutes]: 25 });
      const service = api.t.app.get(TargetsService);
      const ctx = RequestContext.forUser('test', { id: api.userId, email: 'targets@example.com', role: 'user' }).withRoot(root);
      const before = await api.snapshot(root);
      await expect(
        inUnit(api.t.app, ctx, async (tx: RequestContext) => {
          const changed = await service.evaluateForSession(tx, session);
          expect(changed.goals).toEqual([expect.objectContaining({ id: c.stg, change: 'completed', completionSource: 'targets' })]);
          throw new Error('the practice side failed after evaluating');
        }),
      ).rejects.toThrow('the practice side failed');
      expect(await api.snapshot(root)).toBe(before);
      const changed = await inUnit(api.t.app, ctx, (tx: RequestContext) => service.evaluateForSession(tx, session));
      expect(changed.targets).toEqual([expect.objectContaining({ change: 'met', metBySessionId: session })]);
      expect((await api.req('GET', api.at(root, `/goals/${c.stg}`))).json()).toMatchObject({ completed: true, completedBySessionId: session });
      await expect(inUnit(api.t.app, ctx, (tx: RequestContext) => service.evaluateForSession(tx, c.stg))).rejects.toThrow('Goal not found');
    });

    it('counts practice under the goal and linked to it, not while it was paused, not after it was completed, not outside the scope', async () => {
      const { root, c, p, activity, targets } = await setup();
      const elsewhere = await c.add(c.mtg, 'ShortTermGoal', 'Elsewhere');
      const linked = await p.session(elsewhere, '2026-03-01T10:00:00Z');
      await p.instance(linked, activity.id, '2026-03-01T10:00:00Z', { [activity.metrics.minutes]: 30 });
      const unlinked = await p.session(elsewhere, '2026-03-02T10:00:00Z');
      await p.instance(unlinked, activity.id, '2026-03-02T10:00:00Z', { [activity.metrics.minutes]: 500 });
      const target = (await api.req('POST', targets(), { activityId: activity.id, kind: 'sum', conditions: [{ metricId: activity.metrics.minutes, operator: '>=', value: 50 }], from: '2026-01-01' })).json();
      expect(target.met).toBe(false);
      await p.link(linked, c.stg);
      const early = await p.session(c.stg, '2025-12-31T10:00:00Z');
      await p.instance(early, activity.id, '2025-12-31T10:00:00Z', { [activity.metrics.minutes]: 100 });
      expect((await api.req('POST', `${targets()}/evaluate`)).json().targets[0].met).toBe(false);

      // Practice during a pause does not count, even after the goal is resumed.
      await api.req('POST', api.at(root, `/goals/${c.stg}/pause`));
      const during = await p.session(c.stg, new Date().toISOString());
      await p.instance(during, activity.id, new Date().toISOString(), { [activity.metrics.minutes]: 30 });
      expect((await api.req('POST', `${targets()}/evaluate`)).json().targets[0].met).toBe(false);
      await api.req('POST', api.at(root, `/goals/${c.stg}/resume`));
      expect((await api.req('POST', `${targets()}/evaluate`)).json().targets[0].met).toBe(false);

      const after = await p.session(c.stg, new Date(Date.now() + 60e3).toISOString());
      await p.instance(after, activity.id, new Date(Date.now() + 60e3).toISOString(), { [activity.metrics.minutes]: 25 });
      const met = (await api.req('POST', `${targets()}/evaluate`)).json();
      expect(met.targets[0]).toMatchObject({ met: true, metBySessionId: after });
      expect(met.changed.goals).toEqual([expect.objectContaining({ id: c.stg, change: 'completed' })]);

      // After completion, new practice does not count: deleting what met it un-meets it.
      const later = await p.session(c.stg, new Date(Date.now() + 3600e3).toISOString());
      await p.instance(later, activity.id, new Date(Date.now() + 3600e3).toISOString(), { [activity.metrics.minutes]: 1000 });
      const removed = await api.req('DELETE', api.at(root, `/goals/${after}`));
      expect(removed.statusCode).toBe(200);
      expect(removed.json().changed).toEqual({
        goals: [expect.objectContaining({ id: c.stg, change: 'uncompleted' })],
        targets: [expect.objectContaining({ id: target.id, change: 'unmet' })],
      });
      // Open again, so the later session counts now.
      const again = (await api.req('POST', `${targets()}/evaluate`)).json();
      expect(again.targets[0]).toMatchObject({ met: true, metBySessionId: later });
    });

    it('frequency: sessions in every period of the scope', async () => {
      const { c, p, activity, targets } = await setup();
      const target = (await api.req('POST', targets(), { activityId: activity.id, kind: 'frequency', conditions: [], count: 2, periodDays: 7, from: '2026-01-01', to: '2026-01-14' })).json();
      for (const day of ['02', '05', '09']) {
        const s = await p.session(c.stg, `2026-01-${day}T08:00:00Z`);
        await p.instance(s, activity.id, `2026-01-${day}T08:00:00Z`, {});
      }
      expect((await api.req('POST', `${targets()}/evaluate`)).json().targets[0].met).toBe(false);
      const last = await p.session(c.stg, '2026-01-13T08:00:00Z');
      await p.instance(last, activity.id, '2026-01-13T08:00:00Z', {});
      expect((await api.req('POST', `${targets()}/evaluate`)).json().targets).toEqual([expect.objectContaining({ id: target.id, met: true, metBySessionId: last })]);
    });

    it("an ImmediateGoal's target counts the practice of the session it belongs to", async () => {
      const { root, c, p, activity } = await setup();
      const session = await p.session(c.stg, '2026-02-01T10:00:00Z');
      const immediate = (await api.req('POST', api.at(root, '/goals'), { parentId: session, type: 'ImmediateGoal', name: 'Clean run' })).json().id;
      await p.instance(session, activity.id, '2026-02-01T10:10:00Z', { [activity.metrics.bpm]: 90 });
      const created = await api.req('POST', api.at(root, `/goals/${immediate}/targets`), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 80 }] });
      // A target already met by past practice completes its goal as it is created.
      expect(created.json()).toMatchObject({ met: true, metBySessionId: session, changed: { goals: [expect.objectContaining({ id: immediate, change: 'completed' })] } });
    });

    it('a goal re-opened by hand stays open until a target is newly met', async () => {
      const { root, c, p, activity, targets } = await setup();
      const session = await p.session(c.stg, '2026-02-01T10:00:00Z');
      const instance = await p.instance(session, activity.id, '2026-02-01T10:10:00Z', { [activity.metrics.bpm]: 150 });
      await api.req('POST', targets(), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 120 }] });
      expect((await api.req('GET', api.at(root, `/goals/${c.stg}`))).json().completionSource).toBe('targets');
      await api.req('POST', api.at(root, `/goals/${c.stg}/uncomplete`));
      expect((await api.req('POST', `${targets()}/evaluate`)).json().changed).toEqual({ goals: [], targets: [] });
      expect((await api.req('GET', api.at(root, `/goals/${c.stg}`))).json().completed).toBe(false);
      await sql(api, `UPDATE metric_values SET deleted_at = created_at, deletion_id = id WHERE id = ?`, [instance.values[activity.metrics.bpm]]);
      expect((await api.req('POST', `${targets()}/evaluate`)).json().changed.targets).toEqual([expect.objectContaining({ change: 'unmet' })]);
      await sql(api, `UPDATE metric_values SET deleted_at = NULL, deletion_id = NULL WHERE id = ?`, [instance.values[activity.metrics.bpm]]);
      const back = (await api.req('POST', `${targets()}/evaluate`)).json();
      expect(back.changed.goals).toEqual([expect.objectContaining({ id: c.stg, change: 'completed', completionSource: 'targets' })]);
    });
  });
});
