import { randomUUID } from 'node:crypto';
import { describeDb, TestApp } from '../helpers/db';
import { allPages, appWithTwoUsers, expectRefusal, practice, RootClient, sqlOf, unchanged } from './helpers';

describeDb('goal activities', () => {
  let t: TestApp;
  let a: RootClient;
  let b: RootClient;
  const goal: Record<string, string> = {};
  const act: Record<string, string> = {};
  const grp: Record<string, string> = {};
  let foreign: { goal: string; activity: string; group: string };

  const post = async (c: RootClient, path: string, body: object) => {
    const res = await c.call('POST', path, body);
    expect({ path, status: res.statusCode, body: res.json() }).toMatchObject({ status: 201 });
    return res.json().id as string;
  };
  const chain = async (rootId: string) => {
    const ids: Record<string, string> = {};
    let parent = rootId;
    for (const type of ['LongTermGoal', 'MidTermGoal', 'ShortTermGoal']) {
      const id = randomUUID();
      await sqlOf(t)(`INSERT INTO goals (id, root_id, parent_id, type, name) VALUES (?, ?, ?, ?, ?)`, [id, rootId, parent, type, type]);
      ids[type] = parent = id;
    }
    return ids;
  };
  const names = (items: { name: string }[]) => items.map((i) => i.name).sort();
  const put = (id: string, body: object, headers?: Record<string, string>) => a.call('PUT', `/goals/${id}/activities`, body, headers);

  beforeAll(async () => {
    ({ t, a, b } = await appWithTwoUsers());
    Object.assign(goal, await chain(a.rootId));
    grp.G = await post(a, '/activity-groups', { name: 'G' });
    grp.S = await post(a, '/activity-groups', { name: 'S', parentId: grp.G });
    grp.H = await post(a, '/activity-groups', { name: 'H' });
    act.A1 = await post(a, '/activities', { name: 'A1' });
    act.A2 = await post(a, '/activities', { name: 'A2', groupId: grp.G });
    act.A3 = await post(a, '/activities', { name: 'A3', groupId: grp.S });
    act.A4 = await post(a, '/activities', { name: 'A4', groupId: grp.H });
    act.A5 = await post(a, '/activities', { name: 'A5' });
    const bGoals = await chain(b.rootId);
    foreign = {
      goal: bGoals.ShortTermGoal,
      activity: await post(b, '/activities', { name: 'B activity' }),
      group: await post(b, '/activity-groups', { name: 'B group' }),
    };
  });
  afterAll(async () => t?.close());

  it('links activities and groups to a goal, and answers its own links with the goal version', async () => {
    const res = await put(goal.ShortTermGoal, { activityIds: [act.A1], groupIds: [grp.G] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ goalId: goal.ShortTermGoal, activityIds: [act.A1], groupIds: [grp.G], inheritParentActivities: false, version: 2 });
    expect(res.headers.etag).toBe('"2"');
  });

  it('answers the effective list: own links, and its groups’ activities with nested groups, each with its sources', async () => {
    const res = await a.call('GET', `/goals/${goal.ShortTermGoal}/activities`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const body = res.json();
    expect(body).toMatchObject({ goalId: goal.ShortTermGoal, activityIds: [act.A1], groupIds: [grp.G], inheritParentActivities: false, version: 2, nextCursor: null });
    expect(names(body.items)).toEqual(['A1', 'A2', 'A3']);
    const byName = Object.fromEntries(body.items.map((i: any) => [i.name, i]));
    expect(byName.A1.sources).toEqual([{ goalId: goal.ShortTermGoal, groupId: null }]);
    expect(byName.A3.sources).toEqual([{ goalId: goal.ShortTermGoal, groupId: grp.G }]);
    expect(byName.A2).toMatchObject({ metrics: [], splits: [], groupId: grp.G });
  });

  it('adds its parent’s when it inherits, up the tree while each goal inherits', async () => {
    expect((await put(goal.MidTermGoal, { activityIds: [act.A5], groupIds: [] })).statusCode).toBe(200);
    expect((await put(goal.LongTermGoal, { activityIds: [act.A4], groupIds: [] })).statusCode).toBe(200);
    const inherit = await put(goal.ShortTermGoal, { activityIds: [act.A1, act.A2], groupIds: [grp.G], inheritParentActivities: true });
    expect(inherit.json()).toMatchObject({ inheritParentActivities: true, version: 3 });
    let items = (await a.call('GET', `/goals/${goal.ShortTermGoal}/activities`)).json().items;
    expect(names(items)).toEqual(['A1', 'A2', 'A3', 'A5']);
    const a2 = items.find((i: any) => i.name === 'A2');
    expect(a2.sources).toEqual([{ goalId: goal.ShortTermGoal, groupId: null }, { goalId: goal.ShortTermGoal, groupId: grp.G }]);
    expect(items.find((i: any) => i.name === 'A5').sources).toEqual([{ goalId: goal.MidTermGoal, groupId: null }]);
    // The flag stays when a later PUT leaves it out; the middle goal now inherits too.
    await put(goal.MidTermGoal, { activityIds: [act.A5], groupIds: [], inheritParentActivities: true });
    expect((await put(goal.ShortTermGoal, { activityIds: [act.A1, act.A2], groupIds: [grp.G] })).json().inheritParentActivities).toBe(true);
    items = await allPages(a, `/goals/${goal.ShortTermGoal}/activities`, 2);
    expect(names(items)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
  });

  it('replaces the links: one left out is soft-deleted, one named again is a new link', async () => {
    const p = practice(t, a.rootId);
    const before = await sqlOf(t)(`SELECT id FROM goal_activities WHERE goal_id = ? AND activity_id = ? AND deleted_at IS NULL`, [goal.ShortTermGoal, act.A1]);
    const res = await put(goal.ShortTermGoal, { activityIds: [act.A2], groupIds: [], inheritParentActivities: false });
    expect(res.json()).toMatchObject({ activityIds: [act.A2], groupIds: [] });
    expect((await p.row('goal_activities', before[0].id)).deleted_at).not.toBeNull();
    expect(names((await a.call('GET', `/goals/${goal.ShortTermGoal}/activities`)).json().items)).toEqual(['A2']);
    expect((await put(goal.ShortTermGoal, { activityIds: [act.A2, act.A1], groupIds: [grp.G] })).json().activityIds).toEqual([act.A2, act.A1]);
    const live = await sqlOf(t)(`SELECT id FROM goal_activities WHERE goal_id = ? AND activity_id = ? AND deleted_at IS NULL`, [goal.ShortTermGoal, act.A1]);
    expect(live).toHaveLength(1);
    expect(live[0].id).not.toBe(before[0].id);
  });

  it('leaves out deleted activities and the activities of deleted groups', async () => {
    const gone = await post(a, '/activities', { name: 'Gone', groupId: grp.S });
    expect(names((await a.call('GET', `/goals/${goal.ShortTermGoal}/activities?limit=200`)).json().items)).toContain('Gone');
    expect((await a.call('DELETE', `/activities/${gone}`)).statusCode).toBe(204);
    expect(names((await a.call('GET', `/goals/${goal.ShortTermGoal}/activities?limit=200`)).json().items)).not.toContain('Gone');
    const h = await post(a, '/activity-groups', { name: 'Temporary' });
    await post(a, '/activities', { name: 'In temporary', groupId: h });
    await put(goal.MidTermGoal, { activityIds: [], groupIds: [h], inheritParentActivities: false });
    expect(names((await a.call('GET', `/goals/${goal.MidTermGoal}/activities`)).json().items)).toEqual(['In temporary']);
    expect((await a.call('DELETE', `/activity-groups/${h}`)).statusCode).toBe(204);
    const after = (await a.call('GET', `/goals/${goal.MidTermGoal}/activities`)).json();
    expect(after).toMatchObject({ groupIds: [], items: [] });
  });

  it('refuses bad bodies and ids, naming the field, and writes nothing', async () => {
    const session = await practice(t, a.rootId).session('A session', '2026-03-01T10:00:00Z');
    const deleted = await post(a, '/activities', { name: 'Deleted one' });
    await a.call('DELETE', `/activities/${deleted}`);
    const version = (await a.call('GET', `/goals/${goal.ShortTermGoal}/activities`)).json().version;
    await unchanged(t, a.rootId, async () => {
      for (const [body, status, field] of [
        [{}, 400, 'activityIds'],
        [{ activityIds: [] }, 400, 'groupIds'],
        [{ activityIds: 'all', groupIds: [] }, 400, 'activityIds'],
        [{ activityIds: ['x'], groupIds: [] }, 400, 'activityIds'],
        [{ activityIds: [act.A1, act.A1], groupIds: [] }, 400, 'activityIds'],
        [{ activityIds: [], groupIds: [grp.G, grp.G] }, 400, 'groupIds'],
        [{ activityIds: [], groupIds: [], inheritParentActivities: 'yes' }, 400, 'inheritParentActivities'],
        [{ activityIds: [], groupIds: [], inheritParentActivities: null }, 400, 'inheritParentActivities'],
        [{ activityIds: [], groupIds: [], goalId: goal.MidTermGoal }, 400, 'goalId'],
        [{ activityIds: [], groupIds: [], version: 9 }, 400, 'version'],
        [{ activityIds: [act.A1, randomUUID()], groupIds: [] }, 404, 'activityIds.1'],
        [{ activityIds: [foreign.activity], groupIds: [] }, 404, 'activityIds.0'],
        [{ activityIds: [deleted], groupIds: [] }, 404, 'activityIds.0'],
        [{ activityIds: [], groupIds: [foreign.group] }, 404, 'groupIds.0'],
        [{ activityIds: [], groupIds: [randomUUID()] }, 404, 'groupIds.0'],
      ] as const) {
        expectRefusal(await put(goal.ShortTermGoal, body), status, field);
      }
      const foreignBody = await put(goal.ShortTermGoal, { activityIds: [foreign.activity], groupIds: [] });
      const unknownBody = await put(goal.ShortTermGoal, { activityIds: [randomUUID()], groupIds: [] });
      expect(foreignBody.json()).toEqual(unknownBody.json());
      expectRefusal(await put(a.rootId, { activityIds: [], groupIds: [], inheritParentActivities: true }), 400, 'inheritParentActivities');
      expectRefusal(await put(session, { activityIds: [act.A1], groupIds: [] }), 409);
      expectRefusal(await put(goal.ShortTermGoal, { activityIds: [], groupIds: [] }, { 'if-match': `"${version - 1}"` }), 412);
      const unknown = await put(randomUUID(), { activityIds: [], groupIds: [] });
      expectRefusal(unknown, 404);
      for (const id of [foreign.goal, 'not-an-id']) {
        const res = await put(id, { activityIds: [], groupIds: [] });
        expect({ id, status: res.statusCode, body: res.json() }).toEqual({ id, status: 404, body: unknown.json() });
        const read = await a.call('GET', `/goals/${id}/activities`);
        expect({ id, status: read.statusCode, body: read.json() }).toEqual({ id, status: 404, body: unknown.json() });
      }
      expectRefusal(await a.call('GET', `/goals/${goal.ShortTermGoal}/activities?limit=201`), 400, 'limit');
      expectRefusal(await a.call('GET', `/goals/${goal.ShortTermGoal}/activities?cursor=zz`), 400, 'cursor');
    });
    const current = await put(goal.ShortTermGoal, { activityIds: [act.A1], groupIds: [] }, { 'if-match': `"${version}"` });
    expect(current.json()).toMatchObject({ activityIds: [act.A1], version: version + 1 });
  });
});
