import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, direct, fields, ok, sessionApi, snapshot } from './helpers';

/**
 * The sessions routes: list and filters, the active session, the hot read, create (with a
 * template, immediate goals and the one-unfinished-session rule), PATCH with sections,
 * duplicate, save as template, delete and restore. Every bad input is a 4xx naming the
 * problem, with the root's rows unchanged.
 */
describeDb('sessions', () => {
  let api: Api;
  let root: string;
  let goals: { ltg: string; mtg: string; stg: string; stg2: string };
  let scales: { id: string; metrics: Record<string, string>; splits: Record<string, string> };
  let chords: { id: string; metrics: Record<string, string>; splits: Record<string, string> };
  let templateId: string;
  const at = (path: string) => api.at(root, path);

  /** Completes whatever session is open, so that a test can start one. */
  async function closeOpen(): Promise<void> {
    const { session } = await ok(api, 'GET', at('/sessions/active'));
    if (session) await ok(api, 'POST', at(`/sessions/${session.id}/complete`));
  }

  /** Answers `status`, names `field` (if given), and leaves the root's rows as they were. */
  async function refused(method: string, url: string, body: unknown, status: number, field?: string) {
    const before = await snapshot(api, root);
    const res = await api.req(method, url, body);
    expect({ method, url, body, status: res.statusCode }).toEqual({ method, url, body, status });
    if (field) expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    expect(typeof res.json().message).toBe('string');
    expect(await snapshot(api, root)).toBe(before);
    return res.json();
  }

  beforeAll(async () => {
    api = await sessionApi('sessions@example.com');
    root = await api.newRoot('Guitar');
    const d = direct(api, root);
    goals = await d.tree();
    scales = await d.activity('Scales', { metrics: ['bpm'], splits: ['Left', 'Right'] });
    chords = await d.activity('Chords', { metrics: ['changes'] });
    templateId = await d.template('Morning', [
      { name: 'Warm-up', duration_minutes: 10, activities: [{ activity_id: scales.id }] },
      { name: 'Work', duration_minutes: 20, activities: [{ activity_id: chords.id }, { activity_id: scales.id }] },
    ]);
  });
  afterAll(async () => api?.t.close());

  describe('create', () => {
    afterEach(closeOpen);

    it('makes a session under its short-term goals, named as the Flask app did, starting now', async () => {
      const before = Date.now();
      const res = await api.req('POST', at('/sessions'), { parentGoalIds: [goals.stg, goals.stg2] });
      expect(res.statusCode).toBe(201);
      const s = res.json();
      expect(s.name).toMatch(/^Practice Session \d+ - \d{2}\/\d{2}\/\d{4}$/);
      const today = new Date();
      const date = `${String(today.getUTCMonth() + 1).padStart(2, '0')}/${String(today.getUTCDate()).padStart(2, '0')}/${today.getUTCFullYear()}`;
      expect(s.name.endsWith(date)).toBe(true);
      expect(s).toMatchObject({ parentGoalId: goals.stg, completed: false, sessionEnd: null, pausedAt: null, sections: [], instances: [], version: 1 });
      expect(s.goals.map((g: { id: string }) => g.id)).toEqual([goals.stg, goals.stg2]);
      expect(new Date(s.sessionStart).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const n = Number(/Session (\d+)/.exec(s.name)![1]);
      await closeOpen();
      const next = (await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg] })).name;
      expect(next).toMatch(new RegExp(`^Practice Session ${n + 1} - `));
    });

    it("builds a template's sections and activities as instances, and immediate goals under the session", async () => {
      const s = await ok(api, 'POST', at('/sessions'), {
        parentGoalIds: [goals.stg],
        name: '  From the template  ',
        templateId,
        sessionStart: '2026-03-01T09:00:00.000Z',
        immediateGoals: [{ name: 'Clean C major at 120' }, { name: 'Smooth G-C', description: 'no stops' }],
      });
      expect(s).toMatchObject({ name: 'From the template', templateId, sessionStart: '2026-03-01T09:00:00.000Z' });
      expect(s.sections.map((x: any) => [x.position, x.name, x.durationMinutes, x.instanceIds.length])).toEqual([
        [0, 'Warm-up', 10, 1],
        [1, 'Work', 20, 2],
      ]);
      expect(s.instances.map((i: any) => [i.activityName, i.position, i.sectionId, i.timer])).toEqual([
        ['Scales', 0, s.sections[0].id, 'idle'],
        ['Chords', 1, s.sections[1].id, 'idle'],
        ['Scales', 2, s.sections[1].id, 'idle'],
      ]);
      expect(s.immediateGoals.map((g: any) => [g.name, g.description, g.completed])).toEqual([
        ['Clean C major at 120', null, false],
        ['Smooth G-C', 'no stops', false],
      ]);
    });

    it('refuses a second unfinished session with 409 naming the open one; ?force=true completes it first', async () => {
      const open = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Open one' });
      const body = await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg] }, 409);
      expect(body.message).toContain(open.id);
      expect(body.message).toContain('Open one');
      const forced = await api.req('POST', at('/sessions?force=true'), { parentGoalIds: [goals.stg], name: 'Forced' });
      expect(forced.statusCode).toBe(201);
      const closed = await ok(api, 'GET', at(`/sessions/${open.id}`));
      expect(closed).toMatchObject({ completed: true, totalDurationSeconds: 0 });
      expect(closed.sessionEnd).not.toBeNull();
      expect((await ok(api, 'GET', at('/sessions/active'))).session.id).toBe(forced.json().id);
    });

    it('refuses bad bodies, naming the field, and writes nothing', async () => {
      const ltgAsParent = { parentGoalIds: [goals.ltg] };
      await refused('POST', at('/sessions'), {}, 400, 'parentGoalIds');
      await refused('POST', at('/sessions'), { parentGoalIds: [] }, 400, 'parentGoalIds');
      await refused('POST', at('/sessions'), { parentGoalIds: 'x' }, 400, 'parentGoalIds');
      await refused('POST', at('/sessions'), { parentGoalIds: ['not-an-id'] }, 400, 'parentGoalIds');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg, goals.stg] }, 400, 'parentGoalIds');
      await refused('POST', at('/sessions'), ltgAsParent, 400, 'parentGoalIds.0');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg, randomUUID()] }, 404, 'parentGoalIds.1');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], templateId: randomUUID() }, 404, 'templateId');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], name: '  ' }, 400, 'name');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'x'.repeat(501) }, 400, 'name');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], sessionStart: 'yesterday' }, 400, 'sessionStart');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], immediateGoals: [{}] }, 400, 'immediateGoals.0.name');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], immediateGoals: 'x' }, 400, 'immediateGoals');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], rootId: root }, 400, 'rootId');
      await refused('POST', at('/sessions'), { parentGoalIds: [goals.stg], completed: true }, 400, 'completed');
      await refused('POST', at('/sessions?force=yes'), { parentGoalIds: [goals.stg] }, 400, 'force');
      await refused('POST', at('/sessions?forse=true'), { parentGoalIds: [goals.stg] }, 400, 'forse');
    });

    it('replays a retry with the same Idempotency-Key, and answers 422 for another body', async () => {
      const headers = { 'idempotency-key': `create-${randomUUID()}` };
      const first = await api.req('POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Once' }, headers);
      const again = await api.req('POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Once' }, headers);
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json().id).toBe(first.json().id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((await api.req('POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Other' }, headers)).statusCode).toBe(422);
    });
  });

  describe('read', () => {
    let older: any;
    let newer: any;
    beforeAll(async () => {
      older = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg2], name: 'Older', sessionStart: '2026-01-05T10:00:00.000Z' });
      await ok(api, 'POST', at(`/sessions/${older.id}/activities`), { activityId: chords.id });
      await ok(api, 'POST', at(`/sessions/${older.id}/complete`));
      newer = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Newer', sessionStart: '2026-02-05T10:00:00.000Z' });
      await ok(api, 'POST', at(`/sessions/${newer.id}/activities`), { activityId: scales.id });
    });
    afterAll(closeOpen);

    it('lists newest first, page by page, each session once', async () => {
      const all = await ok(api, 'GET', at('/sessions?limit=200'));
      expect(all.items[0].id).toBe(newer.id);
      const created = all.items.map((s: any) => new Date(s.createdAt).getTime());
      expect(created).toEqual([...created].sort((a, b) => b - a));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(api, 'GET', at(`/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((s: any) => s.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((s: any) => s.id));
    });

    it('filters by dates, completion, goal and activity', async () => {
      const ids = async (query: string) => (await ok(api, 'GET', at(`/sessions?limit=200&${query}`))).items.map((s: any) => s.id);
      expect(await ids('from=2026-01-01T00:00:00Z&to=2026-01-31T23:59:59Z')).toEqual([older.id]);
      expect(await ids('from=2026-02-01T00:00:00Z&to=2026-02-28T00:00:00Z')).toEqual([newer.id]);
      expect(await ids('completed=false')).toEqual([newer.id]);
      expect(await ids('completed=true')).toContain(older.id);
      expect(await ids(`goalId=${goals.stg2}`)).toContain(older.id);
      expect(await ids(`goalId=${goals.stg2}`)).not.toContain(newer.id);
      expect(await ids(`activityId=${scales.id}`)).toContain(newer.id);
      expect(await ids(`activityId=${scales.id}`)).not.toContain(older.id);
      expect(await ids(`activityId=${chords.id}&completed=true`)).toContain(older.id);
    });

    it('refuses bad list parameters, naming them', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['cursor=nonsense', 'cursor'],
        ['from=monday', 'from'],
        ['to=2026-13-01', 'to'],
        ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
        ['completed=maybe', 'completed'],
        ['goalId=abc', 'goalId'],
        [`goalId=${randomUUID()}`, 'goalId'],
        [`activityId=${randomUUID()}`, 'activityId'],
        ['sort=name', 'sort'],
      ]) {
        const res = await api.req('GET', at(`/sessions?${query}`));
        expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
        expect({ query, fields: fields(res) }).toEqual({ query, fields: expect.arrayContaining([field]) });
      }
    });

    it('answers the active session, and the hot read with an ETag', async () => {
      const { session } = await ok(api, 'GET', at('/sessions/active'));
      expect(session.id).toBe(newer.id);
      const res = await api.req('GET', at(`/sessions/${newer.id}`));
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe(`"${res.json().version}"`);
      expect(res.json().instances).toHaveLength(1);
      expect(res.json().instances[0]).toMatchObject({ activityId: scales.id, activityName: 'Scales', timer: 'idle', values: [], sets: [] });
    });

    it('answers the same 404 for unknown, malformed, deleted ids and for a goal that is not a session', async () => {
      const unknown = await api.req('GET', at(`/sessions/${randomUUID()}`));
      expect(unknown.statusCode).toBe(404);
      for (const id of ['not-an-id', goals.stg, root]) expect((await api.req('GET', at(`/sessions/${id}`))).json()).toEqual(unknown.json());
    });
  });

  describe('patch', () => {
    let s: any;
    beforeAll(async () => {
      s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Patch me', sessionStart: '2026-03-02T10:00:00.000Z' });
      for (const activityId of [scales.id, chords.id, scales.id]) await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId });
      s = await ok(api, 'GET', at(`/sessions/${s.id}`));
    });
    afterAll(closeOpen);

    it('changes name, description and times, and moves the version', async () => {
      const res = await api.req('PATCH', at(`/sessions/${s.id}`), { name: 'Patched', description: 'slow', sessionEnd: '2026-03-02T11:00:00.000Z' }, { 'if-match': `"${s.version}"` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Patched', description: 'slow', sessionEnd: '2026-03-02T11:00:00.000Z', version: s.version + 1 });
      const stale = await api.req('PATCH', at(`/sessions/${s.id}`), { name: 'Lost update' }, { 'if-match': `"${s.version}"` });
      expect(stale.statusCode).toBe(412);
      s = res.json();
      expect((await ok(api, 'PATCH', at(`/sessions/${s.id}`), { sessionEnd: null })).sessionEnd).toBeNull();
    });

    it('lays out sections: instances in the order listed, the rest after, ids kept by position', async () => {
      const [a, b, c] = s.instances.map((i: any) => i.id);
      const first = await ok(api, 'PATCH', at(`/sessions/${s.id}`), {
        sections: [
          { name: 'Warm-up', durationMinutes: 5, instanceIds: [c] },
          { name: 'Main', instanceIds: [b] },
        ],
      });
      expect(first.sections.map((x: any) => [x.name, x.durationMinutes, x.instanceIds])).toEqual([
        ['Warm-up', 5, [c]],
        ['Main', null, [b]],
      ]);
      expect(first.instances.map((i: any) => [i.id, i.position, i.sectionId])).toEqual([
        [c, 0, first.sections[0].id],
        [b, 1, first.sections[1].id],
        [a, 2, null],
      ]);
      const second = await ok(api, 'PATCH', at(`/sessions/${s.id}`), { sections: [{ name: 'All', instanceIds: [a, b, c] }] });
      expect(second.sections).toHaveLength(1);
      expect(second.sections[0].id).toBe(first.sections[0].id);
      expect(second.instances.map((i: any) => i.id)).toEqual([a, b, c]);
      expect(second.version).toBe(first.version + 1);
    });

    it('refuses bad patches, naming the field, and writes nothing', async () => {
      const [a] = s.instances.map((i: any) => i.id);
      const url = at(`/sessions/${s.id}`);
      await refused('PATCH', url, { name: '' }, 400, 'name');
      await refused('PATCH', url, { sessionStart: null }, 400, 'sessionStart');
      await refused('PATCH', url, { sessionEnd: '2026-03-01T00:00:00.000Z' }, 400, 'sessionEnd');
      await refused('PATCH', url, { sessionStart: '2026-04-01T00:00:00.000Z', sessionEnd: '2026-03-31T00:00:00.000Z' }, 400, 'sessionEnd');
      await refused('PATCH', url, { sections: 'x' }, 400, 'sections');
      await refused('PATCH', url, { sections: [{}] }, 400, 'sections.0.name');
      await refused('PATCH', url, { sections: [{ name: 'S', durationMinutes: -1 }] }, 400, 'sections.0.durationMinutes');
      await refused('PATCH', url, { sections: [{ name: 'S', instanceIds: [randomUUID()] }] }, 404, 'sections.0.instanceIds.0');
      await refused('PATCH', url, { sections: [{ name: 'S', instanceIds: [a] }, { name: 'T', instanceIds: [a] }] }, 400, 'sections.1.instanceIds.0');
      await refused('PATCH', url, { version: 7 }, 400, 'version');
      await refused('PATCH', url, { completed: true }, 400, 'completed');
      await refused('PATCH', at(`/sessions/${randomUUID()}`), { name: 'x' }, 404);
    });
  });

  describe('instances of a session', () => {
    let s: any;
    beforeAll(async () => {
      s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Instances' });
    });
    afterAll(closeOpen);

    it('adds at a position, orders, and removes; the session version moves', async () => {
      const a = await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: scales.id });
      const b = await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: chords.id, position: 0 });
      expect([a.position, b.position]).toEqual([0, 0]);
      let view = await ok(api, 'GET', at(`/sessions/${s.id}`));
      expect(view.instances.map((i: any) => [i.id, i.position])).toEqual([
        [b.id, 0],
        [a.id, 1],
      ]);
      const version = view.version;
      view = await ok(api, 'PUT', at(`/sessions/${s.id}/activities/order`), { ids: [a.id, b.id] });
      expect(view.instances.map((i: any) => i.id)).toEqual([a.id, b.id]);
      expect(view.version).toBe(version + 1);
      expect((await api.req('DELETE', at(`/activity-instances/${b.id}`))).statusCode).toBe(204);
      expect((await api.req('GET', at(`/activity-instances/${b.id}`))).statusCode).toBe(404);
      expect((await ok(api, 'GET', at(`/sessions/${s.id}`))).instances.map((i: any) => i.id)).toEqual([a.id]);
    });

    it('refuses bad instance bodies, naming the field, and writes nothing', async () => {
      const [only] = (await ok(api, 'GET', at(`/sessions/${s.id}`))).instances;
      const other = await direct(api, root).insert('ActivityDefinition', { name: 'Gone', deletedAt: new Date(), deletionId: randomUUID() });
      await refused('POST', at(`/sessions/${s.id}/activities`), {}, 400, 'activityId');
      await refused('POST', at(`/sessions/${s.id}/activities`), { activityId: 'x' }, 400, 'activityId');
      await refused('POST', at(`/sessions/${s.id}/activities`), { activityId: randomUUID() }, 404, 'activityId');
      await refused('POST', at(`/sessions/${s.id}/activities`), { activityId: other }, 404, 'activityId');
      await refused('POST', at(`/sessions/${s.id}/activities`), { activityId: scales.id, position: -1 }, 400, 'position');
      await refused('POST', at(`/sessions/${s.id}/activities`), { activityId: scales.id, sectionId: randomUUID() }, 404, 'sectionId');
      await refused('POST', at(`/sessions/${randomUUID()}/activities`), { activityId: scales.id }, 404);
      await refused('PUT', at(`/sessions/${s.id}/activities/order`), { ids: [] }, 400, 'ids');
      await refused('PUT', at(`/sessions/${s.id}/activities/order`), { ids: [only.id, only.id] }, 400, 'ids');
      await refused('PUT', at(`/sessions/${s.id}/activities/order`), { ids: [only.id, randomUUID()] }, 404, 'ids.1');
      await refused('DELETE', at(`/activity-instances/${randomUUID()}`), undefined, 404);
    });
  });

  describe('duplicate, template, delete and restore', () => {
    let s: any;
    beforeAll(async () => {
      s = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg, goals.stg2], name: 'Plan', templateId, immediateGoals: [{ name: 'Focus' }] });
      const loose = await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId: chords.id });
      await ok(api, 'POST', at(`/activity-instances/${s.instances[0].id}/timer/start`));
      await ok(api, 'PUT', at(`/activity-instances/${loose.id}/metrics`), { values: [{ metricId: chords.metrics.changes, value: 30 }] });
      s = await ok(api, 'POST', at(`/sessions/${s.id}/complete`));
    });
    afterEach(closeOpen);

    it('duplicates the plan as a new unfinished session, without times or values', async () => {
      const copy = await ok(api, 'POST', at(`/sessions/${s.id}/duplicate`));
      expect(copy.id).not.toBe(s.id);
      expect(copy).toMatchObject({ name: 'Plan', completed: false, sessionEnd: null, templateId });
      expect(copy.goals.map((g: any) => g.id)).toEqual([goals.stg, goals.stg2]);
      expect(copy.immediateGoals.map((g: any) => g.name)).toEqual(['Focus']);
      expect(copy.sections.map((x: any) => [x.name, x.durationMinutes, x.instanceIds.length])).toEqual(s.sections.map((x: any) => [x.name, x.durationMinutes, x.instanceIds.length]));
      expect(copy.instances.map((i: any) => i.activityId)).toEqual(s.instances.map((i: any) => i.activityId));
      for (const i of copy.instances) expect(i).toMatchObject({ timer: 'idle', timeStart: null, values: [], sets: [], completed: false });
      const again = await api.req('POST', at(`/sessions/${s.id}/duplicate`));
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toContain(copy.id);
    });

    it('saves the plan as a template, and refuses a taken name with 409', async () => {
      const res = await api.req('POST', at(`/sessions/${s.id}/template`), { name: 'Saved plan' });
      expect(res.statusCode).toBe(201);
      expect(res.json().sections).toEqual([
        { name: 'Warm-up', durationMinutes: 10, activityIds: [scales.id] },
        { name: 'Work', durationMinutes: 20, activityIds: [chords.id, scales.id] },
        { name: 'Activities', durationMinutes: null, activityIds: [chords.id] },
      ]);
      const made = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], templateId: res.json().id });
      expect(made.instances.map((i: any) => i.activityId)).toEqual([scales.id, chords.id, scales.id, chords.id]);
      await refused('POST', at(`/sessions/${s.id}/template`), { name: 'Saved plan' }, 409);
      await refused('POST', at(`/sessions/${s.id}/template`), { name: '' }, 400, 'name');
      await refused('POST', at(`/sessions/${s.id}/template`), {}, 400, 'name');
    });

    it('deletes with everything under it, and restore brings back exactly the same read', async () => {
      const before = await ok(api, 'GET', at(`/sessions/${s.id}`));
      const res = await api.req('DELETE', at(`/sessions/${s.id}`), undefined, { 'if-match': `"${before.version}"` });
      expect(res.statusCode).toBe(204);
      expect((await api.req('GET', at(`/sessions/${s.id}`))).statusCode).toBe(404);
      expect((await api.req('GET', at(`/activity-instances/${before.instances[0].id}`))).statusCode).toBe(404);
      expect((await ok(api, 'GET', at('/sessions?limit=200'))).items.map((x: any) => x.id)).not.toContain(s.id);
      const restored = await ok(api, 'POST', at(`/sessions/${s.id}/restore`));
      const strip = (v: any) => ({ ...v, updatedAt: undefined, version: undefined, instances: v.instances.map((i: any) => ({ ...i, updatedAt: undefined, version: undefined })) });
      expect(strip(restored)).toEqual(strip(before));
      await refused('POST', at(`/sessions/${s.id}/restore`), {}, 409);
      await refused('POST', at(`/sessions/${randomUUID()}/restore`), {}, 404);
    });

    it('restores an unfinished session only while no other is open', async () => {
      const open = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'To delete' });
      await ok(api, 'DELETE', at(`/sessions/${open.id}`));
      const other = await ok(api, 'POST', at('/sessions'), { parentGoalIds: [goals.stg], name: 'Other open' });
      const body = await refused('POST', at(`/sessions/${open.id}/restore`), {}, 409);
      expect(body.message).toContain(other.id);
      await ok(api, 'POST', at(`/sessions/${other.id}/complete`));
      expect((await ok(api, 'POST', at(`/sessions/${open.id}/restore`))).id).toBe(open.id);
    });

    it('refuses any field on every body-less route, and unknown query parameters, writing nothing', async () => {
      for (const path of ['pause', 'resume', 'complete', 'duplicate', 'restore']) await refused('POST', at(`/sessions/${s.id}/${path}`), { note: 'x' }, 400, 'note');
      for (const action of ['start', 'pause', 'resume', 'stop']) await refused('POST', at(`/activity-instances/${s.instances[0].id}/timer/${action}`), { note: 'x' }, 400, 'note');
      await refused('GET', at('/sessions/active?all=true'), undefined, 400, 'all');
      await refused('POST', at(`/sessions/${s.id}/duplicate?force=perhaps`), undefined, 400, 'force');
    });

    it('refuses fields on body-less routes, a second completion, and a stale If-Match', async () => {
      await refused('POST', at(`/sessions/${s.id}/duplicate`), { name: 'x' }, 400, 'name');
      await refused('POST', at(`/sessions/${s.id}/complete`), { at: 1 }, 400, 'at');
      await refused('POST', at(`/sessions/${s.id}/complete`), {}, 409);
      const before = await snapshot(api, root);
      expect((await api.req('DELETE', at(`/sessions/${s.id}`), undefined, { 'if-match': '"999"' })).statusCode).toBe(412);
      expect(await snapshot(api, root)).toBe(before);
    });
  });
});
