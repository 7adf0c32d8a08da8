import { randomUUID } from 'node:crypto';
import { describeDb, TestApp } from '../helpers/db';
import { allPages, appWithTwoUsers, expectRefusal, practice, RootClient, sqlOf, unchanged } from './helpers';

const scales = {
  name: 'Scales',
  description: 'Major and minor',
  hasSets: true,
  metrics: [
    { name: 'Tempo', unit: 'bpm', isTopSetMetric: true, min: 30, max: 300 },
    { name: 'Reps', unit: '', higherIsBetter: true },
  ],
  splits: [{ name: 'Left' }, { name: 'Right' }],
};

describeDb('activity definitions', () => {
  let t: TestApp;
  let a: RootClient;
  let b: RootClient;
  let foreign: { activity: string; metric: string; split: string; group: string };

  const create = async (c: RootClient, body: object) => {
    const res = await c.call('POST', '/activities', body);
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status: 201 });
    return res.json();
  };

  beforeAll(async () => {
    ({ t, a, b } = await appWithTwoUsers());
    const group = (await b.call('POST', '/activity-groups', { name: 'B group' })).json().id;
    const activity = await create(b, { ...scales, groupId: group });
    foreign = { activity: activity.id, metric: activity.metrics[0].id, split: activity.splits[0].id, group };
  });
  afterAll(async () => t?.close());

  it('creates an activity with its metrics and splits, in order', async () => {
    const group = (await a.call('POST', '/activity-groups', { name: 'Technique' })).json().id;
    const res = await a.call('POST', '/activities', { ...scales, groupId: group });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      name: 'Scales',
      description: 'Major and minor',
      groupId: group,
      hasSets: true,
      hasMetrics: true,
      metricsMultiplicative: false,
      hasSplits: true,
      sortOrder: 0,
      metrics: [
        { id: expect.any(String), name: 'Tempo', unit: 'bpm', isActive: true, isTopSetMetric: true, isMultiplicative: true, higherIsBetter: true, min: 30, max: 300, sortOrder: 0 },
        { id: expect.any(String), name: 'Reps', unit: '', isActive: true, isTopSetMetric: false, isMultiplicative: true, higherIsBetter: true, min: null, max: null, sortOrder: 1 },
      ],
      splits: [
        { id: expect.any(String), name: 'Left', order: 0, isActive: true },
        { id: expect.any(String), name: 'Right', order: 1, isActive: true },
      ],
      inactiveMetrics: [],
      inactiveSplits: [],
      noteCount: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    });
    const bare = await create(a, { name: 'Listening' });
    expect(bare).toMatchObject({ hasMetrics: false, hasSplits: false, hasSets: false, metrics: [], splits: [], groupId: null });
    const got = await a.call('GET', `/activities/${res.json().id}`);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(res.json());
  });

  it('refuses bad bodies, naming the field, and writes nothing', async () => {
    await create(a, { name: 'Taken' });
    const metric = (extra: object) => ({ name: 'Ok', metrics: [{ name: 'M', unit: 'u', ...extra }] });
    await unchanged(t, a.rootId, async () => {
      for (const [body, status, field] of [
        [{}, 400, 'name'],
        [{ name: '' }, 400, 'name'],
        [{ name: null }, 400, 'name'],
        [{ name: ['x'] }, 400, 'name'],
        [{ name: 'x'.repeat(201) }, 400, 'name'],
        [{ name: 'Ok', description: 1 }, 400, 'description'],
        [{ name: 'Ok', groupId: 'g' }, 400, 'groupId'],
        [{ name: 'Ok', groupId: randomUUID() }, 404, 'groupId'],
        [{ name: 'Ok', groupId: foreign.group }, 404, 'groupId'],
        [{ name: 'Ok', hasSets: 'yes' }, 400, 'hasSets'],
        [{ name: 'Ok', hasSets: null }, 400, 'hasSets'],
        [{ name: 'Ok', metrics: 'Tempo' }, 400, 'metrics'],
        [{ name: 'Ok', metrics: null }, 400, 'metrics'],
        [{ name: 'Ok', metrics: [null] }, 400, 'metrics.0'],
        [{ name: 'Ok', metrics: [1, 2] }, 400, 'metrics.0'],
        [{ name: 'Ok', metrics: [1, 2, 3, 4].map((i) => ({ name: `M${i}`, unit: '' })) }, 400, 'metrics'],
        [{ name: 'Ok', metrics: [{ unit: 'u' }] }, 400, 'metrics.0.name'],
        [metric({ name: '  ' }), 400, 'metrics.0.name'],
        [metric({ name: 'x'.repeat(201) }), 400, 'metrics.0.name'],
        [{ name: 'Ok', metrics: [{ name: 'M' }] }, 400, 'metrics.0.unit'],
        [metric({ unit: 'x'.repeat(51) }), 400, 'metrics.0.unit'],
        [metric({ extra: 1 }), 400, 'metrics.0.extra'],
        [metric({ id: randomUUID() }), 400, 'metrics.0.id'],
        [metric({ min: 'low' }), 400, 'metrics.0.min'],
        [metric({ min: 10, max: 5 }), 400, 'metrics.0.max'],
        [metric({ isTopSetMetric: 'yes' }), 400, 'metrics.0.isTopSetMetric'],
        [metric({ higherIsBetter: null }), 400, 'metrics.0.higherIsBetter'],
        [{ name: 'Ok', metrics: [{ name: 'M', unit: '', isTopSetMetric: true }, { name: 'N', unit: '', isTopSetMetric: true }] }, 400, 'metrics.1.isTopSetMetric'],
        [{ name: 'Ok', metrics: [{ name: 'M', unit: '' }, { name: 'M', unit: 'kg' }] }, 400, 'metrics.1.name'],
        [{ name: 'Ok', splits: [1, 2, 3, 4, 5, 6].map((i) => ({ name: `S${i}` })) }, 400, 'splits'],
        [{ name: 'Ok', splits: [{}] }, 400, 'splits.0.name'],
        [{ name: 'Ok', splits: [{ name: 'x'.repeat(101) }] }, 400, 'splits.0.name'],
        [{ name: 'Ok', splits: [{ name: 'L' }, { name: 'L' }] }, 400, 'splits.1.name'],
        [{ name: 'Ok', splits: [{ name: 'L', order: 3 }] }, 400, 'splits.0.order'],
        [{ name: 'Ok', hasMetrics: false, metrics: [{ name: 'M', unit: '' }] }, 400, 'hasMetrics'],
        [{ name: 'Ok', hasMetrics: true }, 400, 'hasMetrics'],
        [{ name: 'Ok', hasSplits: true, splits: [] }, 400, 'hasSplits'],
        [{ name: 'Ok', id: randomUUID() }, 400, 'id'],
        [{ name: 'Ok', rootId: a.rootId }, 400, 'rootId'],
        [{ name: 'Ok', version: 1 }, 400, 'version'],
        [{ name: 'Ok', createdAt: '2026-01-01' }, 400, 'createdAt'],
        [{ name: 'Ok', recoveredFromLegacy: true }, 400, 'recoveredFromLegacy'],
        [{ name: 'Taken' }, 409, 'name'],
      ] as const) {
        expectRefusal(await a.call('POST', '/activities', body), status, field);
      }
      // JSON reads 1e400 as Infinity: not a finite number.
      const huge = await a.call('POST', '/activities', '{"name":"Ok","metrics":[{"name":"M","unit":"","max":1e400}]}', { 'content-type': 'application/json' });
      expectRefusal(huge, 400, 'metrics.0.max');
    });
  });

  it('lists live activities page by page, and by group', async () => {
    const group = (await a.call('POST', '/activity-groups', { name: 'Listing' })).json().id;
    for (const name of ['L1', 'L2', 'L3']) await create(a, { name, groupId: group });
    const all = await allPages(a, '/activities', 2);
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    expect(all.map((x) => x.name)).toEqual(expect.arrayContaining(['Scales', 'L1', 'L2', 'L3']));
    expect(all.map((x) => x.id)).not.toContain(foreign.activity);
    const grouped = await allPages(a, `/activities?groupId=${group}`, 2);
    expect(grouped.map((x) => x.name)).toEqual(['L1', 'L2', 'L3']);
    expect((await a.call('GET', `/activities?groupId=${foreign.group}`)).json()).toEqual({ items: [], nextCursor: null });
    for (const [query, field] of [['groupId=nope', 'groupId'], ['limit=500', 'limit'], ['cursor=%%%', 'cursor'], ['name=x', 'name']]) {
      expectRefusal(await a.call('GET', `/activities?${query}`), 400, field);
    }
  });

  it('answers unknown, malformed and foreign activities with the same 404, and writes nothing', async () => {
    const unknown = await a.call('GET', `/activities/${randomUUID()}`);
    expectRefusal(unknown, 404);
    await unchanged(t, a.rootId, async () => {
      for (const [method, path, body] of [
        ['GET', `/activities/${foreign.activity}`, undefined],
        ['GET', '/activities/not-an-id', undefined],
        ['PATCH', `/activities/${foreign.activity}`, { name: 'Mine now' }],
        ['DELETE', `/activities/${foreign.activity}`, undefined],
        ['GET', `/activities/${foreign.activity}/history`, undefined],
        ['GET', '/activities/not-an-id/history', undefined],
      ] as const) {
        const res = await a.call(method, path, body);
        expect({ path, status: res.statusCode, body: res.json() }).toEqual({ path, status: 404, body: unknown.json() });
      }
    });
  });

  describe('PATCH reconciles metrics and splits by id', () => {
    let activity: any;
    let p: ReturnType<typeof practice>;
    let tempo: string;
    let reps: string;
    let left: string;
    let right: string;

    beforeAll(async () => {
      activity = await create(a, { ...scales, name: 'Arpeggios' });
      [tempo, reps] = activity.metrics.map((m: { id: string }) => m.id);
      [left, right] = activity.splits.map((s: { id: string }) => s.id);
      p = practice(t, a.rootId);
      const session = await p.session('Monday', '2026-01-05T10:00:00Z');
      const instance = await p.instance(session, activity.id, '2026-01-05T10:05:00Z');
      await p.value(instance, tempo, 120, left);
    });

    it('deactivates what values name, soft-deletes the rest, renames, adds and reorders', async () => {
      const res = await a.call('PATCH', `/activities/${activity.id}`, {
        metrics: [{ id: reps, name: 'Repetitions', unit: 'x' }, { name: 'Accuracy', unit: '%', min: 0, max: 100 }],
        splits: [{ id: right, name: 'Right hand' }, { name: 'Both' }],
      });
      expect(res.statusCode).toBe(200);
      const view = res.json();
      expect(view.version).toBe(2);
      expect(view.metrics.map((m: any) => [m.id === reps ? 'reps' : 'new', m.name, m.unit, m.sortOrder])).toEqual([
        ['reps', 'Repetitions', 'x', 0],
        ['new', 'Accuracy', '%', 1],
      ]);
      expect(view.inactiveMetrics).toEqual([expect.objectContaining({ id: tempo, name: 'Tempo', isActive: false })]);
      expect(view.splits.map((s: any) => [s.name, s.order])).toEqual([['Right hand', 0], ['Both', 1]]);
      expect(view.inactiveSplits).toEqual([expect.objectContaining({ id: left, isActive: false })]);
      expect(await p.row('metric_definitions', tempo)).toMatchObject({ deleted_at: null });
      expect(await p.row('split_definitions', left)).toMatchObject({ deleted_at: null });

      const accuracy = view.metrics[1].id;
      const dropped = await a.call('PATCH', `/activities/${activity.id}`, { metrics: [{ id: reps, name: 'Repetitions', unit: 'x' }] });
      expect(dropped.json().metrics.map((m: any) => m.id)).toEqual([reps]);
      expect(dropped.json().inactiveMetrics.map((m: any) => m.id)).toEqual([tempo]);
      const row = await p.row('metric_definitions', accuracy);
      expect(row.deleted_at).not.toBeNull();
      expect(row.deletion_id).not.toBeNull();
    });

    it('brings an inactive metric back by its id, and lets two metrics swap names', async () => {
      const res = await a.call('PATCH', `/activities/${activity.id}`, {
        metrics: [{ id: tempo, name: 'Repetitions', unit: 'bpm' }, { id: reps, name: 'Tempo', unit: 'x' }],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().metrics.map((m: any) => [m.id, m.name, m.isActive])).toEqual([
        [tempo, 'Repetitions', true],
        [reps, 'Tempo', true],
      ]);
      // Omitted flags keep their values: Tempo's bounds and top-set flag survived the renames.
      expect(res.json().metrics[0]).toMatchObject({ isTopSetMetric: true, min: 30, max: 300 });
      expect(res.json().inactiveMetrics).toEqual([]);
    });

    it('refuses bad reconciliations, naming the field, and writes nothing', async () => {
      const other = await create(a, { name: 'Other', metrics: [{ name: 'Other metric', unit: '' }], splits: [{ name: 'Up' }] });
      // Leave Tempo (with values) out: it is inactive, and its name stays taken.
      await a.call('PATCH', `/activities/${activity.id}`, { metrics: [{ id: reps, name: 'Tempo 2', unit: 'x' }] });
      const current = (await a.call('GET', `/activities/${activity.id}`)).json();
      const inactiveName = current.inactiveMetrics[0].name;
      await unchanged(t, a.rootId, async () => {
        for (const [body, status, field] of [
          [{ metrics: [{ id: other.metrics[0].id, name: 'X', unit: '' }] }, 404, 'metrics.0.id'],
          [{ metrics: [{ id: foreign.metric, name: 'X', unit: '' }] }, 404, 'metrics.0.id'],
          [{ metrics: [{ id: randomUUID(), name: 'X', unit: '' }] }, 404, 'metrics.0.id'],
          [{ metrics: [{ id: 'm1', name: 'X', unit: '' }] }, 400, 'metrics.0.id'],
          [{ metrics: [{ id: null, name: 'X', unit: '' }] }, 400, 'metrics.0.id'],
          [{ metrics: [{ id: reps, name: 'A', unit: '' }, { id: reps, name: 'B', unit: '' }] }, 400, 'metrics.1.id'],
          [{ metrics: [{ name: inactiveName, unit: '' }] }, 409, 'metrics.0.name'],
          [{ metrics: [{ id: reps, name: 'A', unit: '', min: 5, max: 1 }] }, 400, 'metrics.0.max'],
          [{ metrics: [1, 2, 3, 4].map((i) => ({ name: `N${i}`, unit: '' })) }, 400, 'metrics'],
          [{ metrics: null }, 400, 'metrics'],
          [{ splits: [{ id: other.splits[0].id, name: 'Up' }] }, 404, 'splits.0.id'],
          [{ splits: [{ id: foreign.split, name: 'Up' }] }, 404, 'splits.0.id'],
          [{ splits: [{ name: 'A' }, { name: 'A' }] }, 400, 'splits.1.name'],
          [{ splits: [1, 2, 3, 4, 5, 6].map((i) => ({ name: `S${i}` })) }, 400, 'splits'],
          [{ hasSplits: false }, 400, 'hasSplits'],
          [{ splits: [] }, 400, 'splits'],
          [{ hasMetrics: false }, 400, 'hasMetrics'],
          [{ groupId: foreign.group }, 404, 'groupId'],
          [{ name: 'Other' }, 409, 'name'],
          [{ name: null }, 400, 'name'],
          [{ hasSets: null }, 400, 'hasSets'],
          [{ version: 7 }, 400, 'version'],
          [{ deletedAt: null }, 400, 'deletedAt'],
        ] as const) {
          expectRefusal(await a.call('PATCH', `/activities/${activity.id}`, body), status, field);
        }
        expectRefusal(await a.call('PATCH', `/activities/${activity.id}`, { name: 'Stale' }, { 'if-match': '"1"' }), 412);
      });
    });

    it('turns splits off together with hasSplits, and takes If-Match', async () => {
      const version = (await a.call('GET', `/activities/${activity.id}`)).json().version;
      const res = await a.call('PATCH', `/activities/${activity.id}`, { hasSplits: false, splits: [] }, { 'if-match': `"${version}"` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ hasSplits: false, splits: [], version: version + 1 });
      // Left still has a value: kept, inactive. Both had none: soft-deleted.
      expect(res.json().inactiveSplits.map((s: any) => s.id)).toContain(left);
      expect(res.json().inactiveSplits.map((s: any) => s.name)).not.toContain('Both');
    });

    it('lets an adopted activity that says it has splits, without any, be renamed', async () => {
      const legacy = randomUUID();
      await sqlOf(t)(`INSERT INTO activity_definitions (id, root_id, name, has_splits, has_metrics) VALUES (?, ?, 'Legacy', ?, ?)`, [
        legacy,
        a.rootId,
        t.db.engine === 'postgres' ? true : 1,
        t.db.engine === 'postgres' ? true : 1,
      ]);
      const res = await a.call('PATCH', `/activities/${legacy}`, { name: 'Legacy renamed', description: 'kept flags' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Legacy renamed', hasSplits: true, splits: [], version: 2 });
    });
  });

  describe('history and delete', () => {
    let activity: any;
    let p: ReturnType<typeof practice>;
    const instances: string[] = [];
    let deletedSession: string;

    beforeAll(async () => {
      activity = await create(a, { name: 'Sight reading', metrics: [{ name: 'Bars', unit: 'bars' }], splits: [{ name: 'Treble' }] });
      p = practice(t, a.rootId);
      for (const [i, day] of ['2026-02-01', '2026-02-02', '2026-02-03'].entries()) {
        const session = await p.session(`Session ${i}`, `${day}T09:00:00Z`, { completed: i < 2 });
        const instance = await p.instance(session, activity.id, `${day}T09:10:00Z`, { durationSeconds: 300 + i });
        await p.value(instance, activity.metrics[0].id, 10 + i, activity.splits[0].id);
        instances.push(instance);
      }
      deletedSession = await p.session('Deleted', '2026-02-04T09:00:00Z');
      await p.instance(deletedSession, activity.id, '2026-02-04T09:10:00Z');
      await sqlOf(t)(`UPDATE goals SET deleted_at = created_at, deletion_id = ? WHERE id = ?`, [randomUUID(), deletedSession]);
    });

    it('lists its instances newest first, each with its session and values, page by page', async () => {
      const page = await a.call('GET', `/activities/${activity.id}/history?limit=200`);
      expect(page.statusCode).toBe(200);
      const items = page.json().items;
      expect(items.map((i: any) => i.id)).toEqual([...instances].reverse());
      expect(items[0]).toEqual({
        id: instances[2],
        session: { id: expect.any(String), name: 'Session 2', sessionStart: '2026-02-03T09:00:00.000Z', sessionEnd: null, completed: false },
        date: '2026-02-03T09:00:00.000Z',
        timeStart: null,
        timeStop: null,
        durationSeconds: 302,
        completed: false,
        notes: null,
        values: [{ id: expect.any(String), metricId: activity.metrics[0].id, metricName: 'Bars', unit: 'bars', splitId: activity.splits[0].id, splitName: 'Treble', value: 12 }],
      });
      expect((await allPages(a, `/activities/${activity.id}/history`, 1)).map((i) => i.id)).toEqual([...instances].reverse());
      expectRefusal(await a.call('GET', `/activities/${activity.id}/history?limit=0`), 400, 'limit');
      expectRefusal(await a.call('GET', `/activities/${activity.id}/history?cursor=x`), 400, 'cursor');
    });

    it('shows values of a metric that was left out under its name', async () => {
      await a.call('PATCH', `/activities/${activity.id}`, { metrics: [{ name: 'Errors', unit: '' }] });
      const items = (await a.call('GET', `/activities/${activity.id}/history`)).json().items;
      expect(items[0].values[0]).toMatchObject({ metricName: 'Bars', value: 12 });
    });

    it('soft-deletes the activity with its goal links; its instances and values stay', async () => {
      const goal = await p.session('Linked', '2026-02-05T09:00:00Z');
      const link = randomUUID();
      await sqlOf(t)(`INSERT INTO goal_activities (id, root_id, goal_id, activity_id) VALUES (?, ?, ?, ?)`, [link, a.rootId, goal, activity.id]);
      const version = (await a.call('GET', `/activities/${activity.id}`)).json().version;
      await unchanged(t, a.rootId, async () => expectRefusal(await a.call('DELETE', `/activities/${activity.id}`, undefined, { 'if-match': `"${version - 1}"` }), 412));
      expect((await a.call('DELETE', `/activities/${activity.id}`, undefined, { 'if-match': `"${version}"` })).statusCode).toBe(204);
      expectRefusal(await a.call('GET', `/activities/${activity.id}`), 404);
      expectRefusal(await a.call('GET', `/activities/${activity.id}/history`), 404);
      expectRefusal(await a.call('DELETE', `/activities/${activity.id}`), 404);
      const row = await p.row('activity_definitions', activity.id);
      expect(row.deleted_at).not.toBeNull();
      expect((await p.row('goal_activities', link)).deletion_id).toBe(row.deletion_id);
      for (const id of instances) expect(await p.row('activity_instances', id)).toMatchObject({ deleted_at: null, activity_definition_id: activity.id });
      const values = await sqlOf(t)(`SELECT count(*) AS n FROM metric_values WHERE activity_instance_id IN (?, ?, ?) AND deleted_at IS NULL`, instances);
      expect(Number(values[0].n)).toBe(3);
      expect(await p.row('metric_definitions', activity.metrics[0].id)).toMatchObject({ deleted_at: null });
      const list = await allPages(a, '/activities', 200);
      expect(list.map((x) => x.id)).not.toContain(activity.id);
      expect((await a.call('POST', '/activities', { name: 'Sight reading' })).statusCode).toBe(201);
    });
  });

  it('honours an Idempotency-Key on POST', async () => {
    const post = (name: string) => a.call('POST', '/activities', { name }, { 'idempotency-key': 'activity-key' });
    const first = await post('Idempotent');
    const again = await post('Idempotent');
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(again.json().id).toBe(first.json().id);
    await unchanged(t, a.rootId, async () => expectRefusal(await post('Other body'), 422));
  });
});
