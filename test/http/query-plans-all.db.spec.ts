import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { routesOf } from '../../src/app.factory';
import { TENANT_ENTITIES } from '../../src/database/entities';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { signUp } from '../auth/helpers';
import { createTestApp, describeDb, ENGINE, TestApp } from '../helpers/db';
import { SeededIds, seedTenant } from '../helpers/seed';

/**
 * Every read route of the router (read at test time, so a new route is covered the day it is
 * added), called by the owner of a root seeded with a row in every tenant table, plus the hot
 * write: each statement they run is captured from TypeORM's logger and read back with SQLite's
 * EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with sequential scans disabled (on tables this
 * small the planner would rightly prefer them; with them off, a Seq Scan left means that no
 * index could serve). No tenant table is scanned, and each is searched through an index that
 * begins with root_id, the id or a foreign-key column. A second seeded root makes a query that
 * lost its root read rows it must not. (The per-feature query-plan specs cover the write flows.)
 */

/** Route params, and the seeded row that stands in for each (as in the isolation matrix). */
const PARAM_IDS: Record<string, string> = {
  goalId: 'goals', sessionId: 'session', groupId: 'activity_groups', activityId: 'activity_definitions', metricId: 'metric_definitions',
  splitId: 'split_definitions', instanceId: 'activity_instances', valueId: 'metric_values', templateId: 'session_templates', programId: 'programs',
  blockId: 'program_blocks', dayId: 'program_days', scheduledSessionId: 'scheduled_sessions', linkId: 'practice_session_goals', targetId: 'goal_targets',
  sectionId: 'session_sections', noteId: 'notes', deletionId: 'deletion',
};
const PARAM_VALUES: Record<string, string> = { type: 'LongTermGoal' };
/** Query strings that read routes need to answer 200 (filled like the path). */
const QUERIES: Record<string, string> = {
  'GET /api/roots/:rootId/analytics/activities/:activityId/series': 'metricId=:metricId&agg=max&bucket=week',
};

interface Captured {
  route: string;
  sql: string;
  params: unknown[];
}

describeDb(`query plans of every read route, and the hot write (${ENGINE})`, () => {
  let t: TestApp;
  let ds: DataSource;
  let token: string;
  let ids: Record<string, string>;
  const captured: Captured[] = [];
  let current = '';

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.db.dataSource;
    let seeded: SeededIds | undefined;
    for (const label of ['a', 'b']) {
      const tokens = await signUp(t.app, `plans-${label}@example.com`);
      const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${tokens.accessToken}` } })).json();
      const s = await seedTenant(ds, me.id, randomUUID(), label.toUpperCase());
      if (!seeded) {
        seeded = s;
        token = tokens.accessToken;
      }
    }
    ids = { rootId: seeded!.root };
    for (const [param, table] of Object.entries(PARAM_IDS)) ids[param] = seeded![table];
    // The app's own data sources (on PostgreSQL it connects as the app role, not as ds's owner).
    const unit = t.app.get(UnitOfWork) as unknown as { dataSource: DataSource; reader?: DataSource };
    for (const source of [unit.dataSource, ...(unit.reader ? [unit.reader] : [])] as unknown as { logger: object }[]) {
      const original = source.logger;
      source.logger = new Proxy(original, {
        get: (target, key) => (key === 'logQuery' ? (sql: string, params: unknown[] = []) => captured.push({ route: current, sql, params }) : Reflect.get(target, key)),
      });
    }
  });
  afterAll(async () => t?.close());

  const fill = (text: string) =>
    text.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      const value = ids[name] ?? PARAM_VALUES[name];
      if (!value) throw new Error(`Route param :${name} has no seeded row: add it to PARAM_IDS`);
      return value;
    });

  async function call(method: string, path: string, payload?: object): Promise<number> {
    current = `${method} ${path}`;
    const query = QUERIES[`${method} ${path}`];
    const url = fill(path) + (query ? `?${fill(query)}` : '');
    const res = await t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    return res.statusCode;
  }

  it('searches every tenant table through an index that begins with root_id, the id or a foreign key', async () => {
    const reads = routesOf(t.app).filter((r) => r.method === 'GET' && r.url.startsWith('/api/roots'));
    expect(reads.length).toBeGreaterThan(15);
    const failed: string[] = [];
    for (const r of reads) {
      const status = await call('GET', r.url);
      if (status !== 200) failed.push(`GET ${r.url}: ${status}`);
    }
    const write = await call('PUT', '/api/roots/:rootId/activity-instances/:instanceId/metrics', { values: [{ metricId: ids.metricId, value: 11 }] });
    if (write !== 200) failed.push(`PUT .../metrics: ${write}`);
    // A read route that needs a query string to answer 200 goes into QUERIES.
    expect(failed).toEqual([]);

    const tenantTables = new Set(TENANT_ENTITIES.map((e) => ds.getMetadata(e).tableName));
    const statements = captured.filter((c) => /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(c.sql) && tablesOf(c.sql).some((x) => tenantTables.has(x.table)));
    expect(statements.length).toBeGreaterThan(100);
    const problems = new Set<string>();
    const seen = new Set<string>();
    const explain = ENGINE === 'postgres' ? await pgPlans() : sqlitePlans();
    for (const { route, sql, params } of statements) {
      for (const scan of await explain.plan(sql, params)) {
        if (!tenantTables.has(scan.table)) continue;
        seen.add(scan.table);
        const first = scan.index ? await explain.firstColumn(scan.index) : 'rowid';
        const allowed = first === 'root_id' || first === 'id' || (await explain.keyColumns(scan.table)).has(first);
        if (scan.scan || !allowed) problems.add(`${route}: ${scan.detail} (first column ${first}) in: ${sql.replace(/\s+/g, ' ').slice(0, 240)}`);
      }
    }
    await explain.done();
    expect([...problems]).toEqual([]);
    // The reading of plans catches what it must: a filter on an unindexed column scans.
    const canary = ENGINE === 'postgres' ? await pgPlans() : sqlitePlans();
    const scan = await canary.plan(`SELECT * FROM "activity_instances" "i" WHERE i.notes = ${ENGINE === 'postgres' ? '$1' : '?'}`, ['x']);
    await canary.done();
    expect(scan).toEqual([expect.objectContaining({ table: 'activity_instances', scan: true })]);
    expect([...seen].sort()).toEqual(expect.arrayContaining(['activity_definitions', 'activity_instances', 'goals', 'metric_definitions', 'metric_values', 'session_sections']));
  });

  interface Scan {
    table: string;
    index?: string;
    scan: boolean;
    detail: string;
  }
  interface PlanReader {
    plan(sql: string, params: unknown[]): Promise<Scan[]>;
    firstColumn(index: string): Promise<string>;
    keyColumns(table: string): Promise<Set<string>>;
    done(): Promise<void>;
  }

  function sqlitePlans(): PlanReader {
    return {
      async plan(sql, params) {
        const aliases = new Map(tablesOf(sql).map((x) => [x.alias, x.table]));
        const out: Scan[] = [];
        for (const { detail } of (await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[]) {
          const m = /^(SCAN|SEARCH) (\S+)(?: EXISTS)?(?: USING (?:COVERING )?INDEX (\S+)| USING (INTEGER )?PRIMARY KEY)?/.exec(detail);
          if (m) out.push({ table: aliases.get(m[2]) ?? m[2], index: m[3], scan: m[1] === 'SCAN', detail });
        }
        return out;
      },
      firstColumn: async (index) => ((await ds.query(`PRAGMA index_info("${index}")`)) as { name: string }[])[0]?.name ?? '',
      keyColumns: async (table) => new Set(((await ds.query(`PRAGMA foreign_key_list("${table}")`)) as { from: string }[]).map((f) => f.from)),
      done: async () => undefined,
    };
  }

  /** As the owner, on one connection with sequential scans off. */
  async function pgPlans(): Promise<PlanReader> {
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.query('SET enable_seqscan = off');
    return {
      async plan(sql, params) {
        const out: Scan[] = [];
        for (const row of (await qr.query(`EXPLAIN ${sql}`, params)) as Record<string, string>[]) {
          const detail = row['QUERY PLAN'];
          const bitmap = /Bitmap Index Scan on (\S+)/.exec(detail);
          if (bitmap) {
            const [{ table }] = await qr.query(`SELECT i.indrelid::regclass::text AS table FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`, [bitmap[1]]);
            out.push({ table: table.replace(/"/g, ''), index: bitmap[1], scan: false, detail: detail.trim() });
            continue;
          }
          const m = /(Seq Scan|Index Scan|Index Only Scan)(?: Backward)?(?: using (\S+))? on (\S+)/.exec(detail);
          if (m) out.push({ table: m[3].replace(/"/g, ''), index: m[2], scan: m[1] === 'Seq Scan', detail: detail.trim() });
        }
        return out;
      },
      async firstColumn(index) {
        const rows = await qr.query(
          `SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE c.relname = $1`,
          [index],
        );
        return rows[0]?.attname ?? '';
      },
      async keyColumns(table) {
        const rows = await qr.query(
          `SELECT a.attname FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey) WHERE k.contype = 'f' AND k.conrelid = $1::regclass`,
          [table],
        );
        return new Set(rows.map((r: { attname: string }) => r.attname));
      },
      done: () => qr.release(),
    };
  }

  function tablesOf(sql: string): { table: string; alias: string }[] {
    const out: { table: string; alias: string }[] = [];
    for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?/gi)) {
      const alias = m[2] && !/^(WHERE|ON|SET|JOIN|INNER|LEFT|ORDER|GROUP|LIMIT|VALUES|USING)$/i.test(m[2]) ? m[2] : m[1];
      out.push({ table: m[1], alias });
    }
    return out;
  }
});
