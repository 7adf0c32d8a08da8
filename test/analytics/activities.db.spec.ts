import { describeDb } from '../helpers/db';
import { Api, sessionApi } from '../sessions/helpers';
import { get, practice } from './helpers';

const DAY = 86400_000;

/**
 * GET /analytics/activities. Sessions are placed relative to now (the trend covers the last 30
 * days); nothing depends on how long the test takes, only on days:
 *   Press (kg, reps): A 40 days ago 100x1; B 10 days ago 80x5, 90x3; C 2 days ago 85x5.
 *   Run (pace, lower is better): D 20 days ago 5.5; B 6.
 *   Stretch: never practised.
 */
describeDb('analytics: the activities overview', () => {
  let api: Api;
  let root: string;

  beforeAll(async () => {
    api = await sessionApi('overview@example.com');
    const other = await api.newRoot('Other');
    const o = practice(api, other);
    const ot = await o.tree();
    const op = await o.activity('Press', { metrics: ['kg'] });
    await o.instance(await o.session(ot.stg, new Date(Date.now() - DAY).toISOString()), op.id, [{ [op.metrics.kg]: 999 }]);

    root = await api.newRoot('Mine');
    const p = practice(api, root);
    const { stg } = await p.tree();
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    const press = await p.activity('Press', { metrics: ['kg', 'reps'], hasSets: true });
    const run = await p.activity('Run', { metrics: ['pace'] });
    await api.t.db.dataSource.getRepository('MetricDefinition').update({ id: run.metrics.pace }, { higherIsBetter: false });
    await p.activity('Stretch');
    const [a, b, c, d] = [await p.session(stg, ago(40)), await p.session(stg, ago(10)), await p.session(stg, ago(2)), await p.session(stg, ago(20))];
    const { kg, reps } = press.metrics;
    await p.instance(a, press.id, [{ [kg]: 100, [reps]: 1 }]);
    await p.instance(b, press.id, [{ [kg]: 80, [reps]: 5 }, { [kg]: 90, [reps]: 3 }]);
    await p.instance(c, press.id, [{ [kg]: 85, [reps]: 5 }]);
    await p.instance(d, run.id, [{ [run.metrics.pace]: 5.5 }]);
    await p.instance(b, run.id, [{ [run.metrics.pace]: 6 }]);
    Object.assign(ids, { press, run, c });
  });
  const ids: any = {};
  afterAll(async () => api?.t.close());

  it('lists activities by last use, with sessions, last values, personal bests and the 30-day trend', async () => {
    const list = await get(api, root, '/activities');
    expect(list.map((a: any) => a.name)).toEqual(['Press', 'Run', 'Stretch']);
    const { kg, reps } = ids.press.metrics;
    const pace = ids.run.metrics.pace;
    expect(list[0]).toMatchObject({
      id: ids.press.id,
      sessions: 3,
      lastValues: [
        { metricId: kg, splitId: null, setIndex: 0, value: 85 },
        { metricId: reps, splitId: null, setIndex: 0, value: 5 },
      ],
      trend: [
        { metricId: kg, sessions: 2, first: 90, last: 85, change: -5 },
        { metricId: reps, sessions: 2, first: 5, last: 5, change: 0 },
      ],
    });
    expect(new Date(list[0].lastUsedAt).getTime()).toBeGreaterThan(Date.now() - 3 * DAY);
    expect(list[0].personalBests).toEqual(expect.arrayContaining([
      { metricId: kg, higherIsBetter: true, value: 100 },
      { metricId: reps, higherIsBetter: true, value: 5 },
    ]));
    expect(list[1]).toMatchObject({
      sessions: 2,
      lastValues: [{ metricId: pace, value: 6 }],
      personalBests: [{ metricId: pace, higherIsBetter: false, value: 5.5 }],
      trend: [{ metricId: pace, sessions: 2, first: 5.5, last: 6, change: 0.5 }],
    });
    expect(list[2]).toMatchObject({ sessions: 0, lastUsedAt: null, lastValues: [], personalBests: [], trend: [] });
  });

  it('answers an empty list for a root without activities', async () => {
    expect(await get(api, await api.newRoot('Empty'), '/activities')).toEqual([]);
  });
});
