import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, closeOpen, fields, ok, planningRoot, sessionApi, snapshot } from './helpers';

type Occ = { date: string; dayId: string; complete: boolean; scheduled: boolean; sessions: { id: string; completed: boolean }[]; templates: { templateId: string; done: boolean }[] };

/**
 * The calendar: the server expands a program into dated occurrences (weekday days across their
 * block, dated days), each with its templates, its live sessions and whether it is complete;
 * schedule and unschedule make and drop an occurrence's sessions. Dates are calendar dates:
 * neither a month boundary nor the server's time zone (or a daylight-saving change) moves them.
 */
describeDb('program calendar', () => {
  let api: Api;
  let p: Awaited<ReturnType<typeof planningRoot>>;
  let other: Awaited<ReturnType<typeof planningRoot>>;
  let program: { id: string };
  let block: { id: string };
  const days = () => p.at(`/programs/${program.id}/blocks/${block.id}/days`);
  const calendar = async (from: string, to: string): Promise<Occ[]> =>
    (await ok(api, 'GET', p.at(`/programs/${program.id}/calendar?from=${from}&to=${to}`))).occurrences;
  const schedule = (dayId: string, body: Record<string, unknown>, query = '') => api.req('POST', p.at(`/programs/${program.id}/days/${dayId}/schedule${query}`), body);
  const occurrenceOf = async (dayId: string, date: string) => (await calendar(date, date)).find((o) => o.dayId === dayId)!;

  async function refused(method: string, url: string, body: unknown, status: number, field?: string) {
    const before = await snapshot(api, p.root);
    const res = await api.req(method, url, body);
    expect({ method, url, body, status: res.statusCode, answer: res.statusCode === status ? undefined : res.body }).toEqual({ method, url, body, status });
    if (field) expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    expect(await snapshot(api, p.root)).toBe(before);
    return res.json();
  }

  beforeAll(async () => {
    api = await sessionApi('calendar@example.com');
    p = await planningRoot(api);
    other = await planningRoot(api, 'Piano');
    program = await ok(api, 'POST', p.at('/programs'), { name: 'Winter to spring', startDate: '2026-01-26', endDate: '2026-04-05', goalIds: [p.goals.mtg] });
    block = await ok(api, 'POST', p.at(`/programs/${program.id}/blocks`), { name: 'All', startDate: '2026-01-26', endDate: '2026-04-05', goalIds: [p.goals.stg] });
  });
  afterAll(async () => api?.t.close());
  afterEach(async () => closeOpen(api, p.root));

  describe('expansion', () => {
    it('repeats weekday days across the block, over a month boundary, by date', async () => {
      const day = await ok(api, 'POST', days(), { name: 'MWF', weekdays: ['mon', 'wed', 'fri'], templates: [{ templateId: p.templates.morning }] });
      const occ = (await calendar('2026-01-20', '2026-02-08')).filter((o) => o.dayId === day.id);
      expect(occ.map((o) => o.date)).toEqual(['2026-01-26', '2026-01-28', '2026-01-30', '2026-02-02', '2026-02-04', '2026-02-06']);
      expect(occ[0]).toMatchObject({ blockId: block.id, name: 'MWF', minTemplates: 1, scheduled: false, complete: false, sessions: [] });
      await ok(api, 'DELETE', `${days()}/${day.id}`);
    });

    it("gives the same dates whatever the server's time zone, across daylight-saving changes (US 8 March, Europe 29 March)", async () => {
      const day = await ok(api, 'POST', days(), { name: 'Sundays', weekdays: ['sun'], templates: [{ templateId: p.templates.morning }] });
      const dated = await ok(api, 'POST', days(), { name: 'Once', date: '2026-03-29', templates: [{ templateId: p.templates.extra }] });
      const saved = process.env.TZ;
      const answers: string[] = [];
      try {
        for (const tz of ['UTC', 'America/New_York', 'Europe/Berlin', 'Pacific/Auckland', 'Pacific/Kiritimati']) {
          process.env.TZ = tz;
          const occ = (await calendar('2026-03-01', '2026-04-05')).filter((o) => [day.id, dated.id].includes(o.dayId));
          answers.push(JSON.stringify(occ.map((o) => [o.date, o.dayId === day.id ? 'sun' : 'once'])));
        }
      } finally {
        process.env.TZ = saved;
      }
      expect(JSON.parse(answers[0])).toEqual([
        ['2026-03-01', 'sun'],
        ['2026-03-08', 'sun'],
        ['2026-03-15', 'sun'],
        ['2026-03-22', 'sun'],
        ['2026-03-29', 'sun'],
        ['2026-03-29', 'once'],
        ['2026-04-05', 'sun'],
      ]);
      expect(new Set(answers).size).toBe(1);
      await ok(api, 'DELETE', `${days()}/${day.id}`);
      await ok(api, 'DELETE', `${days()}/${dated.id}`);
    });

    it('places a dated day once, on its date, and only within from..to', async () => {
      const day = await ok(api, 'POST', days(), { date: '2026-02-14', templates: [{ templateId: p.templates.extra }] });
      expect((await calendar('2026-02-01', '2026-02-28')).filter((o) => o.dayId === day.id).map((o) => o.date)).toEqual(['2026-02-14']);
      expect((await calendar('2026-02-15', '2026-02-28')).filter((o) => o.dayId === day.id)).toEqual([]);
      const whole = await ok(api, 'GET', p.at(`/programs/${program.id}/calendar`));
      expect(whole).toMatchObject({ programId: program.id, from: '2026-01-26', to: '2026-04-05' });
      await ok(api, 'DELETE', `${days()}/${day.id}`);
    });

    it('refuses a bad range (400 naming the field) and an unknown program (404)', async () => {
      const url = (q: string) => p.at(`/programs/${program.id}/calendar?${q}`);
      await refused('GET', url('from=2026-03-02&to=2026-03-01'), undefined, 400, 'to');
      await refused('GET', url('from=2026-02-30'), undefined, 400, 'from');
      await refused('GET', url('from=2026-01-01&to=2027-03-01'), undefined, 400, 'to');
      await refused('GET', url('when=now'), undefined, 400, 'when');
      await refused('GET', p.at(`/programs/${randomUUID()}/calendar`), undefined, 404);
    });
  });

  describe('completion', () => {
    it('completes an occurrence once sessions of both its required templates are completed', async () => {
      const day = await ok(api, 'POST', days(), {
        name: 'Both',
        date: '2026-02-10',
        templates: [{ templateId: p.templates.morning }, { templateId: p.templates.evening }, { templateId: p.templates.extra, required: false }],
      });
      const first = (await schedule(day.id, { date: '2026-02-10' })).json();
      expect(first.session).toMatchObject({ templateId: p.templates.morning, name: 'Both (2026-02-10)', parentGoalId: p.goals.stg, completed: false });
      expect(await occurrenceOf(day.id, '2026-02-10')).toMatchObject({ scheduled: true, complete: false });
      await ok(api, 'POST', p.at(`/sessions/${first.session.id}/complete`));
      let occ = await occurrenceOf(day.id, '2026-02-10');
      expect(occ.templates.map((t) => t.done)).toEqual([true, false, false]);
      expect(occ.complete).toBe(false);
      // The next schedule takes the first template without a session of this occurrence.
      const second = (await schedule(day.id, { date: '2026-02-10' })).json();
      expect(second.session.templateId).toBe(p.templates.evening);
      await ok(api, 'POST', p.at(`/sessions/${second.session.id}/complete`));
      occ = await occurrenceOf(day.id, '2026-02-10');
      expect(occ.templates.map((t) => t.done)).toEqual([true, true, false]);
      expect(occ.sessions.map((s) => [s.id, s.completed])).toEqual([
        [first.session.id, true],
        [second.session.id, true],
      ]);
      expect(occ.complete).toBe(true);
    });

    it('needs minTemplates of optional templates', async () => {
      const day = await ok(api, 'POST', days(), {
        date: '2026-02-11',
        minTemplates: 2,
        templates: [{ templateId: p.templates.morning, required: false }, { templateId: p.templates.evening, required: false }, { templateId: p.templates.extra, required: false }],
      });
      const a = (await schedule(day.id, { date: '2026-02-11', templateId: p.templates.extra })).json();
      await ok(api, 'POST', p.at(`/sessions/${a.session.id}/complete`));
      expect((await occurrenceOf(day.id, '2026-02-11')).complete).toBe(false);
      const b = (await schedule(day.id, { date: '2026-02-11' })).json();
      expect(b.session.templateId).toBe(p.templates.morning);
      await ok(api, 'POST', p.at(`/sessions/${b.session.id}/complete`));
      expect((await occurrenceOf(day.id, '2026-02-11')).complete).toBe(true);
    });

    it('leaves an unscheduled occurrence open; unschedule drops its unfinished sessions and keeps the completed ones', async () => {
      const day = await ok(api, 'POST', days(), { weekdays: ['thu'], templates: [{ templateId: p.templates.morning }, { templateId: p.templates.evening, required: false }] });
      expect(await occurrenceOf(day.id, '2026-02-12')).toMatchObject({ scheduled: false, complete: false, sessions: [] });
      const done = (await schedule(day.id, { date: '2026-02-12' })).json();
      await ok(api, 'POST', p.at(`/sessions/${done.session.id}/complete`));
      const open = (await schedule(day.id, { date: '2026-02-12' })).json();
      const res = await api.req('POST', p.at(`/programs/${program.id}/days/${day.id}/unschedule`), { date: '2026-02-12' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ dayId: day.id, date: '2026-02-12', removedSessionIds: [open.session.id] });
      expect((await api.req('GET', p.at(`/sessions/${open.session.id}`))).statusCode).toBe(404);
      const occ = await occurrenceOf(day.id, '2026-02-12');
      expect(occ.sessions.map((s) => s.id)).toEqual([done.session.id]);
      expect(occ.complete).toBe(true);
      // Nothing left to drop: an empty answer.
      expect((await ok(api, 'POST', p.at(`/programs/${program.id}/days/${day.id}/unschedule`), { date: '2026-02-12' })).removedSessionIds).toEqual([]);
      // Another occurrence of the same day is untouched by both.
      expect(await occurrenceOf(day.id, '2026-02-19')).toMatchObject({ scheduled: false, complete: false });
    });

    it('un-completes an occurrence when its session is deleted afterwards, and completes it again when the session is restored', async () => {
      const day = await ok(api, 'POST', days(), { date: '2026-02-13', templates: [{ templateId: p.templates.morning }] });
      const s = (await schedule(day.id, { date: '2026-02-13' })).json();
      await ok(api, 'POST', p.at(`/sessions/${s.session.id}/complete`));
      expect((await occurrenceOf(day.id, '2026-02-13')).complete).toBe(true);
      const progress = async () => (await ok(api, 'GET', p.at(`/programs/${program.id}?asOf=2026-02-13`))).progress.occurrences.done;
      const doneBefore = await progress();
      expect((await api.req('DELETE', p.at(`/sessions/${s.session.id}`))).statusCode).toBe(204);
      expect(await occurrenceOf(day.id, '2026-02-13')).toMatchObject({ complete: false, scheduled: false, sessions: [] });
      expect(await progress()).toBe(doneBefore - 1);
      await ok(api, 'POST', p.at(`/sessions/${s.session.id}/restore`));
      expect(await occurrenceOf(day.id, '2026-02-13')).toMatchObject({ complete: true, scheduled: true });
      expect(await progress()).toBe(doneBefore);
    });
  });

  describe('schedule: bad input', () => {
    let day: { id: string };
    beforeAll(async () => {
      day = await ok(api, 'POST', days(), { weekdays: ['tue'], templates: [{ templateId: p.templates.morning }] });
    });
    const url = (dayId = day.id) => p.at(`/programs/${program.id}/days/${dayId}/schedule`);

    it.each([
      ['a date the day does not fall on', { date: '2026-02-18' }, 400, 'date'],
      ['a date outside the block', { date: '2026-04-07' }, 400, 'date'],
      ['no date', {}, 400, 'date'],
      ['a date that is none', { date: '2026-02-31' }, 400, 'date'],
      ['a template not of the day', { date: '2026-02-17', templateId: 'EVENING' }, 400, 'templateId'],
      ['a template of another root', { date: '2026-02-17', templateId: 'FOREIGN' }, 404, 'templateId'],
      ['an unknown template', { date: '2026-02-17', templateId: randomUUID() }, 404, 'templateId'],
      ['a parent goal of another root', { date: '2026-02-17', parentGoalIds: ['FOREIGN_GOAL'] }, 404, 'parentGoalIds.0'],
      ['a parent that is not a short-term goal', { date: '2026-02-17', parentGoalIds: ['MTG'] }, 400, 'parentGoalIds.0'],
      ['an unknown field', { date: '2026-02-17', sessionId: randomUUID() }, 400, 'sessionId'],
    ])('refuses %s', async (_what, body, status, field) => {
      const named: Record<string, string> = { EVENING: p.templates.evening, FOREIGN: other.templates.morning, FOREIGN_GOAL: other.goals.stg, MTG: p.goals.mtg };
      const b: Record<string, unknown> = { ...body };
      if (typeof b.templateId === 'string' && named[b.templateId]) b.templateId = named[b.templateId];
      if (Array.isArray(b.parentGoalIds)) b.parentGoalIds = (b.parentGoalIds as string[]).map((g) => named[g] ?? g);
      await refused('POST', url(), b, status, field);
    });

    it('refuses an unknown day or a day of another program (404), and a second unfinished session (409) unless forced', async () => {
      await refused('POST', url(randomUUID()), { date: '2026-02-17' }, 404);
      const first = (await schedule(day.id, { date: '2026-02-17' })).json();
      const res = await refused('POST', url(), { date: '2026-02-24' }, 409);
      expect(res.message).toContain(first.session.id);
      const forced = await schedule(day.id, { date: '2026-02-24' }, '?force=true');
      expect(forced.statusCode).toBe(201);
      expect((await ok(api, 'GET', p.at(`/sessions/${first.session.id}`))).completed).toBe(true);
    });

    it('needs parentGoalIds when neither the block nor the program works towards a short-term goal', async () => {
      const bare = await ok(api, 'POST', p.at('/programs'), { name: 'Bare', startDate: '2026-09-01', endDate: '2026-09-30', goalIds: [p.goals.ltg] });
      const b = await ok(api, 'POST', p.at(`/programs/${bare.id}/blocks`), { name: 'B', startDate: '2026-09-01', endDate: '2026-09-30', goalIds: [p.goals.mtg] });
      const d = await ok(api, 'POST', p.at(`/programs/${bare.id}/blocks/${b.id}/days`), { date: '2026-09-02', templates: [{ templateId: p.templates.morning }] });
      await refused('POST', p.at(`/programs/${bare.id}/days/${d.id}/schedule`), { date: '2026-09-02' }, 400, 'parentGoalIds');
      await refused('POST', p.at(`/programs/${program.id}/days/${d.id}/schedule`), { date: '2026-09-02' }, 404);
      const made = await ok(api, 'POST', p.at(`/programs/${bare.id}/days/${d.id}/schedule`), { date: '2026-09-02', parentGoalIds: [p.goals.stg2] });
      expect(made.session.parentGoalId).toBe(p.goals.stg2);
    });

    it('refuses a bad unschedule', async () => {
      const un = p.at(`/programs/${program.id}/days/${day.id}/unschedule`);
      await refused('POST', un, { date: '2026-02-18' }, 400, 'date');
      await refused('POST', un, {}, 400, 'date');
      await refused('POST', p.at(`/programs/${program.id}/days/${randomUUID()}/unschedule`), { date: '2026-02-17' }, 404);
    });
  });
});
