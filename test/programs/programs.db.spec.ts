import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, closeOpen, direct, fields, ok, planningRoot, sessionApi, snapshot } from './helpers';

/**
 * Programs CRUD: goal links through program_goals, dates that never overlap another program of
 * the root (409 naming it), If-Match, pagination, and delete/restore with one deletion id that
 * takes blocks, days and links but not sessions. Every bad input is a 4xx naming the field,
 * with the root's rows unchanged.
 */
describeDb('programs', () => {
  let api: Api;
  let p: Awaited<ReturnType<typeof planningRoot>>;
  let other: Awaited<ReturnType<typeof planningRoot>>;

  async function refused(method: string, url: string, body: unknown, status: number, field?: string, headers?: Record<string, string>) {
    const before = await snapshot(api, p.root);
    const res = await api.req(method, url, body, headers);
    expect({ method, url, body, status: res.statusCode, answer: res.statusCode === status ? undefined : res.body }).toEqual({ method, url, body, status });
    if (field) expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    expect(typeof res.json().message).toBe('string');
    expect(await snapshot(api, p.root)).toBe(before);
    return res.json();
  }

  const create = (body: Record<string, unknown>) =>
    ok(api, 'POST', p.at('/programs'), { name: 'Plan', goalIds: [p.goals.mtg], ...body });

  beforeAll(async () => {
    api = await sessionApi('programs@example.com');
    p = await planningRoot(api);
    other = await planningRoot(api, 'Piano');
  });
  afterAll(async () => api?.t.close());

  describe('create and read', () => {
    it('makes a program with its goals in order, and reads it back with an ETag, no blocks and empty progress', async () => {
      const res = await api.req('POST', p.at('/programs'), {
        name: '  Spring  ',
        description: 'Technique first',
        startDate: '2026-01-05',
        endDate: '2026-01-31',
        goalIds: [p.goals.stg, p.goals.mtg],
      });
      expect(res.statusCode).toBe(201);
      const program = res.json();
      expect(program).toMatchObject({
        name: 'Spring',
        description: 'Technique first',
        startDate: '2026-01-05',
        endDate: '2026-01-31',
        goalIds: [p.goals.stg, p.goals.mtg],
        blocks: [],
        version: 1,
        progress: { occurrences: { done: 0, due: 0, total: 0 }, goals: { completed: 0, linked: 2 }, blocks: [], complete: false },
      });
      const got = await api.req('GET', p.at(`/programs/${program.id}?asOf=2026-01-10`));
      expect(got.statusCode).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.json().progress.asOf).toBe('2026-01-10');
      const rows = await api.t.db.dataSource.query(`SELECT goal_id, sort_order FROM program_goals WHERE program_id = '${program.id}' ORDER BY sort_order`);
      expect(rows.map((r: { goal_id: string }) => r.goal_id)).toEqual([p.goals.stg, p.goals.mtg]);
    });

    it('lists live programs a page at a time, with their goals', async () => {
      const a = await create({ name: 'Feb', startDate: '2026-02-01', endDate: '2026-02-10' });
      const b = await create({ name: 'Feb 2', startDate: '2026-02-11', endDate: '2026-02-20' });
      const first = await ok(api, 'GET', p.at('/programs?limit=2'));
      expect(first.items).toHaveLength(2);
      const second = await ok(api, 'GET', p.at(`/programs?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`));
      const names = [...first.items, ...second.items].map((x: { name: string }) => x.name);
      expect(names).toEqual(['Spring', 'Feb', 'Feb 2']);
      expect(second.items.find((x: { id: string }) => x.id === b.id).goalIds).toEqual([p.goals.mtg]);
      expect(a.id).not.toBe(b.id);
      await refused('GET', p.at('/programs?limit=0'), undefined, 400, 'limit');
    });

    it('answers an unknown, malformed or foreign program id with the same 404', async () => {
      const foreign = await ok(api, 'POST', other.at('/programs'), { name: 'Other', startDate: '2026-01-01', endDate: '2026-01-02', goalIds: [] });
      const bodies = [];
      for (const id of [randomUUID(), 'nope', foreign.id]) {
        const res = await api.req('GET', p.at(`/programs/${id}`));
        expect(res.statusCode).toBe(404);
        bodies.push(res.json().message);
      }
      expect(new Set(bodies).size).toBe(1);
      await refused('PATCH', p.at(`/programs/${foreign.id}`), { name: 'x' }, 404);
      await refused('DELETE', p.at(`/programs/${foreign.id}`), undefined, 404);
    });
  });

  describe('bad input', () => {
    const good = () => ({ name: 'Bad', startDate: '2027-01-01', endDate: '2027-01-31', goalIds: [p.goals.stg] });
    it.each([
      ['a missing name', { name: undefined }, 'name'],
      ['an empty name', { name: '  ' }, 'name'],
      ['a long name', { name: 'x'.repeat(201) }, 'name'],
      ['a missing startDate', { startDate: undefined }, 'startDate'],
      ['a date that does not exist', { startDate: '2027-02-30' }, 'startDate'],
      ['a timestamp for a date', { endDate: '2027-01-31T00:00:00Z' }, 'endDate'],
      ['an end before the start', { endDate: '2026-12-31' }, 'endDate'],
      ['more than three years', { endDate: '2030-06-01' }, 'endDate'],
      ['goalIds missing', { goalIds: undefined }, 'goalIds'],
      ['goalIds not ids', { goalIds: ['x'] }, 'goalIds'],
      ['goalIds repeated', { goalIds: [randomUUID(), randomUUID()].map(() => 'a3bb189e-8bf9-4888-9912-ace4e6543002') }, 'goalIds'],
      ['a session as a goal', { goalIds: ['SESSION'] }, 'goalIds.0'],
      ['an unknown field', { weeklySchedule: {} }, 'weeklySchedule'],
      ['a server field', { version: 3 }, 'version'],
    ])('refuses %s (400)', async (_what, change, field) => {
      const body: Record<string, unknown> = { ...good(), ...change };
      if ((change as { goalIds?: string[] }).goalIds?.[0] === 'SESSION') {
        const d = direct(api, p.root);
        body.goalIds = [await d.insert('Goal', { type: 'PracticeSession', name: 'S', parentId: p.goals.stg, completed: true })];
      }
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      await refused('POST', p.at('/programs'), body, 400, field);
    });

    it("refuses goals of another root, and unknown goals, with a 404 naming the field", async () => {
      await refused('POST', p.at('/programs'), { ...good(), goalIds: [p.goals.stg, other.goals.stg] }, 404, 'goalIds.1');
      await refused('POST', p.at('/programs'), { ...good(), goalIds: [randomUUID()] }, 404, 'goalIds.0');
    });

    it('refuses dates that overlap another program of the root with a 409 naming it; another root does not count', async () => {
      const base = await create({ name: 'March', startDate: '2026-03-01', endDate: '2026-03-31' });
      const res = await refused('POST', p.at('/programs'), { ...good(), startDate: '2026-03-31', endDate: '2026-04-30' }, 409, 'startDate');
      expect(res.message).toContain('"March"');
      expect(res.message).toContain(base.id);
      await ok(api, 'POST', other.at('/programs'), { name: 'Other March', startDate: '2026-03-01', endDate: '2026-03-31', goalIds: [] });
      const april = await create({ name: 'April', startDate: '2026-04-01', endDate: '2026-04-30' });
      await refused('PATCH', p.at(`/programs/${april.id}`), { startDate: '2026-03-20' }, 409, 'startDate');
    });
  });

  describe('update', () => {
    it('changes fields and goal links, moves the version, and honours If-Match', async () => {
      const program = await create({ name: 'May', startDate: '2026-05-01', endDate: '2026-05-31' });
      await refused('PATCH', p.at(`/programs/${program.id}`), { name: 'Stale' }, 412, undefined, { 'if-match': '"7"' });
      const res = await api.req('PATCH', p.at(`/programs/${program.id}`), { name: 'May plan', description: null, goalIds: [p.goals.stg], endDate: '2026-05-30' }, { 'if-match': '"1"' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'May plan', description: null, goalIds: [p.goals.stg], endDate: '2026-05-30', version: 2 });
      expect(res.headers.etag).toBe('"2"');
      const links = await api.t.db.dataSource.query(`SELECT goal_id, deleted_at FROM program_goals WHERE program_id = '${program.id}' ORDER BY created_at`);
      expect(links.map((l: { deleted_at: unknown }) => l.deleted_at !== null)).toEqual([true, false]);
    });

    it("refuses dates that would leave a block outside, and goals that would leave a block's goals outside (409)", async () => {
      const program = await create({ name: 'June', startDate: '2026-06-01', endDate: '2026-06-30', goalIds: [p.goals.mtg] });
      await ok(api, 'POST', p.at(`/programs/${program.id}/blocks`), { name: 'Late', startDate: '2026-06-20', endDate: '2026-06-30', goalIds: [p.goals.stg] });
      await refused('PATCH', p.at(`/programs/${program.id}`), { endDate: '2026-06-25' }, 409, 'endDate');
      await refused('PATCH', p.at(`/programs/${program.id}`), { goalIds: [p.goals.stg2] }, 409, 'goalIds');
      await refused('PATCH', p.at(`/programs/${program.id}`), { startDate: '2026-07-01' }, 400, 'endDate');
      await refused('PATCH', p.at(`/programs/${program.id}`), { goalIds: [other.goals.mtg] }, 404, 'goalIds.0');
      await refused('PATCH', p.at(`/programs/${program.id}`), { name: null }, 400, 'name');
    });
  });

  describe('delete and restore', () => {
    it('soft-deletes the program, its blocks, days, templates and links under one deletion id, not its sessions; restore brings back exactly those', async () => {
      const program = await create({ name: 'July', startDate: '2026-07-01', endDate: '2026-07-31' });
      const block = await ok(api, 'POST', p.at(`/programs/${program.id}/blocks`), { name: 'B', startDate: '2026-07-01', endDate: '2026-07-31', goalIds: [p.goals.stg] });
      const days = p.at(`/programs/${program.id}/blocks/${block.id}/days`);
      const kept = await ok(api, 'POST', days, { name: 'Mon', weekdays: ['mon'], templates: [{ templateId: p.templates.morning }] });
      const dropped = await ok(api, 'POST', days, { name: 'Once', date: '2026-07-02', templates: [{ templateId: p.templates.evening }] });
      await ok(api, 'DELETE', `${days}/${dropped.id}`);
      await closeOpen(api, p.root);
      const scheduled = await ok(api, 'POST', p.at(`/programs/${program.id}/days/${kept.id}/schedule`), { date: '2026-07-06' });
      const ds = api.t.db.dataSource;
      const tables = ['programs', 'program_goals', 'program_blocks', 'program_block_goals', 'program_days', 'scheduled_sessions', 'program_day_sessions'];
      const rows = async () => (await Promise.all(tables.map((t) => ds.query(`SELECT id, deleted_at IS NULL AS live, deletion_id FROM ${t} WHERE root_id = '${p.root}' ORDER BY id`)))).flat();
      const first = await rows();
      const known = new Set(first.map((r: { id: string }) => r.id));
      // Every row as it was before the delete (rows made since, by other programs, aside).
      const state = async () => JSON.stringify((await rows()).filter((r: { id: string }) => known.has(r.id)));
      const before = JSON.stringify(first);

      expect((await api.req('DELETE', p.at(`/programs/${program.id}`))).statusCode).toBe(204);
      expect((await api.req('GET', p.at(`/programs/${program.id}`))).statusCode).toBe(404);
      const [{ deletion_id: deletionId }] = await ds.query(`SELECT deletion_id FROM programs WHERE id = '${program.id}'`);
      for (const [table, where] of [
        ['program_goals', `program_id = '${program.id}'`],
        ['program_blocks', `program_id = '${program.id}'`],
        ['program_block_goals', `block_id = '${block.id}'`],
        ['program_days', `id = '${kept.id}'`],
        ['scheduled_sessions', `day_id = '${kept.id}'`],
        ['program_day_sessions', `day_id = '${kept.id}'`],
      ]) {
        const rows = await ds.query(`SELECT deletion_id FROM ${table} WHERE ${where}`);
        expect({ table, ids: [...new Set(rows.map((r: { deletion_id: string }) => r.deletion_id))] }).toEqual({ table, ids: [deletionId] });
      }
      // The day deleted before keeps its own deletion; the session stays live.
      const [day] = await ds.query(`SELECT deletion_id FROM program_days WHERE id = '${dropped.id}'`);
      expect(day.deletion_id).not.toBe(deletionId);
      expect((await api.req('GET', p.at(`/sessions/${scheduled.session.id}`))).statusCode).toBe(200);
      // Its dates are free while it is deleted.
      const june = await create({ name: 'July again', startDate: '2026-07-10', endDate: '2026-07-12' });
      await refused('POST', p.at(`/programs/${program.id}/restore`), {}, 409, 'startDate');
      await ok(api, 'DELETE', p.at(`/programs/${june.id}`));

      const restored = await ok(api, 'POST', p.at(`/programs/${program.id}/restore`), {});
      expect(restored.blocks[0].days.map((d: { id: string }) => d.id)).toEqual([kept.id]);
      expect(await state()).toBe(before);
      await refused('POST', p.at(`/programs/${program.id}/restore`), {}, 409);
      await refused('POST', p.at(`/programs/${randomUUID()}/restore`), {}, 404);
    });
  });
});
