import { DataSource } from 'typeorm';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Api, ok, sessionApi } from '../sessions/helpers';

/**
 * Every statement the trash routes run, read back with SQLite's EXPLAIN QUERY PLAN: each tenant
 * table is searched through an index that begins with root_id, a foreign key column or the id,
 * and never scanned.
 */
describe('query plans of the trash routes (SQLite)', () => {
  let api: Api;
  let ds: DataSource;
  let tenantTables: Set<string>;

  beforeAll(async () => {
    api = await sessionApi('trash-plans@example.com');
    ds = api.t.db.dataSource;
    tenantTables = new Set(TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName));
  });
  afterAll(async () => api?.t.close());

  async function recording(work: () => Promise<void>): Promise<{ sql: string; params: unknown[] }[]> {
    const reader = (api.t.app.get(UnitOfWork) as unknown as { reader?: DataSource }).reader;
    const sources = [ds, ...(reader ? [reader] : [])] as unknown as { logger: object }[];
    const originals = sources.map((s) => s.logger);
    const statements: { sql: string; params: unknown[] }[] = [];
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

  /** A root with a deletion of every kind, so that a query that lost its root would read them. */
  async function deletions(label: string) {
    const root = await api.newRoot(label);
    const at = (path: string) => api.at(root, path);
    const ltg = (await ok(api, 'POST', at('/goals'), { parentId: root, type: 'LongTermGoal', name: 'L' })).id;
    const mtg = (await ok(api, 'POST', at('/goals'), { parentId: ltg, type: 'MidTermGoal', name: 'M' })).id;
    const stg = (await ok(api, 'POST', at('/goals'), { parentId: mtg, type: 'ShortTermGoal', name: 'S' })).id;
    const group = (await ok(api, 'POST', at('/activity-groups'), { name: 'G' })).id;
    const activity = (await ok(api, 'POST', at('/activities'), { name: 'A', metrics: [{ name: 'm', unit: 'u' }] })).id;
    const template = (await ok(api, 'POST', at('/session-templates'), { name: 'T', sections: [{ name: 'S', durationMinutes: 5, activities: [{ activityId: activity }] }] })).id;
    const session = (await ok(api, 'POST', at('/sessions'), { parentGoalIds: [stg], templateId: template })).id;
    await ok(api, 'POST', at(`/sessions/${session}/complete`));
    await ok(api, 'DELETE', at(`/sessions/${session}`));
    await ok(api, 'DELETE', at(`/session-templates/${template}`));
    await ok(api, 'DELETE', at(`/activity-groups/${group}`));
    await ok(api, 'DELETE', at(`/goals/${ltg}`));
    return { root, at };
  }

  it('uses an index for every tenant table on every trash route', async () => {
    await deletions('Other');
    const mine = await deletions('Mine');
    const statements = await recording(async () => {
      const page = await ok(api, 'GET', mine.at('/trash?limit=2'));
      await ok(api, 'GET', mine.at(`/trash?limit=2&cursor=${page.nextCursor}`));
      for (const item of (await ok(api, 'GET', mine.at('/trash'))).items) await ok(api, 'POST', mine.at(`/trash/${item.deletionId}/restore`), {});
    });
    const reads = statements.filter((c) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const { sql, params } of reads) {
      const aliases = new Map(tablesOf(sql).map((t) => [t.alias, t.table]));
      const plan: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      for (const { detail } of plan) {
        const m = /^(SCAN|SEARCH) (\S+)(?: EXISTS)?(?: USING (?:COVERING )?INDEX (\S+)| USING (INTEGER )?PRIMARY KEY)?/.exec(detail);
        if (!m) continue;
        const table = aliases.get(m[2]) ?? m[2];
        if (!tenantTables.has(table)) continue;
        const first = m[3] ? ((await ds.query(`PRAGMA index_info("${m[3]}")`)) as { name: string }[])[0]?.name ?? '' : 'rowid';
        const fks = ((await ds.query(`PRAGMA foreign_key_list("${table}")`)) as { from: string }[]).map((f) => f.from);
        if (m[1] === 'SCAN' || !new Set(['root_id', 'id', ...fks]).has(first)) problems.push(`${detail} (first column ${first}) in: ${sql.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  function tablesOf(sql: string): { table: string; alias: string }[] {
    const out: { table: string; alias: string }[] = [];
    for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"(?:\s+(?:AS\s+)?"(\w+)")?/gi)) out.push({ table: m[1], alias: m[2] ?? m[1] });
    return out;
  }
});
