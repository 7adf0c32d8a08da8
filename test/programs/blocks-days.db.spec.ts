import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, direct, fields, ok, planningRoot, sessionApi, snapshot } from './helpers';

/**
 * Blocks (inside their program's dates, goals in its goals' subtrees) and days (one date or
 * weekdays, templates in order, minTemplates), with copy. Every bad input is a 4xx naming the
 * field, and writes nothing.
 */
describeDb('program blocks and days', () => {
  let api: Api;
  let p: Awaited<ReturnType<typeof planningRoot>>;
  let other: Awaited<ReturnType<typeof planningRoot>>;
  let program: { id: string };
  let block: { id: string };
  let foreignTemplate: string;
  const blocks = () => p.at(`/programs/${program.id}/blocks`);
  const days = (blockId = block.id) => p.at(`/programs/${program.id}/blocks/${blockId}/days`);

  async function refused(method: string, url: string, body: unknown, status: number, field?: string, headers?: Record<string, string>) {
    const before = await snapshot(api, p.root);
    const res = await api.req(method, url, body, headers);
    expect({ method, url, body, status: res.statusCode, answer: res.statusCode === status ? undefined : res.body }).toEqual({ method, url, body, status });
    if (field) expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    expect(await snapshot(api, p.root)).toBe(before);
    return res.json();
  }

  beforeAll(async () => {
    api = await sessionApi('blocks@example.com');
    p = await planningRoot(api);
    other = await planningRoot(api, 'Piano');
    foreignTemplate = other.templates.morning;
    program = await ok(api, 'POST', p.at('/programs'), { name: 'Plan', startDate: '2026-03-02', endDate: '2026-04-26', goalIds: [p.goals.mtg] });
    block = await ok(api, 'POST', blocks(), { name: 'Base', startDate: '2026-03-02', endDate: '2026-03-29', goalIds: [p.goals.stg], color: '#2563eb' });
  });
  afterAll(async () => api?.t.close());

  describe('blocks', () => {
    it('makes a block inside the program with goals in its subtrees, and shows it in the program', async () => {
      expect(block).toMatchObject({ name: 'Base', startDate: '2026-03-02', endDate: '2026-03-29', goalIds: [p.goals.stg], color: '#2563eb', days: [], version: 1 });
      const got = await ok(api, 'GET', p.at(`/programs/${program.id}`));
      expect(got.blocks.map((b: { id: string }) => b.id)).toEqual([block.id]);
      // A goal is in its own subtree.
      const self = await ok(api, 'POST', blocks(), { name: 'Self', startDate: '2026-04-01', endDate: '2026-04-02', goalIds: [p.goals.mtg] });
      await ok(api, 'DELETE', `${blocks()}/${self.id}`);
    });

    it.each([
      ['a start before the program', { startDate: '2026-03-01' }, 400, 'startDate'],
      ['an end after the program', { endDate: '2026-04-27' }, 400, 'endDate'],
      ['an end before the start', { startDate: '2026-03-10', endDate: '2026-03-09' }, 400, 'endDate'],
      ['a missing start', { startDate: undefined }, 400, 'startDate'],
      ['a bad date', { endDate: '2026-13-01' }, 400, 'endDate'],
      ['a goal outside the program goals\' subtrees', { goalIds: ['LTG'] }, 400, 'goalIds.0'],
      ['a goal of another root', { goalIds: ['FOREIGN'] }, 404, 'goalIds.0'],
      ['an unknown goal', { goalIds: [randomUUID()] }, 404, 'goalIds.0'],
      ['an unknown field', { programId: randomUUID() }, 400, 'programId'],
    ])('refuses %s', async (_what, change, status, field) => {
      const body: Record<string, unknown> = { name: 'Bad', startDate: '2026-03-02', endDate: '2026-03-08', ...change };
      const ids = body.goalIds as string[] | undefined;
      if (ids?.[0] === 'LTG') body.goalIds = [p.goals.ltg];
      if (ids?.[0] === 'FOREIGN') body.goalIds = [other.goals.stg];
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      await refused('POST', blocks(), body, status, field);
    });

    it('changes a block, refuses dates that would leave a dated day outside (409), and honours If-Match', async () => {
      const b = await ok(api, 'POST', blocks(), { name: 'Peak', startDate: '2026-03-30', endDate: '2026-04-26' });
      await ok(api, 'POST', days(b.id), { date: '2026-04-20', templates: [{ templateId: p.templates.morning }] });
      await refused('PATCH', `${blocks()}/${b.id}`, { endDate: '2026-04-19' }, 409, 'endDate');
      await refused('PATCH', `${blocks()}/${b.id}`, { endDate: '2026-04-27' }, 400, 'endDate');
      await refused('PATCH', `${blocks()}/${b.id}`, { goalIds: [p.goals.ltg] }, 400, 'goalIds.0');
      await refused('PATCH', `${blocks()}/${b.id}`, { name: 'x' }, 412, undefined, { 'if-match': '"9"' });
      const changed = await ok(api, 'PATCH', `${blocks()}/${b.id}`, { name: 'Peak phase', goalIds: [p.goals.stg2], color: null }, { 'if-match': '"1"' });
      expect(changed).toMatchObject({ name: 'Peak phase', goalIds: [p.goals.stg2], color: null, version: 2 });
      expect(changed.days).toHaveLength(1);
      const del = await api.req('DELETE', `${blocks()}/${b.id}`);
      expect(del.statusCode).toBe(204);
      const [row] = await api.t.db.dataSource.query(`SELECT deletion_id FROM program_blocks WHERE id = '${b.id}'`);
      const taken = await api.t.db.dataSource.query(
        `SELECT deletion_id FROM program_days WHERE block_id = '${b.id}' UNION ALL SELECT deletion_id FROM program_block_goals WHERE block_id = '${b.id}'`,
      );
      expect(taken.map((r: { deletion_id: string }) => r.deletion_id)).toEqual(taken.map(() => row.deletion_id));
      await refused('PATCH', `${blocks()}/${b.id}`, { name: 'gone' }, 404);
    });

    it('answers a block of another program, or of another root, as unknown', async () => {
      const second = await ok(api, 'POST', p.at('/programs'), { name: 'Later', startDate: '2026-06-01', endDate: '2026-06-30', goalIds: [] });
      await refused('PATCH', p.at(`/programs/${second.id}/blocks/${block.id}`), { name: 'x' }, 404);
      await refused('POST', p.at(`/programs/${randomUUID()}/blocks`), { name: 'x', startDate: '2026-03-02', endDate: '2026-03-03' }, 404);
    });
  });

  describe('days', () => {
    it('makes a repeating day with its templates in order, and a dated one', async () => {
      const res = await api.req('POST', days(), {
        name: 'Technique',
        weekdays: ['thu', 'mon'],
        templates: [{ templateId: p.templates.morning }, { templateId: p.templates.evening, required: false }],
        minTemplates: 2,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        name: 'Technique',
        date: null,
        weekdays: ['mon', 'thu'],
        minTemplates: 2,
        templates: [
          { templateId: p.templates.morning, name: 'Morning', required: true },
          { templateId: p.templates.evening, name: 'Evening', required: false },
        ],
        version: 1,
      });
      const dated = await ok(api, 'POST', days(), { date: '2026-03-07', templates: [{ templateId: p.templates.extra }] });
      expect(dated).toMatchObject({ name: null, date: '2026-03-07', weekdays: null, minTemplates: 1 });
    });

    it.each([
      ['both a date and weekdays', { date: '2026-03-03', weekdays: ['mon'] }, 400, 'weekdays'],
      ['neither a date nor weekdays', {}, 400, 'date'],
      ['a date outside the block', { date: '2026-03-30' }, 400, 'date'],
      ['a weekday that is none', { weekdays: ['mon', 'fun'] }, 400, 'weekdays'],
      ['a repeated weekday', { weekdays: ['mon', 'mon'] }, 400, 'weekdays'],
      ['no weekdays', { weekdays: [] }, 400, 'weekdays'],
      ['no templates', { date: '2026-03-03', templates: [] }, 400, 'templates'],
      ['a template twice', { date: '2026-03-03', templates: ['M', 'M'] }, 400, 'templates.1.templateId'],
      ['a template of another root', { date: '2026-03-03', templates: ['M', 'FOREIGN'] }, 404, 'templates.1.templateId'],
      ['an unknown template', { date: '2026-03-03', templates: [randomUUID()] }, 404, 'templates.0.templateId'],
      ['a template id that is no id', { date: '2026-03-03', templates: ['x'] }, 400, 'templates.0.templateId'],
      ['required that is no boolean', { date: '2026-03-03', templates: [{ required: 'yes' }] }, 400, 'templates.0.required'],
      ['minTemplates over the templates', { date: '2026-03-03', minTemplates: 2 }, 400, 'minTemplates'],
      ['a negative minTemplates', { date: '2026-03-03', minTemplates: -1 }, 400, 'minTemplates'],
    ])('refuses %s', async (_what, change, status, field) => {
      const body: Record<string, unknown> = { templates: [{ templateId: p.templates.morning }], ...change };
      const named = (v: unknown) => (v === 'M' ? p.templates.morning : v === 'FOREIGN' ? foreignTemplate : v);
      body.templates = (body.templates as unknown[]).map((t) => (typeof t === 'string' ? { templateId: named(t) } : { templateId: p.templates.morning, ...(t as object) }));
      await refused('POST', days(), body, status, field);
    });

    it('changes a day: from weekdays to a date (the other sent as null), its templates replaced, If-Match honoured', async () => {
      const day = await ok(api, 'POST', days(), { weekdays: ['tue'], templates: [{ templateId: p.templates.morning }] });
      const url = `${days()}/${day.id}`;
      await refused('PATCH', url, { date: '2026-03-10' }, 400, 'date');
      await refused('PATCH', url, { weekdays: null }, 400, 'date');
      await refused('PATCH', url, { minTemplates: 2 }, 400, 'minTemplates');
      await refused('PATCH', url, { templates: [{ templateId: foreignTemplate }] }, 404, 'templates.0.templateId');
      await refused('PATCH', url, { name: 'x' }, 412, undefined, { 'if-match': '"5"' });
      const changed = await ok(
        api,
        'PATCH',
        url,
        { name: 'Tuesday once', date: '2026-03-10', weekdays: null, templates: [{ templateId: p.templates.evening }, { templateId: p.templates.extra }], minTemplates: 2 },
        { 'if-match': '"1"' },
      );
      expect(changed).toMatchObject({ name: 'Tuesday once', date: '2026-03-10', weekdays: null, minTemplates: 2, version: 2 });
      expect(changed.templates.map((t: { name: string }) => t.name)).toEqual(['Evening', 'Extra']);
      await refused('PATCH', p.at(`/programs/${program.id}/blocks/${randomUUID()}/days/${day.id}`), { name: 'x' }, 404);
      expect((await api.req('DELETE', url)).statusCode).toBe(204);
      await refused('PATCH', url, { name: 'gone' }, 404);
      // A deleted day's templates no longer count as a program's use of them.
      const rows = await api.t.db.dataSource.query(`SELECT deleted_at FROM scheduled_sessions WHERE day_id = '${day.id}'`);
      expect(rows.every((r: { deleted_at: unknown }) => r.deleted_at !== null)).toBe(true);
    });

    it('copies a day into its block or another block of the program, refusing blocks elsewhere and dates outside', async () => {
      const day = await ok(api, 'POST', days(), { name: 'Copied', date: '2026-03-12', templates: [{ templateId: p.templates.morning, required: false }, { templateId: p.templates.extra }] });
      const copy = await ok(api, 'POST', `${days()}/${day.id}/copy`, {});
      expect(copy).toMatchObject({ name: 'Copied', date: '2026-03-12', blockId: block.id, templates: day.templates });
      expect(copy.id).not.toBe(day.id);
      const later = await ok(api, 'POST', blocks(), { name: 'Later', startDate: '2026-03-30', endDate: '2026-04-26' });
      await refused('POST', `${days()}/${day.id}/copy`, { toBlockId: later.id }, 409, 'toBlockId');
      const weekly = await ok(api, 'POST', days(), { weekdays: ['sat'], templates: [{ templateId: p.templates.morning }] });
      const moved = await ok(api, 'POST', `${days()}/${weekly.id}/copy`, { toBlockId: later.id });
      expect(moved).toMatchObject({ blockId: later.id, weekdays: ['sat'] });
      const elsewhere = await ok(api, 'POST', p.at('/programs'), { name: 'Elsewhere', startDate: '2026-08-01', endDate: '2026-08-31', goalIds: [] });
      const theirs = await ok(api, 'POST', p.at(`/programs/${elsewhere.id}/blocks`), { name: 'X', startDate: '2026-08-01', endDate: '2026-08-31' });
      await refused('POST', `${days()}/${day.id}/copy`, { toBlockId: theirs.id }, 404, 'toBlockId');
      await refused('POST', `${days()}/${day.id}/copy`, { toBlockId: randomUUID() }, 404, 'toBlockId');
      await refused('POST', `${days()}/${day.id}/copy`, { toBlockId: 'x' }, 400, 'toBlockId');
      await refused('POST', `${days(later.id)}/${day.id}/copy`, {}, 404);
    });

    it("answers templates' question of which programs use them: a template on a live day cannot be deleted", async () => {
      const t = await ok(api, 'POST', p.at('/session-templates'), { name: 'Only here' });
      const day = await ok(api, 'POST', days(), { date: '2026-03-20', templates: [{ templateId: t.id }] });
      const res = await refused('DELETE', p.at(`/session-templates/${t.id}`), undefined, 409, 'templateId');
      expect(res.message).toContain('"Plan"');
      await ok(api, 'DELETE', `${days()}/${day.id}`);
      expect((await api.req('DELETE', p.at(`/session-templates/${t.id}`))).statusCode).toBe(204);
    });

    it('keeps a Flask-era numbered day valid, placed by its number in the block', async () => {
      const d = direct(api, p.root);
      const legacy = await d.insert('ProgramDay', { blockId: block.id, dayNumber: 3, name: 'Legacy' });
      await d.insert('ScheduledSession', { dayId: legacy, sessionTemplateId: p.templates.morning });
      const changed = await ok(api, 'PATCH', `${days()}/${legacy}`, { name: 'Legacy day' });
      expect(changed).toMatchObject({ dayNumber: 3, date: null, weekdays: null });
      const cal = await ok(api, 'GET', p.at(`/programs/${program.id}/calendar?from=2026-03-04&to=2026-03-04`));
      expect(cal.occurrences.filter((o: { dayId: string }) => o.dayId === legacy).map((o: { date: string }) => o.date)).toEqual(['2026-03-04']);
      await ok(api, 'DELETE', `${days()}/${legacy}`);
    });
  });
});
