/**
 * PostgreSQL: what the statement that opens a tenant request's transaction costs, one
 * connection, one call after another, as the service role. Guarded requests open with
 * fg_enter_root (the account and ownership check plus the RLS scope); the plain scope
 * statement is what the same transaction would run without the check. Each is sent as an
 * unnamed statement (parsed and planned on every call, as TypeORM sends queries) and as a
 * named, prepared one (as UnitOfWork sends the opening statement).
 *
 *   DB_ENGINE=postgres npx ts-node --transpile-only bench/pg-opening-statement.ts
 * Env: BENCH_CALLS per variant and round (default 20000), BENCH_ROUNDS (default 2).
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { createMigratedDatabase, PG_APP_ROLE, pgUrlFor } from '../test/helpers/db';
import { postJson } from './lib';

async function main(): Promise<void> {
  if (process.env.DB_ENGINE !== 'postgres') throw new Error('Run with DB_ENGINE=postgres.');
  const calls = Number(process.env.BENCH_CALLS ?? 20000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const db = await createMigratedDatabase({ LOG_LEVEL: 'silent' });
  const app = await createApp({ config: db.config, dataSource: db.dataSource });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const user = await postJson(base, '/api/auth/register', { email: 'bench@example.com', password: 'bench password 123' });
  const { accessToken } = await postJson(base, '/api/auth/login', { email: 'bench@example.com', password: 'bench password 123' });
  const root = await postJson(base, '/api/roots', { name: 'Bench root' }, accessToken);
  const url = new URL(pgUrlFor(db.location));
  url.username = PG_APP_ROLE;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const variants: [string, string, unknown[], string?][] = [
    ['SELECT 1 (the round trip)', 'SELECT 1', []],
    ['plain scope (set_config x2)', `SELECT set_config('app.user_id', $1, true), set_config('app.root_id', $2, true)`, [user.id, root.id]],
    ['fg_enter_root', 'SELECT id, email, role, is_active, owned FROM fg_enter_root($1, $2, $3)', [user.id, root.id, false]],
    ['plain scope, prepared', `SELECT set_config('app.user_id', $1, true), set_config('app.root_id', $2, true)`, [user.id, root.id], 'scope'],
    ['fg_enter_root, prepared', 'SELECT id, email, role, is_active, owned FROM fg_enter_root($1, $2, $3)', [user.id, root.id, false], 'enter'],
  ];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [label, text, values, name] of variants) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await client.query({ text, values, name });
        const micros = Number(process.hrtime.bigint() - start) / calls / 1000;
        console.log(`${label.padEnd(28)} ${micros.toFixed(1)} µs per call`);
      }
    }
  } finally {
    await client.end();
    await app.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
