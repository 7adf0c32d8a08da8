/**
 * The HTTP benchmark of issue 17, on a data set of bench/data.ts:
 *   - the hot read, GET /sessions/:sessionId (10 instances, 3 values each), over many roots;
 *   - GET /sessions, a page of 50;
 *   - the hot write, PUT /activity-instances/:instanceId/metrics (one value changed);
 *   - GET /analytics/activities/:activityId/series on the heavy root (skipped while the route answers 404), as
 *     clients ask it (the same series again, answered from RootAnswers while the root is unchanged)
 *     and computed on every request (each with a `from` of its own, before the first session);
 * and, on SQLite, the hot read and the hot write of a raw Fastify + better-sqlite3 server
 * (bench/raw-server.ts) on the same file, in alternating rounds, with ours ÷ raw.
 *
 *   npm run bench:data -- --scale M && npm run bench -- --scale M
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/fg_bench_m npm run bench -- --scale M     # PostgreSQL (no raw baseline)
 * Env: BENCH_SECONDS per round (default 10), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32),
 * BENCH_ROOTS (clients' roots, default 32), BENCH_PROFILE=<dir> (the API child runs under --cpu-prof),
 * BENCH_STATS (SQLite): `none` (the default: the file has no planner statistics, as the API leaves it) or
 * `optimize` (what `PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002` at connection open would give),
 * BENCH_ONLY=<regexp> (the measures whose names match, e.g. 'hot read').
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess } from 'node:child_process';
import type { Manifest } from './data';
import { load, LoadResult, pinCpus, postJson, startChild } from './lib';
import { sameJson } from './same-json';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROOTS = Number(process.env.BENCH_ROOTS ?? 32);

/** The API as production runs it, on the bench database; on PostgreSQL as the app role (RLS applies). */
async function serveOurs(): Promise<void> {
  const { createApp } = await import('../src/app.factory');
  const { loadConfig } = await import('../src/config/env');
  const { createDataSource } = await import('../src/database/data-source');
  const pg = process.env.DATABASE_URL;
  let url: URL | undefined;
  if (pg) {
    url = new URL(pg);
    url.username = 'fractal_app';
  }
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent', ...(url ? { DATABASE_URL: url.toString() } : { DATABASE_PATH: process.env.BENCH_DB }) });
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const app = await createApp({ config, dataSource });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const synchronous = pg ? undefined : ((await dataSource.query('PRAGMA synchronous')) as { synchronous: number }[])[0].synchronous;
  process.send!({ url: await app.getUrl(), synchronous });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await app.close();
    process.exit(0);
  });
}

interface Measure {
  name: string;
  requests: (token: (email: string) => string) => object[];
  /** Also served by the raw baseline. */
  raw: boolean;
}

function manifestPath(): string {
  const argv = process.argv.slice(2);
  const scale = (argv.includes('--scale') ? argv[argv.indexOf('--scale') + 1] : 'M').toUpperCase();
  return process.env.DATABASE_URL ? `/tmp/fg-bench-${scale}-pg.json` : `/tmp/fg-bench-${scale}.db.json`;
}

async function main(): Promise<void> {
  const manifest: Manifest = JSON.parse(fs.readFileSync(manifestPath(), 'utf8'));
  const engine = manifest.engine;
  // Regular roots only: the first ten are the heavy ones (their 10% of the data), the series root is apart.
  const roots = manifest.roots.slice(manifest.roots.length > 10 ? 10 : 0).slice(0, ROOTS);
  const series = manifest.series!;
  const env = { BENCH_DB: manifest.database };
  if (engine === 'sqlite') console.log(`planner statistics: ${plannerStats(manifest.database, process.env.BENCH_STATS ?? 'none')}`);
  const profile = process.env.BENCH_PROFILE;
  const ours = await startChild<{ url: string; synchronous?: number }>(__filename, 'ours', env, { execArgv: profile ? [`--cpu-prof`, `--cpu-prof-dir=${profile}`] : [] });
  const raw = engine === 'sqlite' ? await startChild<{ url: string; synchronous: number }>(path.join(__dirname, 'raw-server.ts'), 'raw', env) : undefined;
  if (raw) console.log(`synchronous (0 off, 1 NORMAL, 2 FULL): ours ${ours.synchronous}, raw ${raw.synchronous}; ours at ${ours.url}, raw at ${raw.url}`);
  const children: ChildProcess[] = [ours.child, ...(raw ? [raw.child] : [])];
  console.log(pinCpus(children));
  try {
    const tokens = new Map<string, string>();
    for (const r of [...roots, series]) {
      const { accessToken } = await postJson(ours.url, '/api/auth/login', { email: r.email, password: manifest.password });
      if (!accessToken) throw new Error(`login of ${r.email} failed`);
      tokens.set(r.email, accessToken);
    }
    const auth = (email: string) => ({ authorization: `Bearer ${tokens.get(email)}` });
    const base = (r: { rootId: string }) => `/api/roots/${r.rootId}`;

    // The same JSON from both servers, before anything is measured.
    if (raw) {
      for (const r of roots.slice(0, 3)) {
        const get = (u: string) => fetch(`${u}${base(r)}/sessions/${r.hotSessionId}`, { headers: auth(r.email) }).then((x) => x.json());
        sameJson(await get(ours.url), await get(raw.url), `GET /sessions/:id of ${r.email}`);
        const body = JSON.stringify({ values: [{ metricId: r.hotMetricIds[0], value: 100 }] });
        const put = (u: string) => fetch(`${u}${base(r)}/activity-instances/${r.hotInstanceId}/metrics`, { method: 'PUT', headers: { ...auth(r.email), 'content-type': 'application/json' }, body }).then((x) => x.json());
        const a = await put(ours.url);
        const b = await put(raw.url);
        sameJson(a, b, `PUT /activity-instances/:id/metrics of ${r.email}`);
      }
    }

    const seriesUrl = `${base(series)}/analytics/activities/${series.setsActivityId}/series?metricId=${series.setsMetricId}&agg=max&bucket=week`;
    const probe = await fetch(`${ours.url}${seriesUrl}`, { headers: auth(series.email) });
    const measures: Measure[] = [
      { name: 'hot read  GET /sessions/:id', raw: true, requests: () => roots.map((r) => ({ method: 'GET', path: `${base(r)}/sessions/${r.hotSessionId}`, headers: auth(r.email) })) },
      { name: 'GET /sessions?limit=50', raw: false, requests: () => roots.map((r) => ({ method: 'GET', path: `${base(r)}/sessions?limit=50`, headers: auth(r.email) })) },
      {
        name: 'hot write PUT .../metrics',
        raw: true,
        requests: () =>
          roots.map((r) => ({
            method: 'PUT',
            path: `${base(r)}/activity-instances/${r.hotInstanceId}/metrics`,
            headers: { ...auth(r.email), 'content-type': 'application/json' },
            // A new value each time: every request updates a row.
            setupRequest: (req: object) => ({ ...req, body: JSON.stringify({ values: [{ metricId: r.hotMetricIds[0], value: 60 + Math.floor(Math.random() * 1000) / 10 }] }) }),
          })),
      },
    ];
    if (probe.status === 404) {
      console.log(`series: SKIPPED, GET ${seriesUrl.replace(series.rootId, ':rootId')} answers 404 (${JSON.stringify(await probe.json()).slice(0, 120)}): the analytics route is not on this branch`);
    } else if (probe.status !== 200) {
      throw new Error(`series answers ${probe.status}: ${await probe.text()}`);
    } else {
      await probe.json();
      measures.push({ name: 'series (heavy root)', raw: false, requests: () => [{ method: 'GET', path: seriesUrl, headers: auth(series.email) }] });
      // The same series computed on every request: each asks from a day of its own before the
      // first session (the same points, another key), so that none is answered from RootAnswers.
      const computed = { method: 'GET', path: seriesUrl, headers: auth(series.email) };
      measures.push({
        name: 'series (heavy root), computed',
        raw: false,
        requests: () => [{ ...computed, setupRequest: (req: object) => ({ ...req, path: `${seriesUrl}&from=${dayBefore2000()}` }) }],
      });
    }

    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
    if (only) measures.splice(0, measures.length, ...measures.filter((m) => only.test(m.name)));
    console.log(`engine=${engine} scale=${manifest.scale} connections=${CONNECTIONS} rounds=${ROUNDS}x${SECONDS}s roots=${roots.length} ${JSON.stringify(manifest.counts)}`);
    const results = new Map<string, LoadResult[]>();
    const targets = measures.flatMap((m) => [
      { key: `ours ${m.name}`, url: ours.url, child: ours.child, m },
      ...(m.raw && raw ? [{ key: `raw  ${m.name}`, url: raw.url, child: raw.child, m }] : []),
    ]);
    for (const t of targets) await load(t.url, t.m.requests(() => ''), 2, CONNECTIONS); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      for (const t of targets) {
        const r = await load(t.url, t.m.requests(() => ''), SECONDS, CONNECTIONS, t.child);
        results.set(t.key, [...(results.get(t.key) ?? []), r]);
      }
    }
    printResults(results, measures, !!raw);
  } finally {
    for (const c of children) c.send('stop');
  }
}

/** Sets the SQLite file's planner statistics as asked, before the servers open it. */
function plannerStats(file: string, mode: string): string {
  const db = new Database(file);
  try {
    const has = () => !!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`).get();
    if (mode === 'none') {
      if (has()) db.exec('DROP TABLE sqlite_stat1');
      return 'none (sqlite_stat1 absent)';
    }
    if (mode !== 'optimize') throw new Error(`BENCH_STATS must be none or optimize, not ${mode}`);
    const t = performance.now();
    db.pragma('analysis_limit = 400');
    db.pragma('optimize = 0x10002');
    const rows = has() ? (db.prepare('SELECT count(*) AS n FROM sqlite_stat1').get() as { n: number }).n : 0;
    return `PRAGMA optimize = 0x10002 with analysis_limit 400: ${(performance.now() - t).toFixed(0)} ms, ${rows} rows in sqlite_stat1`;
  } finally {
    db.close();
  }
}

let nextDay = 0;
/** A new local day before 2000 on each call (the bench's sessions start later), cycling after 9,000 days (1997). */
function dayBefore2000(): string {
  const day = new Date(Date.UTC(1973, 0, 1) + (nextDay++ % 9000) * 86400000);
  return day.toISOString().slice(0, 10);
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function printResults(results: Map<string, LoadResult[]>, measures: Measure[], withRaw: boolean): void {
  const medianOf = (key: string, f: (r: LoadResult) => number) => med(results.get(key)!.map(f));
  for (const [key, rs] of results) {
    console.log(
      `${key.padEnd(38)} ${medianOf(key, (r) => r.perSecond).toFixed(0).padStart(6)} req/s (${rs.map((r) => r.perSecond.toFixed(0)).join(', ')})` +
        `  p50 ${medianOf(key, (r) => r.p50)} ms  p99 ${medianOf(key, (r) => r.p99)} ms` +
        `  steady p50 ${medianOf(key, (r) => r.steadyP50).toFixed(0)} ms  p99 ${medianOf(key, (r) => r.steadyP99).toFixed(0)} ms  ramp ${medianOf(key, (r) => r.rampMs).toFixed(0)} ms` +
        `  CPU ${medianOf(key, (r) => r.cpuPerRequest ?? NaN).toFixed(0)} µs/req` +
        (rs.some((r) => r.errors) ? `  5xx/errors/timeouts per round ${rs.map((r) => r.errors).join(', ')}` : ''),
    );
  }
  const rps = (key: string) => medianOf(key, (r) => r.perSecond);
  if (withRaw) {
    for (const m of measures.filter((x) => x.raw && results.has(`raw  ${x.name}`))) {
      const ratio = rps(`ours ${m.name}`) / rps(`raw  ${m.name}`);
      console.log(`ratio ours ÷ raw, ${m.name}: ${ratio.toFixed(3)} (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'})`);
    }
  }
  const hot = 'ours hot read  GET /sessions/:id';
  if (!results.has(hot)) return;
  const p50 = medianOf(hot, (r) => r.p50);
  const p99 = medianOf(hot, (r) => r.p99);
  const sp50 = medianOf(hot, (r) => r.steadyP50);
  const sp99 = medianOf(hot, (r) => r.steadyP99);
  // Both: the whole round's tail is the connections' ramp (see LoadResult.steadyP99), the steady one the server's.
  console.log(`hot read tail at ${CONNECTIONS} connections, whole round: p99 ${p99} ms ÷ p50 ${p50} ms = ${(p99 / p50).toFixed(2)} (target ≤ 3: ${p99 <= 3 * p50 ? 'met' : 'MISSED'})`);
  console.log(`hot read tail at ${CONNECTIONS} connections, once all are open: p99 ${sp99.toFixed(0)} ms ÷ p50 ${sp50.toFixed(0)} ms = ${(sp99 / sp50).toFixed(2)} (target ≤ 3: ${sp99 <= 3 * sp50 ? 'met' : 'MISSED'})`);
  const seriesKey = 'ours series (heavy root)';
  if (results.has(seriesKey)) {
    const ratio = rps(seriesKey) / rps(hot);
    console.log(`series ÷ hot read: ${ratio.toFixed(3)} (target ≥ 0.25: ${ratio >= 0.25 ? 'met' : 'MISSED'})`);
  }
  const computedKey = 'ours series (heavy root), computed';
  if (results.has(computedKey)) console.log(`series computed on every request ÷ hot read: ${(rps(computedKey) / rps(hot)).toFixed(3)} (no target: what a series costs when its root has changed)`);
}

const child = process.env.BENCH_CHILD;
(child === 'ours' ? serveOurs() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
