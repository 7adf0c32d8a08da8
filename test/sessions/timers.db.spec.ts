import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, direct, fields, ok, sessionApi, snapshot } from './helpers';

/**
 * Timers: the server's clock (moved by the test, never waited for), active time without
 * pauses, the 409 rules, ?restart and ?switch, whole-session pause and resume, completion,
 * manual times, and concurrent calls that end in one consistent state.
 */
describeDb('timers', () => {
  let api: Api;
  let root: string;
  let stg: string;
  let activityIds: string[];
  let clock: number;
  const at = (path: string) => api.at(root, path);
  const iso = (ms: number) => new Date(ms).toISOString();
  /**
   * Moves the server's clock forward; nothing else is faked, so the database and the network run
   * as usual. The whole file moves it less than the access token lives (900 s).
   */
  const tick = (seconds: number) => {
    clock += seconds * 1000;
    jest.setSystemTime(clock);
  };
  const timer = (id: string, action: string, query = '') => api.req('POST', at(`/activity-instances/${id}/timer/${action}${query}`));
  const instance = (id: string) => ok(api, 'GET', at(`/activity-instances/${id}`));

  async function freshSession(count: number): Promise<{ id: string; instances: string[] }> {
    const { session } = await ok(api, 'GET', at('/sessions/active'));
    if (session) await ok(api, 'POST', at(`/sessions/${session.id}/complete`));
    const s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [stg] });
    const instances: string[] = [];
    for (let k = 0; k < count; k++) instances.push((await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: activityIds[k % activityIds.length] })).id);
    return { id: s.id, instances };
  }

  async function expect409(res: { statusCode: number; json(): any }, text: RegExp) {
    expect({ status: res.statusCode, message: res.json().message }).toEqual({ status: 409, message: expect.stringMatching(text) });
  }

  beforeAll(async () => {
    api = await sessionApi('timers@example.com');
    root = await api.newRoot('Timers');
    const d = direct(api, root);
    stg = (await d.tree()).stg;
    activityIds = [(await d.activity('Scales')).id, (await d.activity('Chords')).id, (await d.activity('Arpeggios')).id];
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

  it("counts active time by the server's clock, pauses excluded", async () => {
    const { instances: [a] } = await freshSession(1);
    const t0 = clock;
    const started = (await timer(a, 'start')).json();
    expect(started).toMatchObject({ timer: 'running', timeStart: iso(t0), activeSeconds: 0, pausedAt: null });
    tick(60);
    expect((await instance(a)).activeSeconds).toBe(60);
    const paused = (await timer(a, 'pause')).json();
    expect(paused).toMatchObject({ timer: 'paused', pausedAt: iso(clock), activeSeconds: 60 });
    tick(30);
    expect((await instance(a)).activeSeconds).toBe(60);
    expect((await timer(a, 'resume')).json()).toMatchObject({ timer: 'running', pausedAt: null, totalPausedSeconds: 30, activeSeconds: 60 });
    tick(45);
    const stopped = (await timer(a, 'stop')).json();
    expect(stopped).toMatchObject({ timer: 'stopped', timeStart: iso(t0), timeStop: iso(clock), totalPausedSeconds: 30, durationSeconds: 105, activeSeconds: 105 });
    tick(120);
    expect((await instance(a)).activeSeconds).toBe(105);
  });

  it('stopping a paused timer closes its pause', async () => {
    const { instances: [a] } = await freshSession(1);
    await timer(a, 'start');
    tick(20);
    await timer(a, 'pause');
    tick(40);
    expect((await timer(a, 'stop')).json()).toMatchObject({ timer: 'stopped', totalPausedSeconds: 40, durationSeconds: 20 });
  });

  it('answers 409 for a transition the state does not allow, and writes nothing', async () => {
    const { instances: [a] } = await freshSession(1);
    const refusedHere = async (action: string, text: RegExp, query = '') => {
      const before = await snapshot(api, root);
      await expect409(await timer(a, action, query), text);
      expect(await snapshot(api, root)).toBe(before);
    };
    await refusedHere('pause', /never started/);
    await refusedHere('stop', /never started/);
    await refusedHere('resume', /not started/);
    await timer(a, 'start');
    await refusedHere('start', /running since.*\?restart=true/);
    await refusedHere('resume', /running/);
    await timer(a, 'pause');
    await refusedHere('pause', /already paused/);
    await refusedHere('start', /paused since/);
    await timer(a, 'stop');
    await refusedHere('stop', /already stopped/);
    await refusedHere('pause', /stopped/);
    await refusedHere('start', /stopped at/);
  });

  it('?restart=true starts a started timer over', async () => {
    const { instances: [a] } = await freshSession(1);
    await timer(a, 'start');
    tick(50);
    await timer(a, 'pause');
    tick(10);
    const res = await timer(a, 'start', '?restart=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ timer: 'running', timeStart: iso(clock), totalPausedSeconds: 0, pausedAt: null, activeSeconds: 0, durationSeconds: null });
  });

  it('runs one timer per session: another start is 409 naming it, ?switch=true pauses it', async () => {
    const { instances: [a, b] } = await freshSession(2);
    await timer(a, 'start');
    tick(10);
    const refusedStart = await timer(b, 'start');
    await expect409(refusedStart, new RegExp(`running \\(instance ${a}\\).*\\?switch=true`));
    const switched = await timer(b, 'start', '?switch=true');
    expect(switched.json().timer).toBe('running');
    expect((await instance(a)).timer).toBe('paused');
    tick(10);
    await expect409(await timer(a, 'resume'), new RegExp(`instance ${b}`));
    expect((await timer(a, 'resume', '?switch=true')).json()).toMatchObject({ timer: 'running', totalPausedSeconds: 10, activeSeconds: 10 });
    expect((await instance(b)).timer).toBe('paused');
  });

  it('pauses and resumes a whole session: only the timers its pause paused resume', async () => {
    const s = await freshSession(2);
    const [a, b] = s.instances;
    await timer(b, 'start');
    tick(5);
    await timer(a, 'start', '?switch=true'); // b paused by the switch
    tick(5);
    const paused = await ok(api, 'POST', at(`/sessions/${s.id}/pause`));
    expect(paused.pausedAt).toBe(iso(clock));
    expect(paused.instances.map((i: any) => i.timer)).toEqual(['paused', 'paused']);
    await expect409(await api.req('POST', at(`/sessions/${s.id}/pause`)), /already paused/);
    tick(100);
    const resumed = await ok(api, 'POST', at(`/sessions/${s.id}/resume`));
    expect(resumed.pausedAt).toBeNull();
    expect(resumed.instances.map((i: any) => [i.id, i.timer])).toEqual([
      [a, 'running'],
      [b, 'paused'],
    ]);
    expect(resumed.instances[0]).toMatchObject({ totalPausedSeconds: 100, activeSeconds: 5 });
    await expect409(await api.req('POST', at(`/sessions/${s.id}/resume`)), /not paused/);
    await timer(a, 'stop');
    await expect409(await api.req('POST', at(`/sessions/${s.id}/pause`)), /No timer of this session is running/);
  });

  it('a timer started while the session is paused takes the session out of its pause', async () => {
    const s = await freshSession(2);
    await timer(s.instances[0], 'start');
    await ok(api, 'POST', at(`/sessions/${s.id}/pause`));
    await timer(s.instances[1], 'start');
    expect((await ok(api, 'GET', at(`/sessions/${s.id}`))).pausedAt).toBeNull();
    await expect409(await api.req('POST', at(`/sessions/${s.id}/resume`)), /not paused/);
  });

  it('completing stops every timer, totals the active time, and no timer starts again', async () => {
    const s = await freshSession(3);
    const [a, b, c] = s.instances;
    const t0 = clock;
    await timer(a, 'start');
    tick(30);
    await timer(b, 'start', '?switch=true');
    tick(20);
    const done = await ok(api, 'POST', at(`/sessions/${s.id}/complete`));
    expect(done).toMatchObject({ completed: true, completedAt: iso(clock), sessionEnd: iso(clock), pausedAt: null, totalDurationSeconds: 50, changed: { goals: [], targets: [] } });
    expect(new Date(done.sessionStart).getTime()).toBe(t0);
    expect(done.instances.map((i: any) => [i.timer, i.durationSeconds, i.completed])).toEqual([
      ['stopped', 30, true],
      ['stopped', 20, true],
      ['idle', null, false],
    ]);
    await expect409(await timer(c, 'start'), /completed/);
    await expect409(await api.req('POST', at(`/sessions/${s.id}/complete`)), /already completed/);
    await expect409(await api.req('POST', at(`/sessions/${s.id}/pause`)), /completed/);
  });

  it('takes manual times: both, in order, not on a running timer; the duration follows; both null clear them', async () => {
    const { instances: [a] } = await freshSession(1);
    const url = at(`/activity-instances/${a}`);
    const res = await ok(api, 'PATCH', url, { timeStart: '2026-03-01T10:00:00.000Z', timeStop: '2026-03-01T10:25:30.000Z', notes: 'by hand', completed: true });
    expect(res).toMatchObject({ timer: 'stopped', durationSeconds: 1530, activeSeconds: 1530, notes: 'by hand', completed: true, totalPausedSeconds: 0 });
    const before = await snapshot(api, root);
    for (const [body, field, status = 400] of [
      [{ timeStart: '2026-03-01T10:00:00.000Z' }, 'timeStop'],
      [{ timeStop: '2026-03-01T10:00:00.000Z' }, 'timeStart'],
      [{ timeStart: '2026-03-01T10:00:00.000Z', timeStop: null }, 'timeStop'],
      [{ timeStart: '2026-03-01T10:00:00.000Z', timeStop: '2026-03-01T09:59:59.000Z' }, 'timeStop'],
      [{ timeStart: 'soon', timeStop: '2026-03-01T09:59:59.000Z' }, 'timeStart'],
      [{ durationSeconds: 5 }, 'durationSeconds'],
      [{ sectionId: randomUUID() }, 'sectionId', 404],
      [{ notes: 5 }, 'notes'],
    ] as [object, string, number?][]) {
      const r = await api.req('PATCH', url, body);
      expect({ body, status: r.statusCode, fields: fields(r) }).toEqual({ body, status, fields: expect.arrayContaining([field]) });
    }
    expect(await snapshot(api, root)).toBe(before);
    await ok(api, 'PATCH', url, { timeStart: null, timeStop: null });
    expect(await instance(a)).toMatchObject({ timer: 'idle', timeStart: null, timeStop: null, durationSeconds: null });
    await timer(a, 'start');
    await expect409(await api.req('PATCH', url, { timeStart: '2026-03-01T10:00:00.000Z', timeStop: '2026-03-01T10:10:00.000Z' }), /running: stop it/);
  });

  it('refuses unknown query parameters and bodies on timer routes, and unknown instances', async () => {
    const { instances: [a] } = await freshSession(1);
    const before = await snapshot(api, root);
    for (const [action, query, field] of [
      ['start', '?restart=yes', 'restart'],
      ['start', '?switch=1', 'switch'],
      ['start', '?force=true', 'force'],
      ['pause', '?switch=true', 'switch'],
      ['stop', '?restart=true', 'restart'],
      ['resume', '?restart=true', 'restart'],
    ]) {
      const r = await timer(a, action, query);
      expect({ action, query, status: r.statusCode, fields: fields(r) }).toEqual({ action, query, status: 400, fields: [field] });
    }
    const withBody = await api.req('POST', at(`/activity-instances/${a}/timer/start`), { at: '2026-01-01T00:00:00Z' });
    expect({ status: withBody.statusCode, fields: fields(withBody) }).toEqual({ status: 400, fields: ['at'] });
    expect((await timer(randomUUID(), 'start')).statusCode).toBe(404);
    expect((await timer('nope', 'stop')).statusCode).toBe(404);
    expect(await snapshot(api, root)).toBe(before);
  });

  describe('concurrent calls', () => {
    const fire = (calls: (() => Promise<{ statusCode: number }>)[]) => Promise.all(calls.map((c) => c()));

    it('of one start on one instance: exactly one wins, the others are 409', async () => {
      const { instances: [a] } = await freshSession(1);
      const answers = await fire(Array.from({ length: 6 }, () => () => timer(a, 'start')));
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      expect(await instance(a)).toMatchObject({ timer: 'running', totalPausedSeconds: 0 });
    });

    it('of mixed transitions on one instance: each answer is the one its turn allowed, and the end state is theirs', async () => {
      const { instances: [a] } = await freshSession(1);
      await timer(a, 'start');
      tick(10);
      const actions = ['pause', 'resume', 'pause', 'stop', 'resume', 'pause', 'stop', 'resume'];
      const answers = await fire(actions.map((action) => () => timer(a, action)));
      for (const r of answers) expect([200, 409]).toContain(r.statusCode);
      const won = actions.filter((_, k) => answers[k].statusCode === 200);
      expect(won.filter((x) => x === 'stop').length).toBeLessThanOrEqual(1);
      const end = await instance(a);
      // Some order of the successful calls, one after another, is valid and ends in the state the database holds.
      const next: Record<string, Record<string, string>> = { running: { pause: 'paused', stop: 'stopped' }, paused: { resume: 'running', stop: 'stopped' }, stopped: {} };
      const replay = (order: string[]) => order.reduce<string | null>((state, x) => (state && next[state][x]) ?? null, 'running');
      const ends = new Set(permutations(won).map(replay).filter(Boolean));
      expect(ends).toContain(end.timer);
      if (end.timer === 'stopped') expect(end.durationSeconds).toBe(10);
    });

    it('of starts on every instance of a session: one runs; with ?switch=true, every start succeeds and one runs at the end', async () => {
      const s = await freshSession(5);
      const plain = await fire(s.instances.map((id) => () => timer(id, 'start')));
      expect(plain.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
      const timers = async () => (await ok(api, 'GET', at(`/sessions/${s.id}`))).instances.map((i: any) => i.timer).sort();
      expect(await timers()).toEqual(['idle', 'idle', 'idle', 'idle', 'running']);
      tick(1);
      const switched = await fire(s.instances.map((id) => () => timer(id, 'start', '?switch=true&restart=true')));
      expect(switched.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expect(await timers()).toEqual(['paused', 'paused', 'paused', 'paused', 'running']);
    });

    it('of session creates: one unfinished session; with ?force=true, still one at the end', async () => {
      const { session } = await ok(api, 'GET', at('/sessions/active'));
      if (session) await ok(api, 'POST', at(`/sessions/${session.id}/complete`));
      const create = (query = '') => () => api.req('POST', at(`/sessions${query}`), { parentGoalIds: [stg] });
      const plain = await fire(Array.from({ length: 5 }, () => create()));
      expect(plain.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
      const open = async () => (await ok(api, 'GET', at('/sessions?completed=false&limit=200'))).items.length;
      expect(await open()).toBe(1);
      const forced = await fire(Array.from({ length: 4 }, () => create('?force=true')));
      expect(forced.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
      expect(await open()).toBe(1);
    });

    it('of a session pause, its completion and timer starts: one consistent state', async () => {
      const s = await freshSession(3);
      await timer(s.instances[0], 'start');
      tick(5);
      const answers = await fire([
        () => api.req('POST', at(`/sessions/${s.id}/pause`)),
        () => timer(s.instances[1], 'start', '?switch=true'),
        () => api.req('POST', at(`/sessions/${s.id}/complete`)),
        () => timer(s.instances[2], 'start', '?switch=true'),
      ]);
      for (const r of answers) expect([200, 409]).toContain(r.statusCode);
      expect(answers[2].statusCode).toBe(200);
      const end = await ok(api, 'GET', at(`/sessions/${s.id}`));
      expect(end.completed).toBe(true);
      expect(end.pausedAt).toBeNull();
      for (const i of end.instances) expect(['idle', 'stopped']).toContain(i.timer);
      expect(end.totalDurationSeconds).toBe(end.instances.reduce((n: number, i: any) => n + (i.durationSeconds ?? 0), 0));
    });
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, k) => permutations([...items.slice(0, k), ...items.slice(k + 1)]).map((rest) => [x, ...rest]));
}
