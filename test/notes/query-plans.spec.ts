import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Api, notesRoot, ok, sessionApi } from './helpers';

interface Captured {
  sql: string;
  params: unknown[];
}

/**
 * Every statement the notes routes run (and the note counts and takes of other routes), read
 * back with SQLite's EXPLAIN QUERY PLAN: each tenant table is searched through an index that
 * begins with root_id, a foreign key column or the id, and never scanned.
 */
describe('query plans of the notes routes (SQLite)', () => {
  let api: Api;
  let ds: DataSource;
  let tenantTables: Set<string>;

  beforeAll(async () => {
    api = await sessionApi('notes-plans@example.com');
    ds = api.t.db.dataSource;
    tenantTables = new Set(TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName));
  });
  afterAll(async () => api?.t.close());

  /** Runs `work` with every statement recorded, on the write connection and on the read one. */
  async function recording(work: () => Promise<void>): Promise<Captured[]> {
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
      await work();
      return statements;
    } finally {
      sources.forEach((s, k) => (s.logger = originals[k]));
    }
  }

  it('uses an index beginning with root_id (or a key) for every tenant table on every notes route', async () => {
    // Other roots with notes of their own, so that a query that lost its root would read them.
    for (const label of ['Other 1', 'Other 2']) {
      const o = await notesRoot(api, label);
      const s = await o.session('2026-03-01T10:00:00Z', [o.scales.id]);
      for (const [type, id] of [['goal', o.goals.stg], ['session', s.id], ['activity', o.scales.id], ['root', o.root]]) await o.note(type, id);
    }
    const r = await notesRoot(api, 'Mine');
    const earlier = await r.session('2026-03-01T10:00:00Z', [r.scales.id, r.chords.id]);
    const statements = await recording(async () => {
      const current = await r.session('2026-03-02T10:00:00Z', [r.scales.id, r.chords.id]);
      const n = await ok(api, 'POST', r.at('/notes'), { content: 'a', about: { type: 'session', id: current.id } });
      await ok(api, 'POST', r.at('/notes'), { content: 'b', about: { type: 'session', id: earlier.id } });
      await ok(api, 'POST', r.at('/notes'), { content: 'c', about: { type: 'goal', id: r.goals.ltg } });
      await ok(api, 'POST', r.at('/notes'), { content: 'd', about: { type: 'activity', id: r.arpeggios.id } });
      await ok(api, 'POST', r.at('/notes'), { content: 'e', about: { type: 'instance', id: current.instances[0] } });
      await ok(api, 'POST', r.at('/notes'), { content: 'f', about: { type: 'root', id: r.root } });
      await ok(api, 'GET', r.at(`/notes/${n.id}`));
      await ok(api, 'PATCH', r.at(`/notes/${n.id}`), { content: 'A' });
      await ok(api, 'POST', r.at(`/notes/${n.id}/pin`));
      const page = await ok(api, 'GET', r.at('/notes?limit=2'));
      await ok(api, 'GET', r.at(`/notes?limit=2&cursor=${page.nextCursor}`));
      await ok(api, 'GET', r.at('/notes?aboutType=goal'));
      await ok(api, 'GET', r.at(`/notes?aboutType=session&aboutId=${current.id}`));
      const sessionPage = await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true&limit=1`));
      expect(sessionPage.previousSessionId).toBe(earlier.id);
      await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true&limit=1&cursor=${sessionPage.nextCursor}`));
      await ok(api, 'POST', r.at(`/notes/${n.id}/unpin`));
      await ok(api, 'GET', r.at(`/goals/${r.goals.ltg}`));
      await ok(api, 'GET', r.at(`/sessions/${current.id}`));
      await ok(api, 'GET', r.at('/activities'));
      await ok(api, 'DELETE', r.at(`/activity-instances/${current.instances[0]}`));
      await ok(api, 'DELETE', r.at(`/activities/${r.arpeggios.id}`));
      await ok(api, 'DELETE', r.at(`/goals/${r.goals.mtg}`));
      await ok(api, 'POST', r.at(`/goals/${r.goals.mtg}/restore`));
      await ok(api, 'DELETE', r.at(`/notes/${n.id}`));
    });

    const reads = statements.filter((c) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(c.sql) && tablesOf(c.sql).some((t) => t.table === 'notes'));
    expect(reads.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { sql, params } of statements.filter((c) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(c.sql))) {
      const aliases = new Map(tablesOf(sql).map((t) => [t.alias, t.table]));
      if (![...aliases.values()].some((t) => tenantTables.has(t))) continue;
      const plan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      for (const { detail } of plan) {
        const m = /^(SCAN|SEARCH) (\S+)(?: EXISTS)?(?: USING (?:COVERING )?INDEX (\S+)| USING (INTEGER )?PRIMARY KEY)?/.exec(detail);
        if (!m) continue;
        const table = aliases.get(m[2]) ?? m[2];
        if (!tenantTables.has(table)) continue;
        const first = m[3] ? await firstColumn(m[3]) : 'rowid';
        const allowed = new Set(['root_id', 'id', ...(await foreignKeyColumns(table))]);
        if (m[1] === 'SCAN' || !allowed.has(first)) problems.push(`${detail} (first column ${first}) in: ${sql.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);

    // The reading of plans catches what it must: a filter on an unindexed column of notes scans.
    const scan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN SELECT * FROM "notes" "n" WHERE n.content = ?`, ['x']);
    expect(scan.map((p) => p.detail)).toEqual([expect.stringMatching(/^SCAN n\b/)]);
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
