/**
 * PostgreSQL's plan cache and the tenant statements: a named prepared statement gets a generic
 * plan (made once, without the values) after five calls when PostgreSQL judges it no worse than
 * the custom ones, and the generic plan of a tenant statement is made for a root of average size.
 * This runs a hot route once in-process as the app role (row-level security on), captures every
 * statement it sends, then executes each one on its own connection with its values, under
 * plan_cache_mode force_custom_plan and force_generic_plan (best of 5 each), and prints both,
 * with the generic plan of those it makes slower by more than 2 ms (PLAN_OVER_MS).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/fg_bench_m npx ts-node --transpile-only bench/pg-generic-plans.ts /tmp/fg-bench-M-pg.json read series
 * (arguments as bench/hot-statements.ts: the manifest, read|list|write|series, and `series` for the heavy series root)
 */
import * as fs from 'node:fs';
import { Client } from 'pg';
import { loadConfig } from '../src/config/env';
import { captureRoute } from './capture';
import type { Manifest } from './data';

async function main(): Promise<void> {
  const [manifestFile = '/tmp/fg-bench-M-pg.json', which = 'read', where] = process.argv.slice(2);
  const m: Manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fg_bench_m');
  url.username = 'fractal_app';
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url.toString() });
  const { status, root: r, statements: captured } = await captureRoute(config, m, which, where);
  console.log(`${which}: ${status}, ${captured.length} statements (root with ${r.sessions} sessions)`);

  // The owner's connection, so that no statement depends on a request's row-level-security scope;
  // every tenant statement names its root itself.
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const timed = async (name: string, text: string, params: unknown[], mode: string): Promise<number> => {
    await client.query(`SET plan_cache_mode = ${mode}`);
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      await client.query({ name, text, values: params });
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };
  let n = 0;
  const over = Number(process.env.PLAN_OVER_MS ?? 2);
  for (const c of captured) {
    const text = c.sql.replace(/\s+/g, ' ');
    if (!/^\s*(SELECT|WITH)/i.test(c.sql) || c.params.length === 0) continue;
    const name = `generic_plans_${n++}`;
    const custom = await timed(name, c.sql, c.params, 'force_custom_plan');
    const generic = await timed(name, c.sql, c.params, 'force_generic_plan');
    console.log(`${custom.toFixed(2).padStart(8)} ms custom ${generic.toFixed(2).padStart(8)} ms generic  ${text.slice(0, 100)}`);
    if (generic - custom > over) {
      const plan = (await client.query({ text: `EXPLAIN ${c.sql}`, values: c.params })) as { rows: { 'QUERY PLAN': string }[] };
      await client.query(`PREPARE plan_of_${n} AS ${c.sql}`).catch(() => undefined);
      const genericPlan = await client.query(`EXPLAIN EXECUTE plan_of_${n}(${c.params.map((p) => client.escapeLiteral(Array.isArray(p) ? `{${p.join(',')}}` : String(p instanceof Date ? p.toISOString() : p))).join(', ')})`).catch((e: Error) => ({ rows: [{ 'QUERY PLAN': e.message }] }));
      console.log(`         custom:  ${plan.rows.map((x) => x['QUERY PLAN'].trim()).join(' | ').slice(0, 600)}`);
      console.log(`         generic: ${(genericPlan.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN'].trim()).join(' | ').slice(0, 600)}`);
    }
  }
  await client.end();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
