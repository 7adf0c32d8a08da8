import { describeDb } from '../helpers/db';
import { Api, sessionApi } from '../sessions/helpers';
import { fields, get, practice } from './helpers';

const DAY = 86400_000;

/**
 * GET /analytics/sessions/summary and /analytics/heatmap, figures by hand:
 *   S1 Mon 2026-04-06 07:30Z completed, 30 min: Scales 600 s in section Warm-up, Songs 900 s
 *   S5 Tue 2026-04-07 12:00Z completed, 10 min
 *   S2 Wed 2026-04-08 19:10Z completed, 65 min: Scales 1200 s in section Warm-up
 *   S3 Tue 2026-04-14 07:00Z in progress: Songs, untimed
 *   S4 Fri 2026-05-01 10:00Z completed, 20 min: outside April
 * Scales is in the group Technique; Songs in none.
 */
describeDb('analytics: sessions summary and heatmap', () => {
  let api: Api;
  let root: string;

  beforeAll(async () => {
    api = await sessionApi('summary@example.com');
    const other = await api.newRoot('Other');
    const o = practice(api, other);
    const ot = await o.tree();
    await o.session(ot.stg, '2026-04-06T08:00:00Z', { durationSeconds: 999, completed: true });

    root = await api.newRoot('Music');
    const p = practice(api, root);
    const { stg } = await p.tree();
    const technique = await p.insert('ActivityGroup', { name: 'Technique' });
    const scales = await p.activity('Scales', { metrics: ['bpm'] });
    await api.t.db.dataSource.getRepository('ActivityDefinition').update({ id: scales.id }, { groupId: technique });
    const songs = await p.activity('Songs');
    const s1 = await p.session(stg, '2026-04-06T07:30:00Z', { durationSeconds: 1800, completed: true });
    await p.session(stg, '2026-04-07T12:00:00Z', { durationSeconds: 600, completed: true });
    const s2 = await p.session(stg, '2026-04-08T19:10:00Z', { durationSeconds: 3900, completed: true });
    const s3 = await p.session(stg, '2026-04-14T07:00:00Z');
    await p.session(stg, '2026-05-01T10:00:00Z', { durationSeconds: 1200, completed: true });
    const warm1 = await p.insert('SessionSection', { sessionId: s1, position: 0, name: 'Warm-up' });
    const warm2 = await p.insert('SessionSection', { sessionId: s2, position: 0, name: 'Warm-up' });
    await p.instance(s1, scales.id, [], { durationSeconds: 600, sectionId: warm1 });
    await p.instance(s1, songs.id, [], { durationSeconds: 900 });
    await p.instance(s2, scales.id, [], { durationSeconds: 1200, sectionId: warm2 });
    await p.instance(s3, songs.id, []);
  });
  afterAll(async () => api?.t.close());

  it('summarises April: counts, active time, sections, groups, start hours, durations and weeks', async () => {
    const body = await get(api, root, '/sessions/summary?from=2026-04-01&to=2026-04-30&bucket=week');
    expect(body).toMatchObject({
      timeZone: 'UTC',
      from: '2026-04-01',
      to: '2026-04-30',
      bucket: 'week',
      sessions: { total: 4, completed: 3, inProgress: 1 },
      activeSeconds: { total: 6300, average: 2100, sessionsTimed: 3 },
      bySection: [{ name: 'Warm-up', seconds: 1800 }, { name: null, seconds: 900 }],
      byGroup: [{ groupId: expect.any(String), name: 'Technique', seconds: 1800 }, { groupId: null, name: null, seconds: 900 }],
      durations: [
        { fromMinutes: 0, toMinutes: 15, sessions: 1 },
        { fromMinutes: 15, toMinutes: 30, sessions: 0 },
        { fromMinutes: 30, toMinutes: 60, sessions: 1 },
        { fromMinutes: 60, toMinutes: 120, sessions: 1 },
        { fromMinutes: 120, toMinutes: null, sessions: 0 },
      ],
      buckets: [
        { date: '2026-04-06', start: '2026-04-06T00:00:00.000Z', end: '2026-04-13T00:00:00.000Z', sessions: 3, completed: 3, activeSeconds: 6300 },
        { date: '2026-04-13', start: '2026-04-13T00:00:00.000Z', end: '2026-04-20T00:00:00.000Z', sessions: 1, completed: 0, activeSeconds: 0 },
      ],
    });
    expect(body.startHours.filter((h: any) => h.sessions > 0)).toEqual([{ hour: 7, sessions: 2 }, { hour: 12, sessions: 1 }, { hour: 19, sessions: 1 }]);
    expect(body.startHours).toHaveLength(24);
  });

  it('without a range, counts every session; per month', async () => {
    const body = await get(api, root, '/sessions/summary?bucket=month');
    expect(body.sessions).toEqual({ total: 5, completed: 4, inProgress: 1 });
    expect(body.buckets.map((b: any) => [b.date, b.sessions])).toEqual([['2026-04-01', 4], ['2026-05-01', 1]]);
  });

  it('maps days with practice and the longest streak, in the time zone', async () => {
    const utc = await get(api, root, '/heatmap?from=2026-04-01&to=2026-04-30');
    expect(utc).toMatchObject({ timeZone: 'UTC', from: '2026-04-01', to: '2026-04-30', longestStreak: 3, currentStreak: 0 });
    expect(utc.days).toEqual([
      { date: '2026-04-06', sessions: 1, activeMinutes: 30 },
      { date: '2026-04-07', sessions: 1, activeMinutes: 10 },
      { date: '2026-04-08', sessions: 1, activeMinutes: 65 },
      { date: '2026-04-14', sessions: 1, activeMinutes: 0 },
    ]);
    // In Tokyo, S2 (19:10Z) falls on the 9th: the run of three days breaks.
    const tokyo = await get(api, root, '/heatmap?from=2026-04-01&to=2026-04-30&tz=Asia/Tokyo');
    expect(tokyo.days.map((d: any) => d.date)).toEqual(['2026-04-06', '2026-04-07', '2026-04-09', '2026-04-14']);
    expect(tokyo.longestStreak).toBe(2);
  });

  it('counts the current streak up to today', async () => {
    const fresh = await api.newRoot('Daily');
    const p = practice(api, fresh);
    const { stg } = await p.tree();
    for (const ago of [0, 1, 3]) await p.session(stg, new Date(Date.now() - ago * DAY).toISOString(), { durationSeconds: 60 });
    const body = await get(api, fresh, '/heatmap');
    expect(body).toMatchObject({ currentStreak: 2, longestStreak: 2 });
    expect(body.days).toHaveLength(3);
  });

  it('refuses bad queries with a 400 naming the field', async () => {
    for (const [path, field] of [
      ['/sessions/summary?bucket=session', 'bucket'],
      ['/sessions/summary?from=2026-13-01', 'from'],
      ['/heatmap?tz=Nowhere', 'tz'],
      ['/heatmap?from=2026-04-30&to=2026-04-01', 'to'],
    ]) {
      const res = await api.req('GET', api.at(root, `/analytics${path}`));
      expect({ path, status: res.statusCode, fields: [...new Set(fields(res))] }).toEqual({ path, status: 400, fields: [field] });
    }
  });
});
