import { DataSource } from 'typeorm';
import { Captured, planProblems, READS, recordStatements, tablesOf, tenantTablesOf } from '../helpers/query-plans';
import { Api, closeOpen, ok, planningRoot, sessionApi } from './helpers';

/**
 * Every statement the programs routes run, read back with SQLite's EXPLAIN QUERY PLAN: each
 * tenant table is searched through an index that begins with root_id, a foreign key column
 * or the id, and never scanned. And a calendar costs as many statements for ten weeks of
 * occurrences as for one day.
 */
describe('query plans of the programs routes (SQLite)', () => {
  let api: Api;
  let ds: DataSource;
  let tenantTables: Set<string>;
  const captured: Captured[] = [];

  beforeAll(async () => {
    api = await sessionApi('plans@example.com');
    ds = api.t.db.dataSource;
    tenantTables = tenantTablesOf(ds);
  });
  afterAll(async () => api?.t.close());

  /** Runs `work` with every statement recorded, and keeps them all for the plan check. */
  async function recording<T>(work: () => Promise<T>): Promise<{ result: T; statements: Captured[] }> {
    const recorded = await recordStatements(api.t.app, ds, work);
    captured.push(...recorded.statements);
    return recorded;
  }

  /** A root with a program, a block, days and a scheduled session, so that a query that lost its root would read them. */
  async function planned(label: string, start: string) {
    const p = await planningRoot(api, label);
    const end = `${start.slice(0, 8)}28`;
    const program = await ok(api, 'POST', p.at('/programs'), { name: `Plan ${label}`, startDate: start, endDate: end, goalIds: [p.goals.mtg] });
    const block = await ok(api, 'POST', p.at(`/programs/${program.id}/blocks`), { name: 'B', startDate: start, endDate: end, goalIds: [p.goals.stg] });
    const days = p.at(`/programs/${program.id}/blocks/${block.id}/days`);
    const day = await ok(api, 'POST', days, { weekdays: ['mon', 'wed'], templates: [{ templateId: p.templates.morning }, { templateId: p.templates.evening, required: false }] });
    return { ...p, program, block, day, days };
  }

  it('uses an index for every tenant table on every route', async () => {
    for (const label of ['Other 1', 'Other 2']) {
      const o = await planned(label, '2026-02-01');
      const s = await ok(api, 'POST', o.at(`/programs/${o.program.id}/days/${o.day.id}/schedule`), { date: '2026-02-02' });
      await ok(api, 'POST', o.at(`/sessions/${s.session.id}/complete`));
    }
    const p = await planned('Mine', '2026-02-01');
    const prog = (path = '') => p.at(`/programs/${p.program.id}${path}`);
    await recording(async () => {
      await ok(api, 'GET', p.at('/programs?limit=1'));
      const page = await ok(api, 'GET', p.at('/programs?limit=1'));
      await ok(api, 'GET', p.at(`/programs?limit=1&cursor=${encodeURIComponent(page.nextCursor ?? '')}`));
      const second = await ok(api, 'POST', p.at('/programs'), { name: 'March', startDate: '2026-03-01', endDate: '2026-03-31', goalIds: [p.goals.mtg, p.goals.stg] });
      await ok(api, 'PATCH', p.at(`/programs/${second.id}`), { name: 'March plan', startDate: '2026-03-02', goalIds: [p.goals.ltg] });
      const block = await ok(api, 'POST', p.at(`/programs/${second.id}/blocks`), { name: 'X', startDate: '2026-03-02', endDate: '2026-03-20', goalIds: [p.goals.mtg] });
      await ok(api, 'PATCH', p.at(`/programs/${second.id}/blocks/${block.id}`), { endDate: '2026-03-21', goalIds: [p.goals.stg] });
      const day = await ok(api, 'POST', p.at(`/programs/${second.id}/blocks/${block.id}/days`), { date: '2026-03-03', templates: [{ templateId: p.templates.extra }] });
      await ok(api, 'PATCH', p.at(`/programs/${second.id}/blocks/${block.id}/days/${day.id}`), { templates: [{ templateId: p.templates.morning }], minTemplates: 1 });
      await ok(api, 'POST', p.at(`/programs/${second.id}/blocks/${block.id}/days/${day.id}/copy`), {});
      await ok(api, 'DELETE', p.at(`/programs/${second.id}/blocks/${block.id}/days/${day.id}`));
      await ok(api, 'DELETE', p.at(`/programs/${second.id}/blocks/${block.id}`));
      await ok(api, 'DELETE', p.at(`/programs/${second.id}`));
      await ok(api, 'POST', p.at(`/programs/${second.id}/restore`), {});
      const s = await ok(api, 'POST', prog(`/days/${p.day.id}/schedule`), { date: '2026-02-02' });
      await ok(api, 'POST', p.at(`/sessions/${s.session.id}/complete`));
      await ok(api, 'POST', prog(`/days/${p.day.id}/schedule`), { date: '2026-02-02', templateId: p.templates.evening });
      await ok(api, 'POST', prog(`/days/${p.day.id}/unschedule`), { date: '2026-02-02' });
      await ok(api, 'GET', prog('/calendar?from=2026-02-01&to=2026-02-28'));
      await ok(api, 'GET', prog('?asOf=2026-02-15'));
    });

    // The reading of plans catches what it must: a filter on an unindexed column scans.
    const scan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN SELECT * FROM "program_days" "d" WHERE d.name = ?`, ['x']);
    expect(scan.map((r) => r.detail)).toEqual([expect.stringMatching(/^SCAN d\b/)]);

    const reads = captured.filter((c) => READS.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(100);
    const { problems, seen } = await planProblems(ds, reads, tenantTables);
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['goals', 'program_block_goals', 'program_blocks', 'program_day_sessions', 'program_days', 'program_goals', 'programs', 'scheduled_sessions', 'session_templates']),
    );
  });

  it('reads a calendar of ten weeks in as many statements as a calendar of one day', async () => {
    const p = await planned('Count', '2026-05-01');
    for (const date of ['2026-05-04', '2026-05-06', '2026-05-11']) {
      const s = await ok(api, 'POST', p.at(`/programs/${p.program.id}/days/${p.day.id}/schedule`), { date });
      await ok(api, 'POST', p.at(`/sessions/${s.session.id}/complete`));
    }
    await closeOpen(api, p.root);
    const count = async (from: string, to: string) => {
      const { result, statements } = await recording(() => ok(api, 'GET', p.at(`/programs/${p.program.id}/calendar?from=${from}&to=${to}`)));
      return { statements: statements.length, occurrences: result.occurrences.length };
    };
    const one = await count('2026-05-04', '2026-05-04');
    const all = await count('2026-05-01', '2026-07-09');
    expect(one.occurrences).toBe(1);
    expect(all.occurrences).toBe(8);
    expect(all.statements).toBe(one.statements);
    expect(one.statements).toBeLessThanOrEqual(10);
  });
});
