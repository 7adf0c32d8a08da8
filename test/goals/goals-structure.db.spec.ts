import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, chain, goalApi, practice } from './helpers';

const fields = (res: { json(): { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);
type Node = { id: string; name: string; sortOrder: number; children: Node[] };
const names = (node: Node): unknown => ({ [node.name]: node.children.map(names) });

describeDb('goal tree: move, copy, delete, restore', () => {
  let api: Api;
  beforeAll(async () => {
    api = await goalApi('structure@example.com');
  });
  afterAll(async () => api?.t.close());

  const tree = async (root: string, include = '') => (await api.req('GET', api.at(root, `/goals${include}`))).json() as Node;

  it('moves a goal with its subtree under another parent of the level above, at a position', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const other = await c.add(root, 'LongTermGoal', 'Other');
    const a = await c.add(other, 'MidTermGoal', 'A');
    const b = await c.add(other, 'MidTermGoal', 'B');
    const res = await api.req('POST', api.at(root, `/goals/${c.mtg}/move`), { parentId: other, position: 1 }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: c.mtg, parentId: other, version: 2 });
    const t = await tree(root);
    expect(names(t)).toEqual({ [t.name]: [{ Long: [] }, { Other: [{ A: [] }, { Mid: [{ Short: [] }] }, { B: [] }] }] });
    // Moving within the same parent reorders.
    expect((await api.req('POST', api.at(root, `/goals/${b}/move`), { parentId: other, position: 0 })).statusCode).toBe(200);
    expect((await tree(root)).children[1].children.map((g) => g.id)).toEqual([b, a, c.mtg]);
    // Without a position it goes last.
    expect((await api.req('POST', api.at(root, `/goals/${b}/move`), { parentId: other })).statusCode).toBe(200);
    expect((await tree(root)).children[1].children.map((g) => g.id)).toEqual([a, c.mtg, b]);
  });

  it('refuses each kind of bad move with a 4xx naming it, and writes nothing', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const other = await c.add(root, 'LongTermGoal', 'Other');
    const foreign = await chain(api, await api.newRoot());
    const before = await api.snapshot(root);
    const cases: [string, unknown, number, string | null][] = [
      [c.mtg, {}, 400, 'parentId'],
      [c.mtg, { parentId: 5 }, 400, 'parentId'],
      [c.mtg, { parentId: other, position: -1 }, 400, 'position'],
      [c.mtg, { parentId: other, position: 'first' }, 400, 'position'],
      [c.mtg, { parentId: other, extra: 1 }, 400, 'extra'],
      [c.mtg, { parentId: other, rootId: root }, 400, 'rootId'],
      [c.mtg, { parentId: root }, 400, 'parentId'],
      [c.stg, { parentId: other }, 400, 'parentId'],
      [c.mtg, { parentId: randomUUID() }, 404, 'parentId'],
      [c.mtg, { parentId: foreign.ltg }, 404, 'parentId'],
      [randomUUID(), { parentId: other }, 404, null],
      [foreign.mtg, { parentId: other }, 404, null],
      [c.ltg, { parentId: c.stg }, 409, null],
      [c.ltg, { parentId: c.ltg }, 409, null],
      [root, { parentId: c.ltg }, 409, null],
    ];
    for (const [goal, payload, status, field] of cases) {
      const res = await api.req('POST', api.at(root, `/goals/${goal}/move`), payload);
      expect({ goal, payload, status: res.statusCode }).toEqual({ goal, payload, status });
      if (field) expect(fields(res)).toContain(field);
      else expect(res.json().message).toEqual(expect.any(String));
    }
    expect((await api.req('POST', api.at(root, `/goals/${c.ltg}/move`), { parentId: c.stg })).json().message).toMatch(/under itself or a goal below it/);
    expect(await api.snapshot(root)).toBe(before);
  });

  it('refuses a move into a full parent or past a deadline, with 409', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const dated = (await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: 'Dated', deadline: '2026-06-01T00:00:00Z' })).json().id;
    await api.req('PATCH', api.at(root, `/goals/${c.stg}`), { deadline: '2027-01-01T00:00:00Z' });
    let before = await api.snapshot(root);
    const late = await api.req('POST', api.at(root, `/goals/${c.mtg}/move`), { parentId: dated });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toMatch(/"Short" has a deadline/);
    expect(await api.snapshot(root)).toBe(before);
    await api.req('PATCH', api.at(root, `/goals/${c.stg}`), { deadline: null });
    await api.req('PATCH', api.at(root, '/levels/LongTermGoal'), { maxChildren: 0 });
    before = await api.snapshot(root);
    const full = await api.req('POST', api.at(root, `/goals/${c.mtg}/move`), { parentId: dated });
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toMatch(/at most 0 children/);
    expect(await api.snapshot(root)).toBe(before);
  });

  it('copies a goal and its subtree, not its sessions, under the same parent, with its targets', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const p = practice(api, root);
    const session = await p.session(c.stg, '2026-03-01T10:00:00Z');
    await api.req('POST', api.at(root, '/goals'), { parentId: session, type: 'ImmediateGoal', name: 'In session' });
    const activity = await p.activity('Scales', ['bpm']);
    const target = await api.req('POST', api.at(root, `/goals/${c.stg}/targets`), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 120 }] });
    expect(target.statusCode).toBe(201);
    const res = await api.req('POST', api.at(root, `/goals/${c.ltg}/copy`));
    expect(res.statusCode).toBe(201);
    const copy = res.json();
    expect(copy).toMatchObject({ name: 'Long (copy)', parentId: root, sortOrder: 1, completed: false });
    expect(names(copy)).toEqual({ 'Long (copy)': [{ Mid: [{ Short: [] }] }] });
    const short = copy.children[0].children[0];
    expect(short.id).not.toBe(c.stg);
    const full = (await api.req('GET', api.at(root, `/goals/${short.id}?include=sessions`))).json();
    expect(full.children).toEqual([]);
    expect(full.targets).toEqual([expect.objectContaining({ activityId: activity.id, kind: 'threshold', met: false, conditions: [expect.objectContaining({ metricId: activity.metrics.bpm, operator: '>=', value: 120 })] })]);
    const long = 'L'.repeat(500);
    const longId = (await api.req('POST', api.at(root, '/goals'), { parentId: root, type: 'LongTermGoal', name: long })).json().id;
    const longCopy = await api.req('POST', api.at(root, `/goals/${longId}/copy`));
    expect(longCopy.statusCode).toBe(201);
    expect(longCopy.json().name).toBe(`${'L'.repeat(493)} (copy)`);

    const before = await api.snapshot(root);
    expect((await api.req('POST', api.at(root, `/goals/${root}/copy`))).statusCode).toBe(409);
    expect((await api.req('POST', api.at(root, `/goals/${session}/copy`))).statusCode).toBe(409);
    expect((await api.req('POST', api.at(root, `/goals/${randomUUID()}/copy`))).statusCode).toBe(404);
    const unknownField = await api.req('POST', api.at(root, `/goals/${c.ltg}/copy`), { name: 'x' });
    expect(unknownField.statusCode).toBe(400);
    expect(fields(unknownField)).toEqual(['name']);
    await api.req('PATCH', api.at(root, '/levels/UltimateGoal'), { maxChildren: 3 });
    const snap = await api.snapshot(root);
    expect((await api.req('POST', api.at(root, `/goals/${c.ltg}/copy`))).statusCode).toBe(409);
    expect(await api.snapshot(root)).toBe(snap);
    expect(before).not.toBe(snap);
  });

  it('deletes a goal with its whole subtree and practice under one deletion id; restore brings back exactly that', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const p = practice(api, root);
    const activity = await p.activity('Scales', ['bpm']);
    const session = await p.session(c.stg, '2026-03-01T10:00:00Z');
    const instance = await p.instance(session, activity.id, '2026-03-01T10:05:00Z', { [activity.metrics.bpm]: 100 });
    await p.link(session, c.stg);
    const immediate = (await api.req('POST', api.at(root, '/goals'), { parentId: session, type: 'ImmediateGoal', name: 'Warm up' })).json().id;
    const target = await api.req('POST', api.at(root, `/goals/${c.stg}/targets`), { activityId: activity.id, kind: 'threshold', conditions: [{ metricId: activity.metrics.bpm, operator: '>=', value: 190 }] });
    expect(target.json()).toMatchObject({ met: false, changed: { goals: [], targets: [] } });
    expect((await api.req('POST', api.at(root, `/goals/${c.stg}/pause`))).statusCode).toBe(200);
    // Deleted earlier, on its own: the later restore must leave it deleted.
    const earlier = await c.add(c.mtg, 'ShortTermGoal', 'Earlier');
    expect((await api.req('DELETE', api.at(root, `/goals/${earlier}`))).statusCode).toBe(200);
    const before = (await api.req('GET', api.at(root, '/goals?include=sessions'))).json();

    const del = await api.req('DELETE', api.at(root, `/goals/${c.ltg}`), undefined, { 'if-match': '"1"' });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({
      id: c.ltg,
      deletionId: expect.any(String),
      removed: { goals: 4, sessions: 1, activityInstances: 1, metricValues: 1, sessionLinks: 1, targets: 1, pauses: 1 },
    });
    for (const id of [c.ltg, c.mtg, c.stg, session, immediate]) expect((await api.req('GET', api.at(root, `/goals/${id}`))).statusCode).toBe(404);
    expect((await api.req('GET', api.at(root, '/goals'))).json().children).toEqual([]);
    const rows = await api.t.db.dataSource.query(
      `SELECT count(*) AS n FROM activity_instances WHERE id = ${api.t.db.engine === 'postgres' ? '$1' : '?'} AND deletion_id IS NOT NULL`,
      [instance.id],
    );
    expect(Number(rows[0].n)).toBe(1);
    expect((await api.req('DELETE', api.at(root, `/goals/${c.ltg}`))).statusCode).toBe(404);

    const restoreChild = await api.req('POST', api.at(root, `/goals/${c.stg}/restore`));
    expect(restoreChild.statusCode).toBe(409);
    expect(restoreChild.json().message).toContain(c.ltg);

    const res = await api.req('POST', api.at(root, `/goals/${c.ltg}/restore`));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: c.ltg, restored: { goals: 4, sessions: 1, activityInstances: 1, metricValues: 1, sessionLinks: 1, targets: 1, pauses: 1 } });
    const after = (await api.req('GET', api.at(root, '/goals?include=sessions'))).json();
    expect(strip(after)).toEqual(strip(before));
    expect((await api.req('GET', api.at(root, `/goals/${earlier}`))).statusCode).toBe(404);
    expect((await api.req('POST', api.at(root, `/goals/${c.ltg}/restore`))).statusCode).toBe(409);
    expect((await api.req('POST', api.at(root, `/goals/${randomUUID()}/restore`))).statusCode).toBe(404);
  });

  it('refuses to delete the root here, and to restore a goal whose parent another delete took', async () => {
    const root = await api.newRoot();
    const c = await chain(api, root);
    const before = await api.snapshot(root);
    const rootDelete = await api.req('DELETE', api.at(root, `/goals/${root}`));
    expect(rootDelete.statusCode).toBe(409);
    expect(rootDelete.json().message).toMatch(/DELETE \/api\/roots/);
    expect((await api.req('DELETE', api.at(root, `/goals/${randomUUID()}`))).statusCode).toBe(404);
    expect(await api.snapshot(root)).toBe(before);
    await api.req('DELETE', api.at(root, `/goals/${c.stg}`));
    await api.req('DELETE', api.at(root, `/goals/${c.mtg}`));
    const orphan = await api.req('POST', api.at(root, `/goals/${c.stg}/restore`));
    expect(orphan.statusCode).toBe(409);
    expect(orphan.json().message).toMatch(/parent .* is deleted/);
    expect((await api.req('POST', api.at(root, `/goals/${c.mtg}/restore`))).statusCode).toBe(200);
    expect((await api.req('POST', api.at(root, `/goals/${c.stg}/restore`))).statusCode).toBe(200);
  });

  it('refuses to change the type of a root with goals below it', async () => {
    const root = await api.newRoot();
    await chain(api, root);
    const res = await api.req('PATCH', `/api/roots/${root}`, { type: 'LongTermGoal' });
    expect(res.statusCode).toBe(409);
  });
});

/** A tree's shape and content, without what a restore moves on (versions and update times). */
function strip(node: Record<string, unknown>): unknown {
  const { updatedAt: _u, version: _v, children, ...rest } = node as { children: Record<string, unknown>[] } & Record<string, unknown>;
  return { ...rest, children: children.map(strip) };
}
