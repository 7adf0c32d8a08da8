import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Api, closeOpen, ok, planningRoot, sessionApi } from './helpers';

interface Captured {
  sql: string;
  params: unknown[];
}

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
    tenantTables = new Set(TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName));
  });
  afterAll(async () => api?.t.close());

  /** Runs `work` with every statement recorded, on the write connection and on the read one. */
  async function recording<T>(work: () => Promise<T>): Promise<{ result: T; statements: Captured[] }> {
    const reader = (api.t.app.get(UnitOfWork) as unknown as { reader?: DataSource }).reader;
    const sources = [ds, ...(reader ? [reader] : [])] as unknown as { logger: object }[];
    const originals = sources.map((s) => s.logger);
    const statements: Captured[] = [];
    sources.forEach((s, k) => {
      s.logger = new Proxy(originals[k], {
        get: (target, key) => (key === 'logQuery' ? (sql: string, params: unknown[] = []) => statements.push({ sql, params }) : Reflect.get(target, key)),
      });
    });
    try {
      const result = await work();
      captured.push(...statements);
      return { result, statements };
    } finally {
      sources.forEach((s, k) => (s.logger = originals[k]));
    }
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

    const reads = captured.filter((c) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(100);
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const { sql, params } of reads) {
      const aliases = new Map(tablesOf(sql).map((t) => [t.alias, t.table]));
      const plan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      for (const { detail } of plan) {
        const m = /^(SCAN|SEARCH) (\S+)(?: EXISTS)?(?: USING (?:COVERING )?INDEX (\S+)| USING (INTEGER )?PRIMARY KEY)?/.exec(detail);
        if (!m) continue;
        const table = aliases.get(m[2]) ?? m[2];
        if (!tenantTables.has(table)) continue;
        seen.add(table);
        const first = m[3] ? await firstColumn(m[3]) : 'rowid';
        const allowed = new Set(['root_id', 'id', ...(await foreignKeyColumns(table))]);
        if (m[1] === 'SCAN' || !allowed.has(first)) problems.push(`${detail} (first column ${first}) in: ${sql.slice(0, 200)}`);
      }
    }
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

  function tablesOf(sql: string): { table: string; alias: string }[] {
    const out: { table: string; alias: string }[] = [];
    for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"(?:\s+(?:AS\s+)?"(\w+)")?/gi)) out.push({ table: m[1], alias: m[2] ?? m[1] });
    return out;
  }

  async function firstColumn(index: string): Promise<string> {
    const cols: { name: string }[] = await ds.query(`PRAGMA index_info("${index}")`);
    return cols[0]?.name ?? '';
  }

  async function foreignKeyColumns(table: string): Promise<string[]> {
    const fks: { from: string }[] = await ds.query(`PRAGMA foreign_key_list("${table}")`);
    return fks.map((f) => f.from);
  }
});
