import { describeDb } from '../helpers/db';
import { Api, sessionApi } from '../sessions/helpers';
import { get, practice } from './helpers';

/**
 * The series merges, per session, what each instance's values give (the engine aggregates per
 * instance): several instances in one session, sets with a missing factor, and a set recorded in
 * two splits. kg is the top-set metric; kg and reps are multiplicative. By hand:
 *   S1 2026-03-02: instance A (first) 50x5, 60x3; instance B (second) 60x8, 40x10
 *   S2 2026-03-03: instance C 70 kg, no reps
 *   S3 2026-03-10: instance D, set 0 in split L 30x2 and in split R 35x1
 */
describeDb('analytics: the series, instance by instance', () => {
  let api: Api;
  let root: string;
  let lift: { id: string; metrics: Record<string, string>; splits: Record<string, string> };
  let a: string;
  let d: string;
  let s: string[];
  const series = (query: string) => get(api, root, `/activities/${lift.id}/series?${query}`);
  const values = async (query: string) => (await series(query)).points.map((p: any) => p.value);

  beforeAll(async () => {
    api = await sessionApi('series-instances@example.com');
    root = await api.newRoot('Gym');
    const p = practice(api, root);
    const { stg } = await p.tree();
    lift = await p.activity('Lift', { metrics: ['kg', 'reps'], splits: ['L', 'R'], hasSets: true });
    await api.t.db.dataSource.getRepository('MetricDefinition').update({ id: lift.metrics.kg }, { isTopSetMetric: true });
    const { kg, reps } = lift.metrics;
    s = [await p.session(stg, '2026-03-02T10:00:00Z'), await p.session(stg, '2026-03-03T10:00:00Z'), await p.session(stg, '2026-03-10T10:00:00Z')];
    a = await p.instance(s[0], lift.id, [{ [kg]: 50, [reps]: 5 }, { [kg]: 60, [reps]: 3 }], { createdAt: '2026-03-02T10:01:00Z' });
    await p.instance(s[0], lift.id, [{ [kg]: 60, [reps]: 8 }, { [kg]: 40, [reps]: 10 }], { createdAt: '2026-03-02T10:02:00Z' });
    await p.instance(s[1], lift.id, [{ [kg]: 70 }]);
    d = await p.instance(s[2], lift.id, [{ [kg]: 30, [reps]: 2 }], { splitId: lift.splits.L });
    for (const [metric, value] of [[kg, 35], [reps, 1]] as const) {
      await p.insert('MetricValue', { activityInstanceId: d, metricDefinitionId: metric, splitDefinitionId: lift.splits.R, value, setIndex: 0 });
    }
  });
  afterAll(async () => api?.t.close());

  it('max, sum, average and last over all the instances of a session', async () => {
    const kg = `metricId=${lift.metrics.kg}`;
    expect(await values(`${kg}&agg=max`)).toEqual([60, 70, 35]);
    expect(await values(`${kg}&agg=sum`)).toEqual([210, 70, 65]);
    expect(await values(`${kg}&agg=average`)).toEqual([52.5, 70, 32.5]);
    // S3's one set has a value in each split: which is last is not defined, only the split asked.
    expect((await values(`${kg}&agg=last`)).slice(0, 2)).toEqual([40, 70]);
    expect(await values(`${kg}&agg=last&splitId=${lift.splits.L}`)).toEqual([30]);
    expect(await values(`${kg}&agg=max&bucket=week`)).toEqual([70, 35]);
  });

  it('max, sum and average of one split, in a window: an instance without values of the split gives nothing', async () => {
    const kg = `metricId=${lift.metrics.kg}`;
    expect(await values(`${kg}&agg=max&splitId=${lift.splits.R}`)).toEqual([35]);
    expect(await values(`${kg}&agg=sum&splitId=${lift.splits.L}`)).toEqual([30]);
    expect(await values(`${kg}&agg=average&from=2026-03-03&to=2026-03-10`)).toEqual([70, 32.5]);
    const body = await series(`${kg}&agg=sum&bucket=week&from=2026-03-02&to=2026-03-08`);
    expect(body.points.map((p: any) => [p.date, p.value, p.sessionIds])).toEqual([['2026-03-02', 280, [s[0], s[1]]]]);
  });

  it('top_set: the first best set across instances, its value of the metric asked over the splits', async () => {
    const body = await series(`metricId=${lift.metrics.reps}&agg=top_set`);
    expect(body.points.map((p: any) => [p.value, p.set])).toEqual([
      [3, { instanceId: a, setIndex: 1 }],
      [null, expect.objectContaining({ setIndex: 0 })],
      [2, { instanceId: d, setIndex: 0 }],
    ]);
    expect(await values(`metricId=${lift.metrics.reps}&agg=top_set&splitId=${lift.splits.R}`)).toEqual([1]);
    expect(await values('agg=top_set&bucket=week')).toEqual([70, 35]);
  });

  it('top_set with a lower-is-better metric takes the lowest', async () => {
    const metrics = api.t.db.dataSource.getRepository('MetricDefinition');
    await metrics.update({ id: lift.metrics.kg }, { higherIsBetter: false });
    try {
      const body = await series(`metricId=${lift.metrics.reps}&agg=top_set`);
      expect(body.points.map((p: any) => [p.value, p.set.setIndex])).toEqual([[10, 1], [null, 0], [1, 0]]);
    } finally {
      await metrics.update({ id: lift.metrics.kg }, { higherIsBetter: true });
    }
  });

  it('yield: per set and split, a set missing a factor gives nothing, its session still shows', async () => {
    expect(await values('agg=yield')).toEqual([50 * 5 + 60 * 3 + 60 * 8 + 40 * 10, 0, 30 * 2 + 35 * 1]);
    expect(await values(`agg=yield&splitId=${lift.splits.R}`)).toEqual([35]);
    expect(await values('agg=yield&bucket=month')).toEqual([1310 + 95]);
  });
});
