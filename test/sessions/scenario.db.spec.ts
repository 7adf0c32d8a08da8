import { describeDb } from '../helpers/db';
import { Api, direct, ok, sessionApi } from './helpers';

/**
 * One day of use, through HTTP: a template, a session from it, timers with a pause, sets and
 * values, completion, the read back; then delete and restore, and the same read again.
 * The root is made over HTTP; the goals under it, the activities and the template are
 * inserted directly (their routes have suites of their own). The server's clock is moved by the test, never waited for, and by less
 * than an access token lives.
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
    const d = direct(api, root);
    const { stg } = await d.tree();
    const scales = await d.activity('Scales', { metrics: ['bpm'], splits: ['Left', 'Right'] });
    const bench = await d.activity('Bench press', { metrics: ['kg', 'reps'], hasSets: true });

    // 2. A template, and a session from it.
    const templateId = await d.template('Morning', [
      { name: 'Warm-up', duration_minutes: 10, activities: [{ activity_id: scales.id }] },
      { name: 'Strength', duration_minutes: 20, activities: [{ activity_id: bench.id }] },
    ]);
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
