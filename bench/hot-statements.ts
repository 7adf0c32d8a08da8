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
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { loadConfig } from '../src/config/env';
import { captureRoute } from './capture';
import type { Manifest } from './data';

async function main(): Promise<void> {
  const [manifestFile = '/tmp/fg-bench-M.db.json', which = 'read', where] = process.argv.slice(2);
  const m: Manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: m.database });
  const { status, root: r, statements: captured } = await captureRoute(config, m, which, where);
  const stats = new Database(m.database, { readonly: true }).prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'`).get() as { n: number };
  console.log(`${which}: ${status}, ${captured.length} statements (root with ${r.sessions} sessions; planner statistics ${stats.n ? 'present' : 'absent'})`);
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
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
