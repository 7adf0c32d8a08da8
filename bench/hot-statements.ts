/**
 * Where a hot route's time goes in SQL: runs the route once in-process on a bench data set
 * (bench/data.ts), captures every statement it sends through TypeORM, then times each one
 * alone on a read-only connection to the same file (best of 3) and prints the plan of those
 * over 2 ms (PLAN_OVER_MS=0: of every one).
 *
 *   npx ts-node --transpile-only bench/hot-statements.ts [/tmp/fg-bench-M.db.json] [read|list|write|series] [series]
 * (the last `series`: on the heavy series root instead of a regular one; the kind `series` is
 * GET /analytics/activities/:id/series?agg=max&bucket=week there, as the harness measures it)
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';
import { UnitOfWork } from '../src/database/unit-of-work';
import type { Manifest } from './data';

async function main(): Promise<void> {
  const [manifestFile = '/tmp/fg-bench-M.db.json', which = 'read', where] = process.argv.slice(2);
  const m: Manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: m.database });
  const ds = createDataSource(config);
  await ds.initialize();
  const app = await createApp({ config, dataSource: ds });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const r = where === 'series' || which === 'series' ? m.series! : m.roots[Math.min(11, m.roots.length - 1)];
  const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: r.email, password: m.password } })).json().accessToken;
  const captured: { sql: string; params: unknown[] }[] = [];
  const reader = (app.get(UnitOfWork) as unknown as { reader?: unknown }).reader;
  for (const s of [ds, ...(reader ? [reader] : [])] as { logger: object }[]) {
    const original = s.logger;
    s.logger = new Proxy(original, { get: (t, k) => (k === 'logQuery' ? (sql: string, params: unknown[] = []) => captured.push({ sql, params }) : Reflect.get(t, k)) });
  }
  const headers = { authorization: `Bearer ${token}` };
  const base = `/api/roots/${r.rootId}`;
  const res =
    which === 'read'
      ? await app.inject({ method: 'GET', url: `${base}/sessions/${r.hotSessionId}`, headers })
      : which === 'series'
        ? await app.inject({ method: 'GET', url: `${base}/analytics/activities/${r.setsActivityId}/series?metricId=${r.setsMetricId}&agg=max&bucket=week`, headers })
      : which === 'list'
        ? await app.inject({ method: 'GET', url: `${base}/sessions?limit=50`, headers })
        : await app.inject({ method: 'PUT', url: `${base}/activity-instances/${r.hotInstanceId}/metrics`, headers, payload: { values: [{ metricId: r.hotMetricIds[0], value: Math.round(Math.random() * 1000) / 10 }] } });
  const stats = new Database(m.database, { readonly: true }).prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'`).get() as { n: number };
  console.log(`${which}: ${res.statusCode}, ${captured.length} statements (root with ${r.sessions} sessions; planner statistics ${stats.n ? 'present' : 'absent'})`);
  const db = new Database(m.database, { readonly: true });
  let total = 0;
  for (const c of captured) {
    const text = c.sql.replace(/\s+/g, ' ');
    if (!/^\s*(SELECT|WITH)/i.test(c.sql)) {
      console.log(`     (write) ${text.slice(0, 110)}`);
      continue;
    }
    const st = db.prepare(c.sql);
    const params = (c.params as unknown[]).map((p) => (p instanceof Date ? p.toISOString().replace('T', ' ').replace('Z', '') : typeof p === 'boolean' ? Number(p) : p));
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      st.all(...params);
      best = Math.min(best, performance.now() - t);
    }
    total += best;
    console.log(`${best.toFixed(2).padStart(8)} ms ${text.slice(0, 110)}`);
    if (best > Number(process.env.PLAN_OVER_MS ?? 2)) console.log(`         plan: ${(db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...params) as { detail: string }[]).map((x) => x.detail).join(' | ')}`);
  }
  console.log(`${total.toFixed(2).padStart(8)} ms in all reads`);
  await app.close();
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
