import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, chain, goalApi, practice } from './helpers';

const fields = (res: { json(): { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);

describeDb('goal tree: read, create, patch', () => {
  let api: Api;
  beforeAll(async () => {
    api = await goalApi();
  });
  afterAll(async () => api?.t.close());

  it('answers the whole tree nested, each level by sortOrder then createdAt, sessions only when asked', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const second = await c.add(root, 'LongTermGoal', 'Second');
    const first = await c.add(root, 'LongTermGoal', 'First');
    expect((await api.req('PATCH', api.at(root, `/goals/${first}`), { sortOrder: 0 })).statusCode).toBe(200);
    expect((await api.req('PATCH', api.at(root, `/goals/${c.ltg}`), { sortOrder: 1 })).statusCode).toBe(200);
    expect((await api.req('PATCH', api.at(root, `/goals/${second}`), { sortOrder: 1 })).statusCode).toBe(200);
    const session = await practice(api, root).session(c.stg, '2026-03-01T10:00:00Z');

    const res = await api.req('GET', api.at(root, '/goals'));
    expect(res.statusCode).toBe(200);
    const tree = res.json();
    expect(tree).toMatchObject({ id: root, type: 'UltimateGoal', parentId: null });
    expect(tree.children.map((g: { name: string }) => g.name)).toEqual(['First', 'Long', 'Second']);
    const stg = tree.children[1].children[0].children[0];
    expect(stg).toMatchObject({ id: c.stg, type: 'ShortTermGoal', children: [] });

    const withSessions = (await api.req('GET', api.at(root, '/goals?include=sessions'))).json();
    expect(withSessions.children[1].children[0].children[0].children).toEqual([expect.objectContaining({ id: session, type: 'PracticeSession' })]);

    for (const [query, field] of [['include=everything', 'include'], ['sort=name', 'sort'], ['include=sessions&include=sessions', 'include']]) {
      const bad = await api.req('GET', api.at(root, `/goals?${query}`));
      expect({ query, status: bad.statusCode }).toEqual({ query, status: 400 });
      expect(fields(bad)).toContain(field);
    }
  });

  it('answers one goal with its subtree, breadcrumb and targets, and an ETag', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const res = await api.req('GET', api.at(root, `/goals/${c.mtg}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      id: c.mtg,
      breadcrumb: [
        { id: root, type: 'UltimateGoal' },
        { id: c.ltg, type: 'LongTermGoal', name: 'Long' },
      ],
      children: [expect.objectContaining({ id: c.stg })],
      targets: [],
    });
    for (const id of [randomUUID(), 'not-an-id', 'x'.repeat(150)]) {
      const missing = await api.req('GET', api.at(root, `/goals/${id}`));
      expect({ id, status: missing.statusCode }).toEqual({ id, status: 404 });
      expect(missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Goal not found' });
    }
  });

  it('creates a child one level below its parent, appended after its siblings', async () => {
    const root = await api.newRoot();
    const res = await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: '  Play jazz  ', description: 'By ear', relevance: 'Joy', deadline: '2027-01-01T00:00:00.000Z' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      parentId: root, type: 'LongTermGoal', name: 'Play jazz', description: 'By ear', relevance: 'Joy', sortOrder: 0,
      completed: false, completionSource: null, paused: false, version: 1, changed: { goals: [], targets: [] },
    });
    expect(new Date(res.json().deadline).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const next = await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: 'Next' });
    expect(next.json().sortOrder).toBe(1);
    for (const key of ['rootId', 'userId', 'createdBy', 'deletedAt', 'deletionId']) expect(res.json()).not.toHaveProperty(key);
  });

  it('refuses each kind of bad input to create with a 4xx naming it, and writes nothing', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    // Another root's ids: the same user's other root (another user's is the isolation matrix's).
    const foreign = await chain(api, await api.newRoot());
    const before = await api.snapshot(root);
    const cases: [unknown, number, string | RegExp][] = [
      [{}, 400, 'parentId'],
      [{ parentId: root, type: 'LongTermGoal' }, 400, 'name'],
      [{ parentId: root, name: 'x' }, 400, 'type'],
      [{ parentId: root, type: 'LongTermGoal', name: '' }, 400, 'name'],
      [{ parentId: root, type: 'LongTermGoal', name: 5 }, 400, 'name'],
      [{ parentId: 7, type: 'LongTermGoal', name: 'x' }, 400, 'parentId'],
      [{ parentId: root, type: 'WeeklyGoal', name: 'x' }, 400, 'type'],
      [{ parentId: root, type: 'LongTermGoal', name: 'x', deadline: 'soon' }, 400, 'deadline'],
      [{ parentId: root, type: 'LongTermGoal', name: 'x', description: 3 }, 400, 'description'],
      [{ parentId: root, type: 'LongTermGoal', name: 'x', extra: true }, 400, 'extra'],
      [{ parentId: root, type: 'LongTermGoal', name: 'x', id: randomUUID() }, 400, 'id'],
      [{ parentId: root, type: 'LongTermGoal', name: 'x', rootId: root }, 400, 'rootId'],
      [{ parentId: root, type: 'LongTermGoal', name: 'x', version: 3 }, 400, 'version'],
      [{ parentId: root, type: 'MidTermGoal', name: 'x' }, 400, 'type'],
      [{ parentId: c.stg, type: 'PracticeSession', name: 'x' }, 400, 'type'],
      [{ parentId: c.stg, type: 'ImmediateGoal', name: 'x' }, 400, 'type'],
      [{ parentId: randomUUID(), type: 'LongTermGoal', name: 'x' }, 404, 'parentId'],
      [{ parentId: foreign.ltg, type: 'MidTermGoal', name: 'x' }, 404, 'parentId'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await api.req('POST', api.at(root, '/goals'), payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status });
      expect(fields(res)).toContain(field);
    }
    const msg = (await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'MidTermGoal', name: 'x' })).json();
    expect(msg.details[0].message).toBe('type must be LongTermGoal under a UltimateGoal');
    expect(await api.snapshot(root)).toBe(before);
  });

  it("keeps a child's deadline within its parent's, and moves later ones along when the parent's moves earlier", async () => {
    const root = await api.newRoot();
    const ltg = (await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: 'L', deadline: '2027-06-01T00:00:00Z' })).json().id;
    const late = await api.req('POST', api.at(root, '/goals'), { parentId: ltg, type: 'MidTermGoal', name: 'M', deadline: '2027-07-01T00:00:00Z' });
    expect(late.statusCode).toBe(400);
    expect(fields(late)).toEqual(['deadline']);
    const mtg = (await api.req('POST', api.at(root, '/goals'), { parentId: ltg, type: 'MidTermGoal', name: 'M', deadline: '2027-05-01T00:00:00Z' })).json().id;
    const stg = (await api.req('POST', api.at(root, '/goals'), { parentId: mtg, type: 'ShortTermGoal', name: 'S', deadline: '2027-04-01T00:00:00Z' })).json().id;
    const early = (await api.req('POST', api.at(root, '/goals'), { parentId: mtg, type: 'ShortTermGoal', name: 'Early', deadline: '2027-01-01T00:00:00Z' })).json().id;

    const tooLate = await api.req('PATCH', api.at(root, `/goals/${mtg}`), { deadline: '2027-08-01T00:00:00Z' });
    expect(tooLate.statusCode).toBe(400);
    expect(fields(tooLate)).toEqual(['deadline']);

    const res = await api.req('PATCH', api.at(root, `/goals/${ltg}`), { deadline: '2027-02-01T00:00:00Z' });
    expect(res.statusCode).toBe(200);
    expect(res.json().changed.goals.map((g: { id: string; change: string }) => [g.id, g.change]).sort()).toEqual([[mtg, 'deadline'], [stg, 'deadline']].sort());
    for (const id of [mtg, stg]) {
      expect(new Date((await api.req('GET', api.at(root, `/goals/${id}`))).json().deadline).toISOString()).toBe('2027-02-01T00:00:00.000Z');
    }
    expect(new Date((await api.req('GET', api.at(root, `/goals/${early}`))).json().deadline).toISOString()).toBe('2027-01-01T00:00:00.000Z');

    // The root's own PATCH keeps the rule too.
    const rootRes = await api.req('PATCH', `/api/roots/${root}`, { deadline: '2026-12-01T00:00:00Z' });
    expect(rootRes.statusCode).toBe(200);
    expect(rootRes.json().changed.goals.map((g: { id: string }) => g.id).sort()).toEqual([ltg, mtg, stg, early].sort());
  });

  it('patches name, description, relevance, sortOrder with If-Match, and refuses bad input writing nothing', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const ok = await api.req('PATCH', api.at(root, `/goals/${c.ltg}`), { name: 'Longer', description: null, relevance: 'because', sortOrder: 4 }, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Longer', description: null, relevance: 'because', sortOrder: 4, version: 2 });
    expect(ok.headers.etag).toBe('"2"');
    const before = await api.snapshot(root);
    const stale = await api.req('PATCH', api.at(root, `/goals/${c.ltg}`), { name: 'Lost' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    const foreignRoot = await api.newRoot();
    const foreign = await chain(api, foreignRoot);
    const foreignBefore = await api.snapshot(foreignRoot);
    for (const [payload, status, field] of [
      [{ name: '' }, 400, 'name'],
      [{ name: 3 }, 400, 'name'],
      [{ sortOrder: -1 }, 400, 'sortOrder'],
      [{ sortOrder: 'first' }, 400, 'sortOrder'],
      [{ deadline: 12 }, 400, 'deadline'],
      [{ parentId: root }, 400, 'parentId'],
      [{ type: 'MidTermGoal' }, 400, 'type'],
      [{ completed: true }, 400, 'completed'],
      [{ userId: api.userId }, 400, 'userId'],
      [{ name: null }, 400, 'name'],
      [{ sortOrder: null }, 400, 'sortOrder'],
    ] as [unknown, number, string][]) {
      const res = await api.req('PATCH', api.at(root, `/goals/${c.ltg}`), payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status });
      expect(fields(res)).toContain(field);
    }
    expect((await api.req('PATCH', api.at(root, `/goals/${randomUUID()}`), { name: 'x' })).statusCode).toBe(404);
    expect((await api.req('PATCH', api.at(root, `/goals/${foreign.ltg}`), { name: 'x' })).statusCode).toBe(404);
    expect(await api.snapshot(root)).toBe(before);
    expect(await api.snapshot(foreignRoot)).toBe(foreignBefore);
  });

  it('refuses null for what cannot be cleared, on goals, levels, targets and the root', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const activity = await practice(api, root).activity('Scales', ['bpm']);
    const target = (await api.req('POST', api.at(root, `/goals/${c.stg}/targets`), { activityId: activity.id, kind: 'sum', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 1e9 }] })).json();
    const before = await api.snapshot(root);
    const cases: [string, string, unknown, string][] = [
      ['POST', `/goals/${c.ltg}/move`, { parentId: root, position: null }, 'position'],
      ['PATCH', '/levels/LongTermGoal', { displayName: null }, 'displayName'],
      ['PATCH', '/levels/LongTermGoal', { color: null }, 'color'],
      ['PATCH', '/levels/LongTermGoal', { allowManualCompletion: null }, 'allowManualCompletion'],
      ['PATCH', `/goals/${c.stg}/targets/${target.id}`, { activityId: null }, 'activityId'],
      ['PATCH', `/goals/${c.stg}/targets/${target.id}`, { kind: null }, 'kind'],
      ['PATCH', `/goals/${c.stg}/targets/${target.id}`, { conditions: null }, 'conditions'],
      ['POST', `/goals/${c.stg}/targets`, { activityId: activity.id, kind: 'frequency', conditions: [], count: null, periodDays: 7 }, 'count'],
    ];
    for (const [method, path, payload, field] of cases) {
      const res = await api.req(method, api.at(root, path), payload);
      expect({ path, payload, status: res.statusCode }).toEqual({ path, payload, status: 400 });
      expect(fields(res)).toContain(field);
    }
    for (const [payload, field] of [[{ name: null }, 'name'], [{ type: null }, 'type'], [{ completed: null }, 'completed']] as [unknown, string][]) {
      const res = await api.req('PATCH', `/api/roots/${root}`, payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(fields(res)).toContain(field);
    }
    expect(await api.snapshot(root)).toBe(before);
  });

  it('applies the level settings: descriptionRequired, maxChildren and defaultDeadlineOffsetDays', async () => {
    const root = await api.newRoot();
    expect((await api.req('PATCH', api.at(root, '/levels/LongTermGoal'), { descriptionRequired: true, defaultDeadlineOffsetDays: 30 })).statusCode).toBe(200);
    expect((await api.req('PATCH', api.at(root, '/levels/UltimateGoal'), { maxChildren: 1 })).statusCode).toBe(200);
    const before = await api.snapshot(root);
    const noDescription = await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: 'L' });
    expect(noDescription.statusCode).toBe(400);
    expect(fields(noDescription)).toEqual(['description']);
    expect(await api.snapshot(root)).toBe(before);
    const made = await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: 'L', description: 'why' });
    expect(made.statusCode).toBe(201);
    const days = (new Date(made.json().deadline).getTime() - Date.now()) / 86400e3;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const full = await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: 'Two', description: 'why' });
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toMatch(/at most 1 children/);
    const clear = await api.req('PATCH', api.at(root, `/goals/${made.json().id}`), { description: '' });
    expect(clear.statusCode).toBe(400);
    expect(fields(clear)).toEqual(['description']);
  });

  it('maxChildren holds when requests race for the last place', async () => {
    const root = await api.newRoot();
    await api.req('PATCH', api.at(root, '/levels/UltimateGoal'), { maxChildren: 1 });
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((name) => api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect((await api.req('GET', api.at(root, '/goals'))).json().children).toHaveLength(1);
  });

  it('idempotency: a retried create with the same key adds one goal', async () => {
    const root = await api.newRoot();
    const post = (name: string) => api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name }, { 'idempotency-key': 'create-once' });
    const first = await post('Once');
    const retry = await post('Once');
    expect(retry.json().id).toBe(first.json().id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await post('Other')).statusCode).toBe(422);
    expect((await api.req('GET', api.at(root, '/goals'))).json().children).toHaveLength(1);
  });
});
