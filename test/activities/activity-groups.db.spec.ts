import { randomUUID } from 'node:crypto';
import { describeDb, TestApp } from '../helpers/db';
import { sql } from '../foundation/helpers';
import { allPages, appWithTwoUsers, expectRefusal, RootClient, unchanged } from './helpers';

describeDb('activity groups', () => {
  let t: TestApp;
  let a: RootClient;
  let b: RootClient;
  let foreignGroup: string;

  const create = async (c: RootClient, body: object) => {
    const res = await c.call('POST', '/activity-groups', body);
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status: 201 });
    return res.json();
  };

  beforeAll(async () => {
    ({ t, a, b } = await appWithTwoUsers());
    foreignGroup = (await create(b, { name: 'B only' })).id;
  });
  afterAll(async () => t?.close());

  it('creates top-level and nested groups, each last among its siblings', async () => {
    const strings = await create(a, { name: '  Strings  ', description: 'bowed' });
    expect(strings).toEqual({
      id: expect.any(String),
      name: 'Strings',
      description: 'bowed',
      parentId: null,
      sortOrder: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    });
    const winds = await create(a, { name: 'Winds' });
    expect(winds.sortOrder).toBe(1);
    const violin = await create(a, { name: 'Violin', parentId: strings.id });
    const cello = await create(a, { name: 'Cello', parentId: strings.id });
    expect([violin.parentId, violin.sortOrder, cello.sortOrder]).toEqual([strings.id, 0, 1]);
    const got = await a.call('GET', `/activity-groups/${cello.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(cello);
  });

  it('refuses bad bodies, naming the field, and writes nothing', async () => {
    const parent = await create(a, { name: 'Parent for refusals' });
    await unchanged(t, a.rootId, async () => {
      for (const [body, status, field] of [
        [{}, 400, 'name'],
        [{ name: '' }, 400, 'name'],
        [{ name: '   ' }, 400, 'name'],
        [{ name: 7 }, 400, 'name'],
        [{ name: null }, 400, 'name'],
        [{ name: 'x'.repeat(201) }, 400, 'name'],
        [{ name: 'ok', description: 5 }, 400, 'description'],
        [{ name: 'ok', description: 'x'.repeat(10001) }, 400, 'description'],
        [{ name: 'ok', parentId: 'not-an-id' }, 400, 'parentId'],
        [{ name: 'ok', parentId: 12 }, 400, 'parentId'],
        [{ name: 'ok', extra: true }, 400, 'extra'],
        [{ name: 'ok', id: randomUUID() }, 400, 'id'],
        [{ name: 'ok', rootId: a.rootId }, 400, 'rootId'],
        [{ name: 'ok', version: 3 }, 400, 'version'],
        [{ name: 'ok', sortOrder: 3 }, 400, 'sortOrder'],
        [{ name: 'ok', createdBy: randomUUID() }, 400, 'createdBy'],
        [{ name: 'ok', deletedAt: null }, 400, 'deletedAt'],
        [{ name: 'ok', parentId: randomUUID() }, 404, 'parentId'],
        [{ name: 'ok', parentId: foreignGroup }, 404, 'parentId'],
        [{ name: 'Parent for refusals' }, 409, 'name'],
      ] as const) {
        expectRefusal(await a.call('POST', '/activity-groups', body), status, field);
      }
      // Another root's group and an unknown id answer alike.
      const foreign = await a.call('POST', '/activity-groups', { name: 'ok', parentId: foreignGroup });
      const unknown = await a.call('POST', '/activity-groups', { name: 'ok', parentId: '00000000-0000-4000-8000-000000000000' });
      expect(foreign.json().details).toEqual(unknown.json().details);
      expectRefusal(await a.call('POST', '/activity-groups', '[1,2]', { 'content-type': 'application/json' }), 400);
      expectRefusal(await a.call('POST', '/activity-groups', '{"name":', { 'content-type': 'application/json' }), 400);
    });
    expect(parent.id).toBeDefined();
  });

  it('lists every group once, siblings in their order, page by page', async () => {
    const all = (await a.call('GET', '/activity-groups?limit=200')).json();
    expect(all.nextCursor).toBeNull();
    const paged = await allPages(a, '/activity-groups', 2);
    expect(paged.map((g) => g.id)).toEqual(all.items.map((g: { id: string }) => g.id));
    expect(new Set(paged.map((g) => g.id)).size).toBe(paged.length);
    const orders = all.items.map((g: { sortOrder: number }) => g.sortOrder);
    expect(orders).toEqual([...orders].sort((x, y) => x - y));
    expect(all.items.map((g: { id: string }) => g.id)).not.toContain(foreignGroup);
    for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=x', 'limit'], ['cursor=abc', 'cursor'], ['sort=name', 'sort']]) {
      expectRefusal(await a.call('GET', `/activity-groups?${query}`), 400, field);
    }
  });

  it('refuses a forged cursor with a 400, whatever it carries (PostgreSQL would fail to cast it)', async () => {
    const forge = (key: object) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
    const real = (await a.call('GET', '/activity-groups?limit=1')).json().nextCursor;
    expect((await a.call('GET', `/activity-groups?limit=1&cursor=${real}`)).statusCode).toBe(200);
    for (const key of [
      { c: 'garbage', i: 'x', s: 1 },
      { c: '2026-02-30 10:00:00', i: 'x', s: 1 },
      { c: '2026-13-01 10:00:00', i: 'x', s: 1 },
      { c: '2026-01-01 25:00:00', i: 'x', s: 1 },
      { c: '2026-01-01 10:00:00+99', i: 'x', s: 1 },
      { c: '2026-01-01 10:00:00', i: 'x' },
      { c: '2026-01-01 10:00:00', i: 'x', s: 'one' },
      { c: '2026-01-01 10:00:00', i: 5, s: 1 },
    ]) {
      expectRefusal(await a.call('GET', `/activity-groups?cursor=${forge(key)}`), 400, 'cursor');
    }
    expect((await a.call('GET', `/activity-groups?cursor=${forge({ c: '2026-01-01 10:00:00.123+00', i: 'x', s: 0 })}`)).statusCode).toBe(200);
    expectRefusal(await a.call('GET', `/activities?cursor=${forge({ c: '2026-02-29 10:00:00', i: 'x' })}`), 400, 'cursor');
  });

  it('answers an unknown, a malformed and another root’s group with the same 404', async () => {
    const unknown = await a.call('GET', `/activity-groups/${randomUUID()}`);
    expectRefusal(unknown, 404);
    for (const id of ['nope', foreignGroup, "' OR 1=1 --"]) {
      const res = await a.call('GET', `/activity-groups/${encodeURIComponent(id)}`);
      expect({ id, status: res.statusCode, body: res.json() }).toEqual({ id, status: 404, body: unknown.json() });
    }
    await unchanged(t, a.rootId, async () => {
      expectRefusal(await a.call('PATCH', `/activity-groups/${foreignGroup}`, { name: 'Stolen' }), 404);
      expectRefusal(await a.call('DELETE', `/activity-groups/${foreignGroup}`), 404);
    });
    expect((await b.call('GET', `/activity-groups/${foreignGroup}`)).json().name).toBe('B only');
  });

  it('patches name, description and parent; refuses cycles, stale versions and bad fields, writing nothing', async () => {
    const top = await create(a, { name: 'Top' });
    const mid = await create(a, { name: 'Mid', parentId: top.id });
    const leaf = await create(a, { name: 'Leaf', parentId: mid.id });
    const renamed = await a.call('PATCH', `/activity-groups/${leaf.id}`, { name: 'Leaf 2', description: 'now' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Leaf 2', description: 'now', parentId: mid.id, version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    const cleared = await a.call('PATCH', `/activity-groups/${leaf.id}`, { description: null, parentId: null });
    expect(cleared.json()).toMatchObject({ description: null, parentId: null, version: 3 });
    await unchanged(t, a.rootId, async () => {
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { parentId: mid.id }), 409, 'parentId');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { parentId: top.id }), 409, 'parentId');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { parentId: foreignGroup }), 404, 'parentId');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { name: null }), 400, 'name');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { name: '' }), 400, 'name');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { name: 'Mid' }), 409, 'name');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { version: 9 }), 400, 'version');
      expectRefusal(await a.call('PATCH', `/activity-groups/${top.id}`, { parentId: 'x' }), 400, 'parentId');
      expectRefusal(await a.call('PATCH', `/activity-groups/${leaf.id}`, { name: 'Lost' }, { 'if-match': '"2"' }), 412);
      expectRefusal(await a.call('DELETE', `/activity-groups/${leaf.id}`, undefined, { 'if-match': '"1"' }), 412);
    });
    const current = await a.call('PATCH', `/activity-groups/${leaf.id}`, { name: 'Leaf 3' }, { 'if-match': '"3"' });
    expect(current.json()).toMatchObject({ name: 'Leaf 3', version: 4 });
    // An empty patch still moves the version, so a later stale If-Match is refused.
    expect((await a.call('PATCH', `/activity-groups/${leaf.id}`, {})).json().version).toBe(5);
  });

  it('orders the groups of one parent, and refuses a partial, mixed, repeated or unknown list, writing nothing', async () => {
    const parent = await create(a, { name: 'Ordered' });
    const kids: string[] = [];
    for (const name of ['K1', 'K2', 'K3']) kids.push((await create(a, { name, parentId: parent.id })).id);
    const reordered = await a.call('PUT', '/activity-groups/order', { ids: [kids[2], kids[0], kids[1]] });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().items.map((g: { id: string; sortOrder: number }) => [g.id, g.sortOrder])).toEqual([
      [kids[2], 0],
      [kids[0], 1],
      [kids[1], 2],
    ]);
    const other = await create(a, { name: 'Elsewhere' });
    await unchanged(t, a.rootId, async () => {
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: [kids[0], kids[1]] }), 400, 'ids');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: [kids[0], kids[1], kids[2], other.id] }), 400, 'ids.3');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: [kids[0], kids[0], kids[1]] }), 400, 'ids');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: [kids[0], foreignGroup, kids[1]] }), 404, 'ids.1');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: [kids[0], randomUUID(), kids[1]] }), 404, 'ids.1');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: [] }), 400, 'ids');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: 'all' }), 400, 'ids');
      expectRefusal(await a.call('PUT', '/activity-groups/order', { ids: ['x'] }), 400, 'ids');
      expectRefusal(await a.call('PUT', '/activity-groups/order', {}), 400, 'ids');
    });
  });

  it('deletes softly: its activities move to no group, its groups to its parent, its goal links go with it', async () => {
    const top = await create(a, { name: 'Doomed parent' });
    const doomed = await create(a, { name: 'Doomed', parentId: top.id });
    const child = await create(a, { name: 'Survivor', parentId: doomed.id });
    const ds = t.db.dataSource;
    const activityId = randomUUID();
    await sql(ds, `INSERT INTO activity_definitions (id, root_id, name, group_id) VALUES (?, ?, 'Grouped', ?)`, [activityId, a.rootId, doomed.id]);
    const [goal] = await sql(ds, `SELECT id FROM goals WHERE id = ?`, [a.rootId]);
    await sql(ds, `INSERT INTO goal_activity_groups (id, root_id, goal_id, group_id) VALUES (?, ?, ?, ?)`, [randomUUID(), a.rootId, goal.id, doomed.id]);

    const res = await a.call('DELETE', `/activity-groups/${doomed.id}`, undefined, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(204);
    expectRefusal(await a.call('GET', `/activity-groups/${doomed.id}`), 404);
    expectRefusal(await a.call('DELETE', `/activity-groups/${doomed.id}`), 404);
    expect((await a.call('GET', `/activity-groups/${child.id}`)).json()).toMatchObject({ parentId: top.id });
    const [row] = await sql(ds, `SELECT group_id, deleted_at FROM activity_definitions WHERE id = ?`, [activityId]);
    expect(row).toEqual({ group_id: null, deleted_at: null });
    const [group] = await sql(ds, `SELECT deleted_at, deletion_id FROM activity_groups WHERE id = ?`, [doomed.id]);
    const links = await sql(ds, `SELECT deletion_id FROM goal_activity_groups WHERE group_id = ?`, [doomed.id]);
    expect(group.deleted_at).not.toBeNull();
    expect(links).toEqual([{ deletion_id: group.deletion_id }]);
    // Its name is free again.
    expect((await a.call('POST', '/activity-groups', { name: 'Doomed' })).statusCode).toBe(201);
  });

  it('honours an Idempotency-Key on POST', async () => {
    const post = (name: string) => a.call('POST', '/activity-groups', { name }, { 'idempotency-key': 'group-key-1' });
    const first = await post('Once');
    const again = await post('Once');
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await unchanged(t, a.rootId, async () => expectRefusal(await post('Twice'), 422));
  });
});
