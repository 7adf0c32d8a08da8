/**
 * One hot route of issue 17 called N times in-process (Fastify's inject, no socket, no load
 * generator beside it), on a bench data set: the server's CPU per request, and a steady loop to
 * profile, where the HTTP harness shares the two CPUs with autocannon and the raw server.
 *
 *   N=2000 npx ts-node --transpile-only bench/route-loop.ts /tmp/fg-bench-M.db.json read|write|series|series-computed
 * (series-computed: with ANSWER_CACHE_MB=0, so that every request computes the series)
 *   N=2000 node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/route-loop.ts /tmp/fg-bench-M.db.json read
 *   npx ts-node --transpile-only bench/cpu-profile-top.ts /tmp/prof/*.cpuprofile
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';
import type { Manifest } from './data';

async function main(): Promise<void> {
  const [manifestFile = '/tmp/fg-bench-M.db.json', which = 'read'] = process.argv.slice(2);
  const m: Manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const computed = which === 'series-computed';
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: m.database, ...(computed ? { ANSWER_CACHE_MB: '0' } : {}) });
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const app = await createApp({ config, dataSource });
  const series = which === 'series' || computed;
  const r = series ? m.series! : m.roots[Math.min(11, m.roots.length - 1)];
  const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: r.email, password: m.password } })).json().accessToken;
  const headers = { authorization: `Bearer ${token}` };
  const base = `/api/roots/${r.rootId}`;
  const call = () =>
    which === 'write'
      ? app.inject({ method: 'PUT', url: `${base}/activity-instances/${r.hotInstanceId}/metrics`, headers, payload: { values: [{ metricId: r.hotMetricIds[0], value: Math.round(Math.random() * 1000) / 10 }] } })
      : series
        ? app.inject({ method: 'GET', url: `${base}/analytics/activities/${r.setsActivityId}/series?metricId=${r.setsMetricId}&agg=max&bucket=week`, headers })
        : app.inject({ method: 'GET', url: `${base}/sessions/${r.hotSessionId}`, headers });
  const n = Number(process.env.N ?? 500);
  for (let i = 0; i < Math.min(50, n); i++) await call(); // warm-up: JIT, statement caches
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await call();
    if (res.statusCode !== 200) throw new Error(`${which}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  const used = process.cpuUsage(cpu);
  console.log(`${which}: ${n} requests, wall ${((performance.now() - start) / n).toFixed(2)} ms, CPU ${((used.user + used.system) / 1000 / n).toFixed(2)} ms per request`);
  await app.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
