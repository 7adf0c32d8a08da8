import { describeDb } from '../helpers/db';
import { Api, ok, sessionApi } from './helpers';

/**
 * A four-week program with two blocks, planned, scheduled and practised for its first two
 * weeks through HTTP only, then read back as a calendar and as progress. Every figure below is
 * counted by hand from the plan and what was practised.
 *
 * Plan (2026-03-02, a Monday, to 2026-03-29):
 * - Base, 03-02..03-15, goal Short A: "Technique" Mon/Wed/Fri [Morning]; "Long" on Sat 03-07 [Morning, Evening].
 * - Build, 03-16..03-29, goal Short B: "Technique" Mon/Thu [Evening, Extra optional]; "Test" on Sat 03-28 [Extra].
 * Practice: Mon 02, Wed 04, Fri 06, Sat 07 (two sessions), Mon 09 done; Wed 11 scheduled then
 * unscheduled; Fri 13 never scheduled.
 */
describeDb('programs scenario', () => {
  let api: Api;
  let root: string;
  const at = (path: string) => api.at(root, path);
  const post = (path: string, body: unknown = {}) => ok(api, 'POST', at(path), body);

  beforeAll(async () => {
    api = await sessionApi('scenario-programs@example.com');
    root = await api.newRoot('Guitar');
  });
  afterAll(async () => api?.t.close());

  it('plans, schedules and practises two weeks, and reads back the calendar and the progress', async () => {
    const ltg = (await post('/goals', { parentId: root, type: 'LongTermGoal', name: 'Play jazz' })).id;
    const mtg = (await post('/goals', { parentId: ltg, type: 'MidTermGoal', name: 'Standards' })).id;
    const shortA = (await post('/goals', { parentId: mtg, type: 'ShortTermGoal', name: 'Clean scales' })).id;
    const shortB = (await post('/goals', { parentId: mtg, type: 'ShortTermGoal', name: 'Smooth changes' })).id;
    const scales = await post('/activities', { name: 'Scales', metrics: [{ name: 'Tempo', unit: 'bpm' }] });
    const chords = (await post('/activities', { name: 'Chords' })).id;
    const template = (name: string, activityId: string) => post('/session-templates', { name, sections: [{ name: 'Main', durationMinutes: 20, activities: [{ activityId }] }] });
    const morning = (await template('Morning', scales.id)).id;
    const evening = (await template('Evening', chords)).id;
    const extra = (await template('Extra', scales.id)).id;

    const program = await post('/programs', { name: 'Four weeks', startDate: '2026-03-02', endDate: '2026-03-29', goalIds: [mtg] });
    const base = await post(`/programs/${program.id}/blocks`, { name: 'Base', startDate: '2026-03-02', endDate: '2026-03-15', goalIds: [shortA] });
    const build = await post(`/programs/${program.id}/blocks`, { name: 'Build', startDate: '2026-03-16', endDate: '2026-03-29', goalIds: [shortB] });
    const day = (blockId: string, body: unknown) => post(`/programs/${program.id}/blocks/${blockId}/days`, body);
    const technique = await day(base.id, { name: 'Technique', weekdays: ['mon', 'wed', 'fri'], templates: [{ templateId: morning }] });
    const long = await day(base.id, { name: 'Long', date: '2026-03-07', templates: [{ templateId: morning }, { templateId: evening }] });
    await day(build.id, { name: 'Technique', weekdays: ['mon', 'thu'], templates: [{ templateId: evening }, { templateId: extra, required: false }] });
    await day(build.id, { name: 'Test', date: '2026-03-28', templates: [{ templateId: extra }] });

    /** Schedules the occurrence's next template, records a tempo on Morning sessions, completes it. */
    const practise = async (dayId: string, date: string) => {
      const { session } = await post(`/programs/${program.id}/days/${dayId}/schedule`, { date });
      if (session.templateId === morning) {
        await ok(api, 'PUT', at(`/activity-instances/${session.instances[0].id}/metrics`), { values: [{ metricId: scales.metrics[0].id, value: 100 }] });
      }
      await post(`/sessions/${session.id}/complete`);
      return session;
    };
    for (const date of ['2026-03-02', '2026-03-04', '2026-03-06']) await practise(technique.id, date);
    const longMorning = await practise(long.id, '2026-03-07');
    const longEvening = await practise(long.id, '2026-03-07');
    expect([longMorning.templateId, longEvening.templateId]).toEqual([morning, evening]);
    expect(longMorning.parentGoalId).toBe(shortA);
    await practise(technique.id, '2026-03-09');
    const dropped = (await post(`/programs/${program.id}/days/${technique.id}/schedule`, { date: '2026-03-11' })).session;
    expect((await post(`/programs/${program.id}/days/${technique.id}/unschedule`, { date: '2026-03-11' })).removedSessionIds).toEqual([dropped.id]);
    await post(`/goals/${shortA}/complete`);

    // The calendar of the two weeks: seven occurrences, by date.
    const weeks = (await ok(api, 'GET', at(`/programs/${program.id}/calendar?from=2026-03-02&to=2026-03-15`))).occurrences;
    expect(weeks.map((o: { date: string; name: string; complete: boolean; sessions: unknown[] }) => [o.date, o.name, o.complete, o.sessions.length])).toEqual([
      ['2026-03-02', 'Technique', true, 1],
      ['2026-03-04', 'Technique', true, 1],
      ['2026-03-06', 'Technique', true, 1],
      ['2026-03-07', 'Long', true, 2],
      ['2026-03-09', 'Technique', true, 1],
      ['2026-03-11', 'Technique', false, 0],
      ['2026-03-13', 'Technique', false, 0],
    ]);
    // The whole program: 7 occurrences in Base; in Build, Mon 16, Thu 19, Mon 23, Thu 26 and the test on Sat 28.
    const all = (await ok(api, 'GET', at(`/programs/${program.id}/calendar`))).occurrences;
    expect(all.filter((o: { blockId: string }) => o.blockId === build.id).map((o: { date: string }) => o.date)).toEqual([
      '2026-03-16',
      '2026-03-19',
      '2026-03-23',
      '2026-03-26',
      '2026-03-28',
    ]);

    // Progress at the end of week two: 5 done of the 7 due, 12 in all; goals: Standards, Clean scales, Smooth changes linked, Clean scales completed.
    const twoWeeks = (await ok(api, 'GET', at(`/programs/${program.id}?asOf=2026-03-15`))).progress;
    expect(twoWeeks).toEqual({
      asOf: '2026-03-15',
      occurrences: { done: 5, due: 7, total: 12 },
      goals: { completed: 1, linked: 3 },
      blocks: [
        { id: base.id, name: 'Base', done: 5, due: 7, total: 7, complete: false },
        { id: build.id, name: 'Build', done: 0, due: 0, total: 5, complete: false },
      ],
      complete: false,
    });
    // A week later nothing more was done: Mon 16 and Thu 19 are due too.
    const threeWeeks = (await ok(api, 'GET', at(`/programs/${program.id}?asOf=2026-03-22`))).progress;
    expect(threeWeeks.occurrences).toEqual({ done: 5, due: 9, total: 12 });

    // Catching up Wed 11 and Fri 13 completes the Base block.
    await practise(technique.id, '2026-03-11');
    await practise(technique.id, '2026-03-13');
    const caught = (await ok(api, 'GET', at(`/programs/${program.id}?asOf=2026-03-15`))).progress;
    expect(caught.occurrences).toEqual({ done: 7, due: 7, total: 12 });
    expect(caught.blocks.map((b: { complete: boolean }) => b.complete)).toEqual([true, false]);
    expect(caught.complete).toBe(false);
  });
});
