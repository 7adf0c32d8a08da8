import { describeDb } from '../helpers/db';
import { Api, ok, sessionApi } from './helpers';

/**
 * One day of use, through HTTP: a template, a session from it, timers with a pause, sets and
 * values, completion, the read back; then delete and restore, and the same read again.
 * Everything is made through the routes: the root, the goals under it, the activities with
 * their metrics and splits, the template. The server's clock is moved by the test, never
 * waited for, and by less than an access token lives.
 */
describeDb('a day of practice, over HTTP', () => {
  let api: Api;
  let clock: number;
  const tick = (seconds: number) => {
    clock += seconds * 1000;
    jest.setSystemTime(clock);
  };

  beforeAll(async () => {
    api = await sessionApi('day@example.com');
    clock = Date.now();
    jest.useFakeTimers({
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
      now: clock,
    });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await api?.t.close();
  });

  it('plans, practises, records, completes, reads back, and survives a delete and restore', async () => {
    // 1. A tree, and activities with metrics and splits.
    const root = await api.newRoot('Musician and athlete');
    const at = (path: string) => api.at(root, path);
    const goal = async (parentId: string, type: string, name: string) => (await ok(api, 'POST', at('/goals'), { parentId, type, name })).id as string;
    const ltg = await goal(root, 'LongTermGoal', 'Long');
    const mtg = await goal(ltg, 'MidTermGoal', 'Mid');
    const stg = await goal(mtg, 'ShortTermGoal', 'Short');
    await goal(mtg, 'ShortTermGoal', 'Short 2');
    const activity = async (body: Record<string, unknown>) => {
      const made = await ok(api, 'POST', at('/activities'), body);
      const byName = (list: { id: string; name: string }[]) => Object.fromEntries(list.map((x) => [x.name, x.id]));
      return { id: made.id as string, metrics: byName(made.metrics), splits: byName(made.splits) };
    };
    const scales = await activity({ name: 'Scales', metrics: [{ name: 'bpm', unit: 'bpm' }], splits: [{ name: 'Left' }, { name: 'Right' }] });
    const bench = await activity({ name: 'Bench press', hasSets: true, metrics: [{ name: 'kg', unit: 'kg' }, { name: 'reps', unit: 'reps' }] });

    // 2. A template, and a session from it.
    const template = await ok(api, 'POST', at('/session-templates'), {
      name: 'Morning',
      sections: [
        { name: 'Warm-up', durationMinutes: 10, activities: [{ activityId: scales.id }] },
        { name: 'Strength', durationMinutes: 20, activities: [{ activityId: bench.id }] },
      ],
    });
    const templateId = template.id;
    const session = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [stg], templateId, immediateGoals: [{ name: 'Even tempo both hands' }] });
    const [scalesI, benchI] = session.instances.map((i: any) => i.id);
    expect(session.instances.map((i: any) => i.activityName)).toEqual(['Scales', 'Bench press']);

    // 3. Timers with a pause, sets and values.
    await ok(api, 'POST', at(`/activity-instances/${scalesI}/timer/start`));
    tick(120);
    await ok(api, 'POST', at(`/sessions/${session.id}/pause`));
    tick(30);
    await ok(api, 'POST', at(`/sessions/${session.id}/resume`));
    tick(60);
    await ok(api, 'PUT', at(`/activity-instances/${scalesI}/metrics`), {
      values: [
        { metricId: scales.metrics.bpm, splitId: scales.splits.Left, value: 96 },
        { metricId: scales.metrics.bpm, splitId: scales.splits.Right, value: 88 },
      ],
    });
    await ok(api, 'POST', at(`/activity-instances/${benchI}/timer/start?switch=true`));
    tick(300);
    await ok(api, 'PUT', at(`/activity-instances/${benchI}/sets`), {
      sets: [
        { values: [{ metricId: bench.metrics.kg, value: 60 }, { metricId: bench.metrics.reps, value: 10 }], notes: 'easy' },
        { values: [{ metricId: bench.metrics.kg, value: 70 }, { metricId: bench.metrics.reps, value: 8 }] },
        { values: [{ metricId: bench.metrics.kg, value: 75 }, { metricId: bench.metrics.reps, value: 5 }] },
      ],
    });
    await ok(api, 'POST', at(`/activity-instances/${benchI}/timer/stop`));
    await ok(api, 'PATCH', at(`/activity-instances/${benchI}`), { notes: 'Felt strong', completed: true });

    // 4. Complete, and read back.
    tick(30);
    const completed = await ok(api, 'POST', at(`/sessions/${session.id}/complete`));
    expect(completed.changed).toEqual({ goals: [], targets: [] });
    const read = await ok(api, 'GET', at(`/sessions/${session.id}`));
    expect(read).toMatchObject({ completed: true, pausedAt: null, totalDurationSeconds: 120 + 60 + 300, activeSeconds: 480 });
    expect(read.sections.map((s: any) => [s.name, s.durationMinutes, s.activeSeconds])).toEqual([
      ['Warm-up', 10, 180],
      ['Strength', 20, 300],
    ]);
    expect(read.goals.map((g: any) => g.id)).toEqual([stg]);
    expect(read.immediateGoals.map((g: any) => g.name)).toEqual(['Even tempo both hands']);
    const [sc, be] = read.instances;
    // Paused by the session's pause (30 s), then by the switch to the bench until the completion stopped it (300 + 30 s).
    expect(sc).toMatchObject({ timer: 'stopped', durationSeconds: 180, totalPausedSeconds: 30 + 300 + 30, completed: true });
    expect(sc.values.map((v: any) => [v.splitName, v.value])).toEqual([
      ['Left', 96],
      ['Right', 88],
    ]);
    expect(be).toMatchObject({ timer: 'stopped', durationSeconds: 300, notes: 'Felt strong', completed: true });
    expect(be.sets.map((s: any) => [s.notes, s.values.map((v: any) => v.value)])).toEqual([
      ['easy', [60, 10]],
      [null, [70, 8]],
      [null, [75, 5]],
    ]);
    expect(be.comparison.metrics.map((m: any) => [m.current, m.personalBest])).toEqual([
      [75, true],
      [10, true],
    ]);

    // 5. Delete and restore: the same read.
    await ok(api, 'DELETE', at(`/sessions/${session.id}`));
    expect((await api.req('GET', at(`/sessions/${session.id}`))).statusCode).toBe(404);
    expect((await ok(api, 'GET', at(`/sessions?activityId=${bench.id}`))).items).toEqual([]);
    await ok(api, 'POST', at(`/sessions/${session.id}/restore`));
    const again = await ok(api, 'GET', at(`/sessions/${session.id}`));
    const stable = (v: any) => ({ ...v, updatedAt: null, version: null, instances: v.instances.map((i: any) => ({ ...i, updatedAt: null, version: null })) });
    expect(stable(again)).toEqual(stable(read));
  });
});
