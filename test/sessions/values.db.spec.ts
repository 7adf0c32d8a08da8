import { randomUUID } from 'node:crypto';
import { getMetadataArgsStorage } from 'typeorm';
import { MetricDefinition } from '../../src/activities/metric-definition.entity';
import { describeDb } from '../helpers/db';
import { Api, direct, fields, ok, sessionApi, snapshot } from './helpers';

type Activity = { id: string; metrics: Record<string, string>; splits: Record<string, string> };

/**
 * Sets and metric values of instances: the upsert of one value per (instance, metric, split,
 * set), sets replaced as a whole, each refusal of the issue a 400 naming the field with
 * nothing written, concurrent upserts of one slot, and the comparison with the previous
 * instance of the activity and personal bests.
 */
describeDb('sets and metric values', () => {
  let api: Api;
  let root: string;
  let stg: string;
  let press: Activity; // sets, two metrics, no splits
  let scales: Activity; // splits, no sets
  let plank: Activity; // one metric, no sets, no splits
  let otherRootMetric: string;
  const at = (path: string) => api.at(root, path);

  async function session(activities: Activity[], sessionStart?: string): Promise<{ id: string; instances: string[] }> {
    const { session: open } = await ok(api, 'GET', at('/sessions/active'));
    if (open) await ok(api, 'POST', at(`/sessions/${open.id}/complete`));
    const s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [stg], ...(sessionStart ? { sessionStart } : {}) });
    const instances: string[] = [];
    for (const a of activities) instances.push((await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: a.id })).id);
    return { id: s.id, instances };
  }
  const putValues = (instance: string, values: unknown[]) => api.req('PUT', at(`/activity-instances/${instance}/metrics`), { values });
  const putSets = (instance: string, sets: unknown[]) => api.req('PUT', at(`/activity-instances/${instance}/sets`), { sets });
  const liveRows = async (instance: string) =>
    Number((await api.t.db.dataSource.query(`SELECT count(*) AS n FROM metric_values WHERE activity_instance_id = '${instance}' AND deleted_at IS NULL`))[0].n);

  async function refused(res: Promise<{ statusCode: number; json(): any }>, field: string) {
    const before = await snapshot(api, root);
    const r = await res;
    expect({ status: r.statusCode, fields: [...new Set(fields(r))], message: typeof r.json().message }).toEqual({ status: 400, fields: [field], message: 'string' });
    expect(await snapshot(api, root)).toBe(before);
    return r.json();
  }

  beforeAll(async () => {
    api = await sessionApi('values@example.com');
    root = await api.newRoot('Strength');
    const d = direct(api, root);
    stg = (await d.tree()).stg;
    press = await d.activity('Press', { metrics: ['kg', 'reps'], hasSets: true });
    scales = await d.activity('Scales', { metrics: ['bpm'], splits: ['Left', 'Right'] });
    plank = await d.activity('Plank', { metrics: ['seconds'] });
    const other = await api.newRoot('Elsewhere');
    otherRootMetric = (await direct(api, other).activity('Other', { metrics: ['x'] })).metrics.x;
  });
  afterAll(async () => api?.t.close());

  it('upserts one value per (metric, split): a second PUT updates, null removes', async () => {
    const { instances: [s1] } = await session([scales]);
    const first = await ok(api, 'PUT', at(`/activity-instances/${s1}/metrics`), {
      values: [
        { metricId: scales.metrics.bpm, splitId: scales.splits.Left, value: 100 },
        { metricId: scales.metrics.bpm, splitId: scales.splits.Right, value: 90 },
      ],
    });
    expect(first.values.map((v: any) => [v.metricName, v.splitName, v.setIndex, v.value])).toEqual([
      ['bpm', 'Left', 0, 100],
      ['bpm', 'Right', 0, 90],
    ]);
    expect(first.changed).toEqual({ goals: [], targets: [] });
    const second = await ok(api, 'PUT', at(`/activity-instances/${s1}/metrics`), { values: [{ metricId: scales.metrics.bpm, splitId: scales.splits.Left, value: 110.5 }] });
    expect(second.values.map((v: any) => [v.splitName, v.value])).toEqual([
      ['Left', 110.5],
      ['Right', 90],
    ]);
    expect(second.values[0].id).toBe(first.values[0].id);
    expect(await liveRows(s1)).toBe(2);
    const removed = await ok(api, 'PUT', at(`/activity-instances/${s1}/metrics`), { values: [{ metricId: scales.metrics.bpm, splitId: scales.splits.Right, value: null }] });
    expect(removed.values.map((v: any) => v.splitName)).toEqual(['Left']);
    expect(await liveRows(s1)).toBe(1);
  });

  it('replaces sets as a whole, with notes; fewer sets take their values with them', async () => {
    const { instances: [p] } = await session([press]);
    const three = await ok(api, 'PUT', at(`/activity-instances/${p}/sets`), {
      sets: [
        { values: [{ metricId: press.metrics.kg, value: 40 }, { metricId: press.metrics.reps, value: 10 }], notes: 'warm-up' },
        { values: [{ metricId: press.metrics.kg, value: 50 }, { metricId: press.metrics.reps, value: 8 }] },
        { values: [{ metricId: press.metrics.kg, value: 55 }, { metricId: press.metrics.reps, value: 5 }] },
      ],
    });
    expect(three.values).toEqual([]);
    expect(three.sets.map((x: any) => [x.position, x.notes, x.values.map((v: any) => `${v.metricName}=${v.value}`)])).toEqual([
      [0, 'warm-up', ['kg=40', 'reps=10']],
      [1, null, ['kg=50', 'reps=8']],
      [2, null, ['kg=55', 'reps=5']],
    ]);
    const two = await ok(api, 'PUT', at(`/activity-instances/${p}/sets`), {
      sets: [{ values: [{ metricId: press.metrics.kg, value: 42 }], notes: 'warm-up' }, { values: [{ metricId: press.metrics.kg, value: 50 }, { metricId: press.metrics.reps, value: 9 }] }],
    });
    expect(two.sets.map((x: any) => [x.position, x.notes, x.values.map((v: any) => `${v.metricName}=${v.value}`)])).toEqual([
      [0, 'warm-up', ['kg=42']],
      [1, null, ['kg=50', 'reps=9']],
    ]);
    expect(await liveRows(p)).toBe(3);
    // Values may add the next set, and change a value of an existing one.
    const added = await ok(api, 'PUT', at(`/activity-instances/${p}/metrics`), {
      values: [
        { metricId: press.metrics.kg, value: 60, setIndex: 2 },
        { metricId: press.metrics.reps, value: 3, setIndex: 2 },
        { metricId: press.metrics.reps, value: 11, setIndex: 0 },
      ],
    });
    expect(added.sets.map((x: any) => x.values.map((v: any) => `${v.metricName}=${v.value}`))).toEqual([['kg=42', 'reps=11'], ['kg=50', 'reps=9'], ['kg=60', 'reps=3']]);
    expect((await ok(api, 'PUT', at(`/activity-instances/${p}/sets`), { sets: [] })).sets).toEqual([]);
    expect(await liveRows(p)).toBe(0);
  });

  it('refuses each kind of bad value with a 400 naming the field, and writes nothing', async () => {
    const { instances: [p, s, k] } = await session([press, scales, plank]);
    const inactive = await direct(api, root).insert('MetricDefinition', { activityId: plank.id, name: 'old', unit: 'x', isActive: false });
    const deleted = await direct(api, root).insert('MetricDefinition', { activityId: plank.id, name: 'gone', unit: 'x', deletedAt: new Date(), deletionId: randomUUID() });
    // A metric or split of another activity, or of another root.
    await refused(putValues(k, [{ metricId: scales.metrics.bpm, value: 1 }]), 'values.0.metricId');
    await refused(putValues(k, [{ metricId: otherRootMetric, value: 1 }]), 'values.0.metricId');
    await refused(putValues(k, [{ metricId: deleted, value: 1 }]), 'values.0.metricId');
    await refused(putValues(s, [{ metricId: scales.metrics.bpm, splitId: randomUUID(), value: 1 }]), 'values.0.splitId');
    await refused(putValues(k, [{ metricId: plank.metrics.seconds, splitId: scales.splits.Left, value: 1 }]), 'values.0.splitId');
    // An inactive metric.
    const body = await refused(putValues(k, [{ metricId: inactive, value: 1 }]), 'values.0.metricId');
    expect(body.details[0].message).toContain('inactive');
    // A non-finite number, or no number.
    for (const value of ['"12"', 'true', '1e400', '-1e400', '{}']) {
      const raw = `{"values":[{"metricId":"${plank.metrics.seconds}","value":${value}}]}`;
      await refused(api.t.app.inject({ method: 'PUT', url: at(`/activity-instances/${k}/metrics`), headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, payload: raw }), 'values.0.value');
    }
    await refused(putValues(k, [{ metricId: plank.metrics.seconds }]), 'values.0.value');
    // A missing split on an activity with splits.
    const missing = await refused(putValues(s, [{ metricId: scales.metrics.bpm, value: 100 }]), 'values.0.splitId');
    expect(missing.details[0].message).toContain('Left, Right');
    // A set index on an activity without sets; none on one with sets; a gap after the last set.
    await refused(putValues(k, [{ metricId: plank.metrics.seconds, value: 1, setIndex: 0 }]), 'values.0.setIndex');
    await refused(putValues(p, [{ metricId: press.metrics.kg, value: 1 }]), 'values.0.setIndex');
    await refused(putValues(p, [{ metricId: press.metrics.kg, value: 1, setIndex: 1 }]), 'values.0.setIndex');
    await refused(putValues(p, [{ metricId: press.metrics.kg, value: 1, setIndex: -1 }]), 'values.0.setIndex');
    // The same slot twice; the second value is named.
    await refused(putValues(k, [{ metricId: plank.metrics.seconds, value: 1 }, { metricId: plank.metrics.seconds, value: 2 }]), 'values.1');
    // Sets on an activity without them; a bad value inside a set.
    await refused(putSets(k, [{ values: [{ metricId: plank.metrics.seconds, value: 1 }] }]), 'sets');
    await refused(putSets(p, [{ values: [] }, { values: [{ metricId: scales.metrics.bpm, value: 1 }] }]), 'sets.1.values.0.metricId');
    await refused(putSets(p, [{ values: [{ metricId: press.metrics.kg, value: 1 }, { metricId: press.metrics.kg, value: 2 }] }]), 'sets.0.values.1');
    await refused(putSets(p, [{ values: [{ metricId: press.metrics.kg, value: null }] }]), 'sets.0.values.0.value');
    await refused(putSets(p, [{ values: 'x' }]), 'sets.0.values');
    // The DTOs: shapes and unknown fields.
    await refused(putValues(k, []), 'values');
    await refused(api.req('PUT', at(`/activity-instances/${k}/metrics`), { values: [{ metricId: 'x', value: 1 }] }), 'values.0.metricId');
    await refused(api.req('PUT', at(`/activity-instances/${k}/metrics`), { values: [{ metricId: plank.metrics.seconds, value: 1, id: randomUUID() }] }), 'values.0.id');
    await refused(api.req('PUT', at(`/activity-instances/${k}/metrics`), { values: [{ metricId: plank.metrics.seconds, value: 1 }], extra: 1 }), 'extra');
    expect((await putValues(randomUUID(), [{ metricId: plank.metrics.seconds, value: 1 }])).statusCode).toBe(404);
  });

  // Metrics get min_value and max_value in the activities branch; until it is merged this runs as skipped (test/sessions/rules.spec.ts checks the rule itself).
  const hasBounds = getMetadataArgsStorage().columns.some((c) => c.target === MetricDefinition && c.propertyName === 'minValue');
  (hasBounds ? it : it.skip)("refuses a value outside the metric's min and max", async () => {
    const bounded = await direct(api, root).activity('Bounded', { metrics: ['pct'] });
    await api.t.db.dataSource.query(`UPDATE metric_definitions SET min_value = 0, max_value = 100 WHERE id = '${bounded.metrics.pct}'`);
    const { instances: [b] } = await session([bounded]);
    await refused(putValues(b, [{ metricId: bounded.metrics.pct, value: -0.5 }]), 'values.0.value');
    await refused(putValues(b, [{ metricId: bounded.metrics.pct, value: 100.01 }]), 'values.0.value');
    expect((await putValues(b, [{ metricId: bounded.metrics.pct, value: 100 }])).statusCode).toBe(200);
  });

  it('keeps one value per slot under concurrent upserts', async () => {
    const { instances: [k] } = await session([plank]);
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((value) => putValues(k, [{ metricId: plank.metrics.seconds, value }])));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await liveRows(k)).toBe(1);
    const { values } = await ok(api, 'GET', at(`/activity-instances/${k}`));
    expect([1, 2, 3, 4, 5, 6]).toContain(values[0].value);
    const sets = await session([press]);
    const p = sets.instances[0];
    const setAnswers = await Promise.all([10, 20, 30].map((kg) => putSets(p, [{ values: [{ metricId: press.metrics.kg, value: kg }] }, { values: [{ metricId: press.metrics.kg, value: kg + 1 }] }])));
    expect(setAnswers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const view = await ok(api, 'GET', at(`/activity-instances/${p}`));
    expect(view.sets).toHaveLength(2);
    expect(view.sets[1].values[0].value).toBe(view.sets[0].values[0].value + 1);
    expect(await liveRows(p)).toBe(2);
  });

  it('reads the previous best of the latest instance of an activity and of an older one alike, per split, live values only', async () => {
    // The latest instance walks the metric's values from the best down; an older one reads its
    // earlier history (src/sessions/session-rows.ts): both must give the same bests.
    const d = direct(api, root);
    const hand = await d.activity('Grip', { metrics: ['kg', 'secs'], splits: ['Left', 'Right'] });
    // Fewer seconds is better: its previous best is the lowest earlier value.
    await api.t.db.dataSource.query(`UPDATE metric_definitions SET higher_is_better = false WHERE id = '${hand.metrics.secs}'`);
    const { Left, Right } = hand.splits;
    const record = async (values: { kg?: [number, number]; secs?: number }) => {
      const s = await session([hand]);
      const body = [
        ...(values.kg ? [{ metricId: hand.metrics.kg, splitId: Left, value: values.kg[0] }, { metricId: hand.metrics.kg, splitId: Right, value: values.kg[1] }] : []),
        ...(values.secs !== undefined ? [{ metricId: hand.metrics.secs, splitId: Left, value: values.secs }] : []),
      ];
      await ok(api, 'PUT', at(`/activity-instances/${s.instances[0]}/metrics`), { values: body });
      return s;
    };
    const bests = async (s: { id: string }) => {
      const [i] = (await ok(api, 'GET', at(`/sessions/${s.id}`))).instances;
      return Object.fromEntries(
        i.comparison.metrics.map((m: any) => [`${m.metricId === hand.metrics.kg ? 'kg' : 'secs'} ${m.splitId === Left ? 'L' : 'R'}`, [m.previousBest, m.personalBest]]),
      );
    };
    const s1 = await record({ kg: [100, 90], secs: 30 });
    const s2 = await record({ kg: [120, 80], secs: 25 });
    const s3 = await record({ kg: [110, 95], secs: 28 });
    const atThird = { 'kg L': [120, false], 'kg R': [90, true], 'secs L': [25, false] };
    expect(await bests(s3)).toEqual(atThird); // s3 is the latest
    expect(await bests(s1)).toEqual({ 'kg L': [null, true], 'kg R': [null, true], 'secs L': [null, true] });
    const s4 = await record({ kg: [130, 85], secs: 20 });
    expect(await bests(s3)).toEqual(atThird); // s3 has a later one now
    expect(await bests(s4)).toEqual({ 'kg L': [120, true], 'kg R': [95, false], 'secs L': [25, true] });
    // A value removed, and an instance deleted, no longer count, on either path.
    await ok(api, 'PUT', at(`/activity-instances/${s2.instances[0]}/metrics`), { values: [{ metricId: hand.metrics.kg, splitId: Left, value: null }] });
    await ok(api, 'DELETE', at(`/activity-instances/${s1.instances[0]}`));
    expect(await bests(s4)).toEqual({ 'kg L': [110, true], 'kg R': [95, false], 'secs L': [25, true] });
    expect(await bests(s3)).toEqual({ 'kg L': [null, true], 'kg R': [80, true], 'secs L': [25, false] });
    // Another instance in the latest session is not earlier for it.
    const again = await ok(api, 'POST', at(`/sessions/${s4.id}/activities`), { activityId: hand.id });
    await ok(api, 'PUT', at(`/activity-instances/${again.id}/metrics`), { values: [{ metricId: hand.metrics.kg, splitId: Left, value: 500 }] });
    expect((await bests(s4))['kg L']).toEqual([110, true]);
  });

  it('compares each instance with the previous one of its activity in another session, and marks personal bests', async () => {
    // Activities of their own: nothing recorded before this test.
    const d = direct(api, root);
    const plank = await d.activity('Hold', { metrics: ['seconds'] });
    const press = await d.activity('Squat', { metrics: ['kg'], hasSets: true });
    const first = await session([plank, press]);
    await ok(api, 'PUT', at(`/activity-instances/${first.instances[0]}/metrics`), { values: [{ metricId: plank.metrics.seconds, value: 60 }] });
    await ok(api, 'PUT', at(`/activity-instances/${first.instances[1]}/sets`), { sets: [{ values: [{ metricId: press.metrics.kg, value: 50 }] }, { values: [{ metricId: press.metrics.kg, value: 55 }] }] });
    const second = await session([plank, press]);
    await ok(api, 'PUT', at(`/activity-instances/${second.instances[0]}/metrics`), { values: [{ metricId: plank.metrics.seconds, value: 45 }] });
    await ok(api, 'PUT', at(`/activity-instances/${second.instances[1]}/sets`), { sets: [{ values: [{ metricId: press.metrics.kg, value: 57.5 }] }] });
    const third = await session([plank, press]);
    await ok(api, 'PUT', at(`/activity-instances/${third.instances[0]}/metrics`), { values: [{ metricId: plank.metrics.seconds, value: 50 }] });
    await ok(api, 'PUT', at(`/activity-instances/${third.instances[1]}/sets`), { sets: [{ values: [{ metricId: press.metrics.kg, value: 60 }] }, { values: [{ metricId: press.metrics.kg, value: 52 }] }] });

    const view = await ok(api, 'GET', at(`/sessions/${third.id}`));
    const [plankNow, pressNow] = view.instances;
    expect(plankNow.comparison).toMatchObject({ previousInstanceId: second.instances[0], previousSessionId: second.id });
    expect(plankNow.comparison.metrics).toEqual([
      { metricId: plank.metrics.seconds, splitId: null, current: 50, previous: 45, change: 5, improved: true, previousBest: 60, personalBest: false },
    ]);
    // The best set counts: 60 against the previous instance's 57.5, and every earlier one (55).
    expect(pressNow.comparison.metrics).toEqual([
      { metricId: press.metrics.kg, splitId: null, current: 60, previous: 57.5, change: 2.5, improved: true, previousBest: 57.5, personalBest: true },
    ]);
    // The first instance ever has nothing to compare with, and its values are the best so far.
    const firstView = await ok(api, 'GET', at(`/activity-instances/${first.instances[0]}`));
    expect(firstView.comparison).toEqual({
      previousInstanceId: null,
      previousSessionId: null,
      previousAt: null,
      metrics: [{ metricId: plank.metrics.seconds, splitId: null, current: 60, previous: null, change: null, improved: false, previousBest: null, personalBest: true }],
    });
    // Another instance of the same activity in the same session does not count as previous.
    const again = await ok(api, 'POST', at(`/sessions/${third.id}/activities`), { activityId: plank.id });
    expect((await ok(api, 'GET', at(`/activity-instances/${again.id}`))).comparison.previousInstanceId).toBe(second.instances[0]);
  });
});
