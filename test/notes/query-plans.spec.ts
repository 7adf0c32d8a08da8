import { DataSource } from 'typeorm';
import { planProblems, READS, recordStatements, tablesOf, tenantTablesOf } from '../helpers/query-plans';
import { Api, notesRoot, ok, sessionApi } from './helpers';

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
    tenantTables = tenantTablesOf(ds);
  });
  afterAll(async () => api?.t.close());

  it('uses an index beginning with root_id (or a key) for every tenant table on every notes route', async () => {
    // Other roots with notes of their own, so that a query that lost its root would read them.
    for (const label of ['Other 1', 'Other 2']) {
      const o = await notesRoot(api, label);
      const s = await o.session('2026-03-01T10:00:00Z', [o.scales.id]);
      for (const [type, id] of [['goal', o.goals.stg], ['session', s.id], ['activity', o.scales.id], ['root', o.root]]) await o.note(type, id);
    }
    const r = await notesRoot(api, 'Mine');
    const earlier = await r.session('2026-03-01T10:00:00Z', [r.scales.id, r.chords.id]);
    const { statements } = await recordStatements(api.t.app, ds, async () => {
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

    const reads = statements.filter((c) => READS.test(c.sql) && tablesOf(c.sql).some((t) => t.table === 'notes'));
    expect(reads.length).toBeGreaterThan(20);
    const { problems } = await planProblems(ds, statements.filter((c) => READS.test(c.sql)), tenantTables);
    expect(problems).toEqual([]);

    // The reading of plans catches what it must: a filter on an unindexed column of notes scans.
    const scan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN SELECT * FROM "notes" "n" WHERE n.content = ?`, ['x']);
    expect(scan.map((p) => p.detail)).toEqual([expect.stringMatching(/^SCAN n\b/)]);
  });
});
