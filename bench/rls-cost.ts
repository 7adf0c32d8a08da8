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
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { alternate, benchOptions, postJson, report, startChild } from './lib';

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
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await app.close();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const options = benchOptions();
  const database = `fg_bench_rls_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  const servers: { child: ChildProcess }[] = [];
  try {
    const env = { BENCH_DB: database, DATABASE_URL: urlFor(database) };
    const on = await startChild<{ base: string; role: string }>(__filename, 'rls-on', env);
    servers.push(on);
    const off = await startChild<{ base: string; role: string }>(__filename, 'rls-off', env);
    servers.push(off);
    if (on.role !== 'fractal_app' || off.role === 'fractal_app') throw new Error(`unexpected roles: ${on.role}, ${off.role}`);

    const post = (url: string, body: unknown, token?: string) => postJson(on.base, url, body, token);
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

    const results = await alternate(
      [
        { label: 'RLS on  (fractal_app)', url: on.base + path, token: accessToken },
        { label: 'RLS off (owner, bypasses)', url: off.base + path, token: accessToken },
      ],
      options,
    );
    console.log(`engine=postgres connections=${options.connections} rounds=${options.rounds}x${options.seconds}s route=GET /api/roots/:rootId (authenticated, tenant guard)`);
    report(results, 'row-level security');
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
