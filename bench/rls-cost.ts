/**
 * What row-level security costs on PostgreSQL, for the tenancy route.
 *
 * One migrated PostgreSQL database, two server processes running the same app with both guards
 * on (authenticated GET /api/roots/:rootId). One connects as fractal_app, so every query passes
 * the RLS policies (RLS on). The other connects as the owner, a superuser, so PostgreSQL skips
 * the policies (RLS off). Nothing else differs: the same per-request transaction and set_config
 * run in both. autocannon runs in this process and loads the two servers in alternating rounds.
 *
 *   npx ts-node --transpile-only bench/rls-cost.ts
 * Env: PG_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_SECONDS per round (default 5),
 * BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10).
 */
import 'reflect-metadata';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

type Mode = 'rls-on' | 'rls-off';
const PG_URL = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench password 123';

function urlFor(database: string, user?: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  if (user) url.username = user;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A server process; the engine is chosen by DATABASE_URL before any entity is loaded. */
async function serve(mode: Mode, database: string): Promise<void> {
  const { loadConfig } = await import('../src/config/env');
  const { createDataSource } = await import('../src/database/data-source');
  const { migrateBeforeStart } = await import('../src/database/migrate');
  const { createApp } = await import('../src/app.factory');
  const config = loadConfig({
    ...process.env,
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: mode === 'rls-on' ? urlFor(database, 'fractal_app') : urlFor(database),
    MIGRATION_DATABASE_URL: urlFor(database),
    AUTH_RATE_LIMIT_IP: '1000',
    AUTH_RATE_LIMIT_ACCOUNT: '1000',
  });
  const dataSource = createDataSource(config);
  dataSource.safeRunOptions = { log: () => undefined };
  await dataSource.initialize();
  await migrateBeforeStart(config, dataSource);
  const app = await createApp({ config, dataSource });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const [who] = await dataSource.query('SELECT current_user AS who');
  process.send!({ base: await app.getUrl(), role: who.who });
  process.on('message', async () => {
    await app.close();
    process.exit(0);
  });
}

function start(mode: Mode, database: string): Promise<{ child: ChildProcess; base: string; role: string }> {
  const child = fork(__filename, [], {
    env: { ...process.env, BENCH_CHILD: mode, BENCH_DB: database, DATABASE_URL: urlFor(database) },
    execArgv: process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { base: string; role: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

async function hit(url: string, token: string, seconds: number, connections: number): Promise<number> {
  const result = await autocannon({ url, headers: { authorization: `Bearer ${token}` }, duration: seconds, connections });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const database = `fg_bench_rls_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  const servers: { child: ChildProcess }[] = [];
  try {
    const on = await start('rls-on', database);
    servers.push(on);
    const off = await start('rls-off', database);
    servers.push(off);
    if (on.role !== 'fractal_app' || off.role === 'fractal_app') throw new Error(`unexpected roles: ${on.role}, ${off.role}`);

    const post = (url: string, body: unknown, token?: string): Promise<any> =>
      fetch(`${on.base}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    await post('/api/auth/register', { email: 'bench-rls@example.com', password: PASSWORD });
    const { accessToken } = await post('/api/auth/login', { email: 'bench-rls@example.com', password: PASSWORD });
    const root = await post('/api/roots', { name: 'Bench root' }, accessToken);
    // Other tenants' rows, so that the policies have something to filter.
    for (let u = 0; u < 20; u++) {
      await post('/api/auth/register', { email: `other-${u}@example.com`, password: PASSWORD });
      const other = await post('/api/auth/login', { email: `other-${u}@example.com`, password: PASSWORD });
      for (let r = 0; r < 5; r++) await post('/api/roots', { name: `Other ${u}.${r}` }, other.accessToken);
    }
    const path = `/api/roots/${root.id}`;

    const results: Record<Mode, number[]> = { 'rls-on': [], 'rls-off': [] };
    await hit(on.base + path, accessToken, 2, connections); // warm-up
    await hit(off.base + path, accessToken, 2, connections);
    for (let i = 0; i < rounds; i++) {
      results['rls-on'].push(await hit(on.base + path, accessToken, seconds, connections));
      results['rls-off'].push(await hit(off.base + path, accessToken, seconds, connections));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const a = mean(results['rls-on']);
    const b = mean(results['rls-off']);
    console.log(`engine=postgres connections=${connections} rounds=${rounds}x${seconds}s route=GET /api/roots/:rootId (authenticated, tenant guard)`);
    console.log(`RLS on  (fractal_app)     ${a.toFixed(0)} req/s  (${results['rls-on'].map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`RLS off (owner, bypasses) ${b.toFixed(0)} req/s  (${results['rls-off'].map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`row-level security costs ${((1 - a / b) * 100).toFixed(1)}% of throughput (ratio ${(a / b).toFixed(3)})`);
  } finally {
    for (const s of servers) s.child.send('stop');
    await new Promise((r) => setTimeout(r, 1000));
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

const child = process.env.BENCH_CHILD as Mode | undefined;
(child ? serve(child, process.env.BENCH_DB!) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
