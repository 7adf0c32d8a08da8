import { randomUUID } from 'node:crypto';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { createTestApp, TestApp } from '../helpers/db';
import { practice, rootClient, RootClient } from './helpers';

/**
 * SQLite's EXPLAIN QUERY PLAN for every statement the activity, goal-link and template routes
 * run: no tenant table is scanned, and every index searched begins with root_id, with a column
 * of a foreign key, or is the primary key.
 */

/**
 * Tables that grow with every practice session. A search of one of them on root_id alone reads
 * the root's whole history: it must narrow by a key as well.
 */
const GROWING = new Set(['activity_instances', 'metric_values']);

interface Captured {
  sql: string;
  params: unknown[];
}

interface PlanRow {
  detail: string;
}

/** alias -> table, from the FROM/JOIN/UPDATE clauses TypeORM writes (`"table" "alias"`). */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/(?:FROM|JOIN|UPDATE|INTO)\s+"([a-z_]+)"(?:\s+(?:AS\s+)?"([^"]+)")?/gi)) out.set(m[2] ?? m[1], m[1]);
  return out;
}

describe('query plans of the activity and template routes (SQLite)', () => {
  let t: TestApp;
  let a: RootClient;
  let b: RootClient;
  let tenantTables: Set<string>;
  /** Per tenant table: the columns an index may begin with. */
  let allowedFirst: Map<string, Set<string>>;
  const indexFirst = new Map<string, string>();
  let captured: Captured[] = [];

  const firstColumn = async (index: string): Promise<string> => {
    if (!indexFirst.has(index)) {
      const cols: { name: string }[] = await t.db.dataSource.query(`PRAGMA index_info("${index}")`);
      indexFirst.set(index, cols[0]?.name ?? '');
    }
    return indexFirst.get(index)!;
  };

  /** What is wrong with one statement's plan; empty when nothing is. */
  async function violations(q: Captured): Promise<string[]> {
    const plan: PlanRow[] = await t.db.dataSource.query(`EXPLAIN QUERY PLAN ${q.sql}`, q.params as unknown[]);
    const names = aliases(q.sql);
    const out: string[] = [];
    for (const { detail } of plan) {
      const m = /^(SCAN|SEARCH) (\S+)(?: USING (?:COVERING )?INDEX (\S+)| USING (INTEGER PRIMARY KEY))?/.exec(detail);
      if (!m) continue;
      const table = names.get(m[2]) ?? m[2];
      if (!tenantTables.has(table)) continue;
      if (m[1] === 'SCAN') {
        out.push(`${detail}  <-  ${q.sql}`);
        continue;
      }
      if (m[4]) continue;
      const first = m[3] ? await firstColumn(m[3]) : '';
      if (!allowedFirst.get(table)!.has(first)) out.push(`${detail} (index begins with ${first})  <-  ${q.sql}`);
      else if (GROWING.has(table) && /\(root_id=\?\)$/.test(detail)) out.push(`${detail} (the root's whole history)  <-  ${q.sql}`);
    }
    return out;
  }

  /** Runs a call and checks every statement it ran; answers the response. */
  async function checked(method: string, path: string, payload?: unknown, headers?: Record<string, string>, refused = false) {
    captured = [];
    const res = await a.call(method, path, payload, headers);
    const statements = captured.filter((q) => /^\s*(SELECT|UPDATE|DELETE|WITH|INSERT\s+INTO\s+\S+\s*(\([^)]*\))?\s*SELECT)/i.test(q.sql));
    const problems: string[] = [];
    for (const q of statements) problems.push(...(await violations(q)));
    expect({ call: `${method} ${path}`, status: res.statusCode, problems }).toEqual({ call: `${method} ${path}`, status: expect.any(Number), problems: [] });
    const expected = refused ? res.statusCode >= 400 && res.statusCode < 500 : res.statusCode < 300;
    if (!expected) throw new Error(`${method} ${path} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    // Every call runs statements of its own (reads too, on the read connection): none escapes the check.
    expect({ call: `${method} ${path}`, statements: statements.length > 0 }).toEqual({ call: `${method} ${path}`, statements: true });
    return { res, statements: statements.length };
  }

  beforeAll(async () => {
    t = await createTestApp();
    a = await rootClient(t, 'plans-a@example.com');
    b = await rootClient(t, 'plans-b@example.com');
    const ds = t.db.dataSource;
    tenantTables = new Set(TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName));
    allowedFirst = new Map(
      TENANT_ENTITIES.map((e) => {
        const meta = ds.getMetadata(e);
        const fkColumns = meta.foreignKeys.flatMap((f) => f.columnNames);
        return [meta.tableName, new Set(['root_id', 'id', ...fkColumns])];
      }),
    );
    const inner = ds.logger;
    const spy: TypeOrmLogger = {
      logQuery: (sql, params) => void captured.push({ sql, params: (params ?? []) as unknown[] }),
      logQueryError: (...args) => inner.logQueryError(...args),
      logQuerySlow: (...args) => inner.logQuerySlow(...args),
      logSchemaBuild: (...args) => inner.logSchemaBuild(...args),
      logMigration: (...args) => inner.logMigration(...args),
      log: (...args) => inner.log(...args),
    };
    (ds as unknown as { logger: TypeOrmLogger }).logger = spy;
    // Reads run on the unit of work's read-only connection, a DataSource of its own.
    const reader = (t.app.get(UnitOfWork) as unknown as { reader?: DataSource }).reader;
    expect(reader?.isInitialized).toBe(true);
    (reader as unknown as { logger: TypeOrmLogger }).logger = spy;
    // Another root with rows in the same tables, so that a plan that ignored root_id would show.
    for (const c of [b, a]) {
      const group = (await c.call('POST', '/activity-groups', { name: 'Other' })).json().id;
      for (let i = 0; i < 5; i++) await c.call('POST', '/activities', { name: `Filler ${i}`, groupId: group, metrics: [{ name: 'M', unit: '' }] });
    }
  });
  afterAll(async () => t?.close());

  it('flags a statement that scans a tenant table (the check can fail)', async () => {
    const found = await violations({ sql: `SELECT "a"."id" FROM "activity_definitions" "a" WHERE "a"."description" = ?`, params: ['x'] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^SCAN a/);
    const narrow = await violations({ sql: `SELECT "a"."id" FROM "activity_definitions" "a" WHERE "a"."root_id" = ? AND "a"."name" = ?`, params: [a.rootId, 'x'] });
    expect(narrow).toEqual([]);
    const wide = await violations({ sql: `SELECT "v"."id" FROM "metric_values" "v" WHERE "v"."root_id" = ? AND "v"."value" > ?`, params: [a.rootId, 1] });
    expect(wide).toEqual([expect.stringMatching(/root's whole history/)]);
  });

  it('groups, activities, history, goal links and templates use indexes that begin with root_id or a key', async () => {
    let total = 0;
    const run = async (...args: Parameters<typeof checked>) => {
      const r = await checked(...args);
      total += r.statements;
      return r.res;
    };
    // Groups.
    const g1 = (await run('POST', '/activity-groups', { name: 'G1' })).json().id;
    const g2 = (await run('POST', '/activity-groups', { name: 'G2', parentId: g1 })).json().id;
    const g3 = (await run('POST', '/activity-groups', { name: 'G3', parentId: g1 })).json().id;
    const page = (await run('GET', '/activity-groups?limit=1')).json();
    await run('GET', `/activity-groups?limit=1&cursor=${page.nextCursor}`);
    await run('GET', `/activity-groups/${g2}`);
    await run('PATCH', `/activity-groups/${g3}`, { name: 'G3b', parentId: g2 }, { 'if-match': '"1"' });
    await run('PUT', '/activity-groups/order', { ids: [g2] });
    // Activities.
    const body = { name: 'Scales', groupId: g1, hasSets: true, metrics: [{ name: 'Tempo', unit: 'bpm' }, { name: 'Reps', unit: '' }], splits: [{ name: 'L' }, { name: 'R' }] };
    const activity = (await run('POST', '/activities', body)).json();
    await run('POST', '/activities', { name: 'Nested', groupId: g2 });
    const list = (await run('GET', '/activities?limit=2')).json();
    await run('GET', `/activities?limit=2&cursor=${list.nextCursor}`);
    await run('GET', `/activities?groupId=${g1}`);
    await run('GET', `/activities/${activity.id}`);
    const p = practice(t, a.rootId);
    const sessionIds: string[] = [];
    for (const day of ['01', '02', '03']) {
      const session = await p.session(`S${day}`, `2026-05-${day}T10:00:00Z`, { completed: true });
      sessionIds.push(session);
      const instance = await p.instance(session, activity.id, `2026-05-${day}T10:05:00Z`, { durationSeconds: 60 });
      await p.value(instance, activity.metrics[0].id, 100, activity.splits[0].id);
    }
    await run('PATCH', `/activities/${activity.id}`, {
      metrics: [{ id: activity.metrics[1].id, name: 'Tempo 2', unit: 'x' }, { name: 'New', unit: '' }],
      splits: [{ id: activity.splits[1].id, name: 'Right' }],
    });
    const history = (await run('GET', `/activities/${activity.id}/history?limit=2`)).json();
    expect(history.items).toHaveLength(2);
    await run('GET', `/activities/${activity.id}/history?limit=2&cursor=${history.nextCursor}`);
    // Goal links: a chain that inherits, direct links and a nested group.
    const [stg] = await t.db.dataSource.query(`SELECT parent_id FROM goals WHERE id = ?`, [sessionIds[0]]);
    const [mtg] = await t.db.dataSource.query(`SELECT parent_id FROM goals WHERE id = ?`, [stg.parent_id]);
    await run('PUT', `/goals/${mtg.parent_id}/activities`, { activityIds: [activity.id], groupIds: [] });
    await run('PUT', `/goals/${stg.parent_id}/activities`, { activityIds: [activity.id], groupIds: [g1], inheritParentActivities: true });
    const links = (await run('GET', `/goals/${stg.parent_id}/activities?limit=1`)).json();
    await run('GET', `/goals/${stg.parent_id}/activities?limit=1&cursor=${links.nextCursor}`);
    // Templates.
    const template = (
      await run('POST', '/session-templates', { name: 'T', sections: [{ name: 'A', durationMinutes: 5, activities: [{ activityId: activity.id }] }, { name: 'B', durationMinutes: 5 }] })
    ).json();
    await t.db.dataSource.query(`UPDATE goals SET template_id = ? WHERE id IN (?, ?)`, [template.id, sessionIds[0], sessionIds[1]]);
    const templates = (await run('GET', '/session-templates?limit=1')).json();
    await run('GET', `/session-templates?limit=1&cursor=${templates.nextCursor ?? ''}`);
    await run('GET', `/session-templates/${template.id}`);
    await run('PATCH', `/session-templates/${template.id}`, { sections: [{ name: 'A', durationMinutes: 6, activities: [] }] }, { 'if-match': '"1"' });
    await run('GET', `/session-templates/${template.id}/stats`);
    await run('DELETE', `/session-templates/${template.id}`);
    // Deletes last, and a few refusals (their statements run too).
    await run('DELETE', `/activities/${activity.id}`);
    await run('DELETE', `/activity-groups/${g1}`);
    await run('POST', '/activities', { name: 'Filler 0' }, undefined, true);
    await run('PUT', `/goals/${stg.parent_id}/activities`, { activityIds: [randomUUID()], groupIds: [] }, undefined, true);
    await run('GET', `/activities/${randomUUID()}`, undefined, undefined, true);
    expect(total).toBeGreaterThan(100);
  });
});
