import { describeDb } from '../helpers/db';
import { Api, sessionApi } from '../sessions/helpers';
import { fields, get, practice } from './helpers';

/**
 * Dates are read in the request's `tz`, else the user's setting, else UTC. Berlin moves to
 * summer time on Sunday 2026-03-29 at 01:00Z, so its week of Monday 23 March lasts 167 hours:
 *   A 2026-03-22T23:30Z: Monday 23rd, 00:30 CET      (UTC: Sunday 22nd, the week before)
 *   B 2026-03-29T21:30Z: Sunday 29th, 23:30 CEST     (UTC: Sunday 29th)
 *   C 2026-03-29T22:30Z: Monday 30th, 00:30 CEST     (UTC: Sunday 29th, the same week as B)
 */
describeDb('analytics: time zones, and a week across a daylight-saving change', () => {
  let api: Api;
  let root: string;
  let activityId: string;
  let s: string[];
  const patchMe = (payload: unknown) => api.req('PATCH', '/api/auth/me', payload);

  beforeAll(async () => {
    api = await sessionApi('berlin@example.com');
    root = await api.newRoot('Piano');
    const p = practice(api, root);
    const { stg } = await p.tree();
    const scales = await p.activity('Scales', { metrics: ['bpm'] });
    activityId = scales.id;
    s = [];
    for (const [at, bpm] of [['2026-03-22T23:30:00Z', 100], ['2026-03-29T21:30:00Z', 110], ['2026-03-29T22:30:00Z', 120]] as const) {
      const id = await p.session(stg, at, { durationSeconds: 600, completed: true });
      await p.instance(id, scales.id, [{ [scales.metrics.bpm]: bpm }]);
      s.push(id);
    }
  });
  afterAll(async () => api?.t.close());

  it("PATCH /api/auth/me sets, validates and clears the user's time zone", async () => {
    const set = await patchMe({ timeZone: 'Europe/Berlin' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ timeZone: 'Europe/Berlin', displayName: null });
    for (const bad of ['Mars/Olympus', 5, '']) {
      const res = await patchMe({ timeZone: bad });
      expect({ bad, status: res.statusCode, fields: [...new Set(fields(res))] }).toEqual({ bad, status: 400, fields: ['timeZone'] });
    }
    expect((await api.req('GET', '/api/auth/me')).json().timeZone).toBe('Europe/Berlin');
    expect((await patchMe({ displayName: 'Kim' })).json()).toMatchObject({ displayName: 'Kim', timeZone: 'Europe/Berlin' });
  });

  it("the user's zone: the week of 23 March runs 167 hours and holds A and B; C opens the next week", async () => {
    expect((await patchMe({ timeZone: 'Europe/Berlin' })).statusCode).toBe(200);
    const weeks = await get(api, root, `/activities/${activityId}/series?agg=sum&bucket=week`);
    expect(weeks.timeZone).toBe('Europe/Berlin');
    expect(weeks.points).toEqual([
      { date: '2026-03-23', start: '2026-03-22T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', value: 210, sessionIds: [s[0], s[1]] },
      { date: '2026-03-30', start: '2026-03-29T22:00:00.000Z', end: '2026-04-05T22:00:00.000Z', value: 120, sessionIds: [s[2]] },
    ]);
    const summary = await get(api, root, '/sessions/summary?bucket=week&from=2026-03-23&to=2026-03-29');
    expect(summary.sessions.total).toBe(2);
    expect(summary.buckets).toEqual([{ date: '2026-03-23', start: '2026-03-22T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', sessions: 2, completed: 2, activeSeconds: 1200 }]);
    expect(summary.startHours.filter((h: any) => h.sessions).map((h: any) => h.hour)).toEqual([0, 23]);
    const days = await get(api, root, '/sessions/summary?bucket=day&from=2026-03-29&to=2026-03-29');
    expect(days.buckets).toEqual([{ date: '2026-03-29', start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', sessions: 1, completed: 1, activeSeconds: 600 }]);
    const heat = await get(api, root, '/heatmap?from=2026-03-01&to=2026-03-31');
    expect(heat.days.map((d: any) => d.date)).toEqual(['2026-03-23', '2026-03-29', '2026-03-30']);
    expect(heat.longestStreak).toBe(2);
  });

  it('tz on the request wins over the setting; without either, UTC', async () => {
    const utc = await get(api, root, `/activities/${activityId}/series?agg=sum&bucket=week&tz=UTC`);
    expect(utc.points.map((p: any) => [p.date, p.value, p.sessionIds])).toEqual([
      ['2026-03-16', 100, [s[0]]],
      ['2026-03-23', 230, [s[1], s[2]]],
    ]);
    expect((await patchMe({ timeZone: null })).json().timeZone).toBeNull();
    expect((await get(api, root, `/activities/${activityId}/series?agg=sum&bucket=week`)).points.map((p: any) => p.date)).toEqual(['2026-03-16', '2026-03-23']);
  });
});
