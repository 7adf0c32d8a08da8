import { DataSource } from 'typeorm';
import { planProblems, READS, recordStatements, tablesOf, tenantTablesOf } from '../helpers/query-plans';
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
    tenantTables = tenantTablesOf(ds);
  });
  afterAll(async () => api?.t.close());

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
    const { statements } = await recordStatements(api.t.app, ds, async () => {
      const page = await ok(api, 'GET', mine.at('/trash?limit=2'));
      await ok(api, 'GET', mine.at(`/trash?limit=2&cursor=${page.nextCursor}`));
      for (const item of (await ok(api, 'GET', mine.at('/trash'))).items) await ok(api, 'POST', mine.at(`/trash/${item.deletionId}/restore`), {});
    });
    const reads = statements.filter((c) => READS.test(c.sql) && tablesOf(c.sql).some((t) => tenantTables.has(t.table)));
    expect(reads.length).toBeGreaterThan(50);
    const { problems } = await planProblems(ds, reads, tenantTables);
    expect(problems).toEqual([]);
  });
});
