import { describeDb } from '../helpers/db';
import { Api, sessionApi } from '../sessions/helpers';
import { get, practice } from './helpers';

const DAY = 86400_000;

/**
 * GET /analytics/goals/:goalId/progress and /analytics/goals/summary, on this tree (ages in days):
 *   root > LTG (101) > MTG (100, paused 50..40) > STG1 (done; targets T1 met, T2 not)
 *                                                > STG2 (95)      > STG3 (10, paused now)
 *                    > MTG2 (20) > STG4 (19), STG5 (1)
 *   LTG has target T3, met.
 *   Sa under STG1, 3 days ago, done, 1200 s, with IG1 (done) below it
 *   Sb under STG2, 20 days ago, 600 s       Sc under STG1 and linked to STG2, 5 days ago, done, 300 s
 *   Sd under STG4, 30 days ago, 60 s
 */
describeDb('analytics: goal progress and the goals summary', () => {
  let api: Api;
  let root: string;
  const g: Record<string, string> = {};

  beforeAll(async () => {
    api = await sessionApi('goals-analytics@example.com');
    root = await api.newRoot('Tree');
    const p = practice(api, root);
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const goal = (type: string, name: string, parentId: string, days: number, extra: Record<string, unknown> = {}) =>
      p.insert('Goal', { type, name, parentId, createdAt: ago(days), ...extra });
    g.ltg = await goal('LongTermGoal', 'LTG', root, 101);
    g.mtg = await goal('MidTermGoal', 'MTG', g.ltg, 100);
    g.stg1 = await goal('ShortTermGoal', 'STG1', g.mtg, 99, { completed: true, completedAt: ago(2), completionSource: 'manual' });
    g.stg2 = await goal('ShortTermGoal', 'STG2', g.mtg, 95);
    g.stg3 = await goal('ShortTermGoal', 'STG3', g.mtg, 10, { pausedAt: ago(1) });
    g.mtg2 = await goal('MidTermGoal', 'MTG2', g.ltg, 20);
    g.stg4 = await goal('ShortTermGoal', 'STG4', g.mtg2, 19);
    g.stg5 = await goal('ShortTermGoal', 'STG5', g.mtg2, 1);
    g.sa = await p.session(g.stg1, ago(3).toISOString(), { durationSeconds: 1200, completed: true, name: 'Sa' });
    g.sb = await p.session(g.stg2, ago(20).toISOString(), { durationSeconds: 600, name: 'Sb' });
    g.sc = await p.session(g.stg1, ago(5).toISOString(), { durationSeconds: 300, completed: true, name: 'Sc' });
    g.sd = await p.session(g.stg4, ago(30).toISOString(), { durationSeconds: 60, name: 'Sd' });
    g.ig1 = await goal('ImmediateGoal', 'IG1', g.sa, 3, { completed: true, completedAt: ago(3), completionSource: 'manual' });
    await p.insert('PracticeSessionGoal', { practiceSessionId: g.sc, shortTermGoalId: g.stg2 });
    const act = await p.activity('Scales');
    g.t1 = await p.insert('GoalTarget', { goalId: g.stg1, activityId: act.id, kind: 'threshold', met: true, metAt: ago(4) });
    await p.insert('GoalTarget', { goalId: g.stg1, activityId: act.id, kind: 'threshold' });
    await p.insert('GoalTarget', { goalId: g.ltg, activityId: act.id, kind: 'threshold', met: true, metAt: ago(3) });
    const pausedAt = ago(50);
    await p.insert('GoalPause', { goalId: g.mtg, pausedAt, resumedAt: ago(40) });
    g.pausedAt = pausedAt.toISOString();
  });
  afterAll(async () => api?.t.close());

  it("a mid-term goal: its subtree per level, targets, sessions (below it and linked) and timeline", async () => {
    const body = await get(api, root, `/goals/${g.mtg}/progress`);
    expect(body).toMatchObject({
      goalId: g.mtg,
      type: 'MidTermGoal',
      completed: false,
      levels: [
        { type: 'ShortTermGoal', total: 3, completed: 1, share: 1 / 3 },
        { type: 'PracticeSession', total: 3, completed: 2, share: 2 / 3 },
        { type: 'ImmediateGoal', total: 1, completed: 1, share: 1 },
      ],
      targets: { total: 2, met: 1 },
      sessions: { total: 3, completed: 2, activeSeconds: 2100 },
    });
    expect(body.sessions.recent.map((s: any) => s.name)).toEqual(['Sa', 'Sc', 'Sb']);
    expect(body.timeline.map((e: any) => e.event)).toEqual(['created', 'paused', 'resumed']);
    expect(body.timeline[1].at).toBe(g.pausedAt);
  });

  it('a short-term goal counts the sessions linked to it; an immediate goal its session; the timeline has targets met and the completion', async () => {
    const stg2 = await get(api, root, `/goals/${g.stg2}/progress`);
    expect(stg2.sessions).toMatchObject({ total: 2, activeSeconds: 900 });
    expect(stg2.sessions.recent.map((s: any) => s.id)).toEqual([g.sc, g.sb]);
    const ig1 = await get(api, root, `/goals/${g.ig1}/progress`);
    expect(ig1.sessions.recent.map((s: any) => s.id)).toEqual([g.sa]);
    expect(ig1.levels).toEqual([]);
    const stg1 = await get(api, root, `/goals/${g.stg1}/progress`);
    expect(stg1.timeline.map((e: any) => [e.event, e.targetId])).toEqual([['created', undefined], ['target_met', g.t1], ['completed', undefined]]);
    expect(stg1.targets).toEqual({ total: 2, met: 1 });
  });

  it('the summary: completion per level, goals open for more than 90 days, goals idle for 14 days', async () => {
    const body = await get(api, root, '/goals/summary');
    expect(body.levels).toEqual([
      { type: 'UltimateGoal', total: 1, completed: 0, share: 0 },
      { type: 'LongTermGoal', total: 1, completed: 0, share: 0 },
      { type: 'MidTermGoal', total: 2, completed: 0, share: 0 },
      { type: 'ShortTermGoal', total: 5, completed: 1, share: 0.2 },
      { type: 'PracticeSession', total: 4, completed: 2, share: 0.5 },
      { type: 'ImmediateGoal', total: 1, completed: 1, share: 1 },
    ]);
    expect(body.openLong.map((o: any) => [o.name, o.openDays])).toEqual([['LTG', 101], ['MTG', 100], ['STG2', 95]]);
    expect(body.idle.map((o: any) => [o.name, o.lastPracticeAt === null])).toEqual([['MTG2', false], ['STG4', false], ['STG5', true]]);
  });

  it('answers 404 for a goal of another root, unknown, or deleted', async () => {
    const other = await api.newRoot('Other');
    const o = practice(api, other);
    const { ltg } = await o.tree();
    const gone = await practice(api, root).insert('Goal', { type: 'LongTermGoal', name: 'Gone', parentId: root, deletedAt: new Date(), deletionId: root });
    for (const id of [ltg, other, gone, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      expect({ id, status: (await api.req('GET', api.at(root, `/analytics/goals/${id}/progress`))).statusCode }).toEqual({ id, status: 404 });
    }
  });
});
