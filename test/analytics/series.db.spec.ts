import { describeDb } from '../helpers/db';
import { Api, sessionApi } from '../sessions/helpers';
import { fields, get, practice } from './helpers';

/**
 * GET /analytics/activities/:activityId/series, with figures computed by hand. The press has
 * kg (the top-set metric) and reps, both multiplicative:
 *   S1 Mon 2026-03-02 10:00Z: 50x5, 60x3      S2 Wed 2026-03-04 18:00Z: 55x5, 55x4
 *   S3 Tue 2026-03-10 09:00Z: 70x1
 */
describeDb('analytics: the series of an activity', () => {
  let api: Api;
  let root: string;
  let press: { id: string; metrics: Record<string, string> };
  let s: string[];
  const series = (query: string) => get(api, root, `/activities/${press.id}/series?${query}`);
  const values = (body: any) => body.points.map((p: any) => p.value);

  beforeAll(async () => {
    api = await sessionApi('series@example.com');
    // Another root of the same user, with practice of its own that must never show.
    const other = await api.newRoot('Other');
    const o = practice(api, other);
    const ot = await o.tree();
    const op = await o.activity('Press', { metrics: ['kg', 'reps'], hasSets: true });
    await o.instance(await o.session(ot.stg, '2026-03-02T11:00:00Z'), op.id, [{ [op.metrics.kg]: 999, [op.metrics.reps]: 9 }]);

    root = await api.newRoot('Lifting');
    const p = practice(api, root);
    const { stg } = await p.tree();
    press = await p.activity('Press', { metrics: ['kg', 'reps'], hasSets: true });
    await api.t.db.dataSource.getRepository('MetricDefinition').update({ id: press.metrics.kg }, { isTopSetMetric: true });
    s = [await p.session(stg, '2026-03-02T10:00:00Z'), await p.session(stg, '2026-03-04T18:00:00Z'), await p.session(stg, '2026-03-10T09:00:00Z')];
    const { kg, reps } = press.metrics;
    await p.instance(s[0], press.id, [{ [kg]: 50, [reps]: 5 }, { [kg]: 60, [reps]: 3 }]);
    await p.instance(s[1], press.id, [{ [kg]: 55, [reps]: 5 }, { [kg]: 55, [reps]: 4 }]);
    await p.instance(s[2], press.id, [{ [kg]: 70, [reps]: 1 }]);
    // A deleted session's values do not count.
    const gone = await p.session(stg, '2026-03-03T10:00:00Z');
    await p.instance(gone, press.id, [{ [kg]: 500, [reps]: 50 }]);
    await api.t.db.dataSource.getRepository('Goal').update({ id: gone }, { deletedAt: new Date(), deletionId: gone });
  });
  afterAll(async () => api?.t.close());

  it('answers max per session by default, each point with its date and session', async () => {
    const body = await series(`metricId=${press.metrics.kg}`);
    expect(body).toMatchObject({ activityId: press.id, metricId: press.metrics.kg, agg: 'max', bucket: 'session', timeZone: 'UTC' });
    expect(body.points).toEqual([
      { date: '2026-03-02', start: '2026-03-02T10:00:00.000Z', end: null, value: 60, sessionIds: [s[0]] },
      { date: '2026-03-04', start: '2026-03-04T18:00:00.000Z', end: null, value: 55, sessionIds: [s[1]] },
      { date: '2026-03-10', start: '2026-03-10T09:00:00.000Z', end: null, value: 70, sessionIds: [s[2]] },
    ]);
  });

  it('sums per ISO week, averages per month, and takes the last value', async () => {
    const weeks = await series(`metricId=${press.metrics.kg}&agg=sum&bucket=week`);
    expect(weeks.points).toEqual([
      { date: '2026-03-02', start: '2026-03-02T00:00:00.000Z', end: '2026-03-09T00:00:00.000Z', value: 220, sessionIds: [s[0], s[1]] },
      { date: '2026-03-09', start: '2026-03-09T00:00:00.000Z', end: '2026-03-16T00:00:00.000Z', value: 70, sessionIds: [s[2]] },
    ]);
    const month = await series(`metricId=${press.metrics.kg}&agg=average&bucket=month`);
    expect(month.points).toEqual([{ date: '2026-03-01', start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z', value: 58, sessionIds: s }]);
    expect(values(await series(`metricId=${press.metrics.kg}&agg=last`))).toEqual([60, 55, 70]);
    expect(values(await series(`metricId=${press.metrics.kg}&agg=last&bucket=week`))).toEqual([55, 70]);
    expect(values(await series(`metricId=${press.metrics.reps}&agg=sum&bucket=month`))).toEqual([18]);
  });

  it('top_set: the set with the heaviest kg (the first of equals), and its reps', async () => {
    const body = await series(`metricId=${press.metrics.reps}&agg=top_set`);
    expect(values(body)).toEqual([3, 5, 1]);
    expect(body.points[0].set).toEqual({ instanceId: expect.any(String), setIndex: 1 });
    expect(body.points[1].set.setIndex).toBe(0);
    expect(values(await series(`agg=top_set&bucket=week`))).toEqual([60, 70]);
  });

  it('yield: the sum over sets of kg x reps', async () => {
    const body = await series(`agg=yield&bucket=week`);
    expect(body.metricId).toBeNull();
    expect(values(body)).toEqual([50 * 5 + 60 * 3 + 55 * 5 + 55 * 4, 70]);
  });

  it('reads days in the time zone asked, and from/to as local days', async () => {
    // 18:00Z on the 4th is 03:00 on the 5th in Tokyo.
    const tokyo = await series(`metricId=${press.metrics.kg}&bucket=day&tz=Asia/Tokyo`);
    expect(tokyo.points.map((p: any) => [p.date, p.start])).toEqual([
      ['2026-03-02', '2026-03-01T15:00:00.000Z'],
      ['2026-03-05', '2026-03-04T15:00:00.000Z'],
      ['2026-03-10', '2026-03-09T15:00:00.000Z'],
    ]);
    const ranged = await series(`metricId=${press.metrics.kg}&from=2026-03-03&to=2026-03-09`);
    expect(ranged.points.map((p: any) => p.sessionIds)).toEqual([[s[1]]]);
    // In Tokyo the 10th starts at 15:00Z on the 9th: S3 (09:00Z on the 10th) is on the 10th, outside.
    expect((await series(`metricId=${press.metrics.kg}&from=2026-03-05&to=2026-03-09&tz=Asia/Tokyo`)).points.map((p: any) => p.sessionIds)).toEqual([[s[1]]]);
  });

  it('refuses bad queries with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['agg=median', 'agg'],
      ['bucket=year', 'bucket'],
      ['metricId=nope', 'metricId'],
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['from=0000-01-01', 'from'],
      ['tz=Mars/Olympus', 'tz'],
      ['from=2026-03-05&to=2026-03-01', 'to'],
    ]) {
      const res = await api.req('GET', api.at(root, `/analytics/activities/${press.id}/series?${query}`));
      expect({ query, status: res.statusCode, fields: [...new Set(fields(res))] }).toEqual({ query, status: 400, fields: [field] });
    }
  });

  it('answers 404 for an activity, metric or split of another root, or unknown', async () => {
    const other = await api.newRoot('Third');
    const o = practice(api, other);
    const foreign = await o.activity('Foreign', { metrics: ['m'], splits: ['L'] });
    for (const url of [
      `/analytics/activities/${foreign.id}/series`,
      `/analytics/activities/00000000-0000-4000-8000-000000000000/series`,
      `/analytics/activities/${press.id}/series?metricId=${foreign.metrics.m}`,
      `/analytics/activities/${press.id}/series?splitId=${foreign.splits.L}`,
    ]) {
      expect({ url, status: (await api.req('GET', api.at(root, url))).statusCode }).toEqual({ url, status: 404 });
    }
  });
});
