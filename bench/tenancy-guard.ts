/**
 * What the authentication guard, the tenant guard and the request context cost.
 *
 * Two server processes serve the same app on the same kind of database. In one, GET
 * /api/roots/:rootId runs as in production: the token is verified, the user loaded, the root
 * resolved to its owner and the context built. In the other, both guards are replaced by a stub
 * that puts a ready-made context on the request, and nothing else changes. autocannon (in this
 * process, so that it shares neither server's event loop) loads them in alternating rounds.
 *
 *   npx ts-node --transpile-only bench/tenancy-guard.ts                        # SQLite
 *   DB_ENGINE=postgres npx ts-node --transpile-only bench/tenancy-guard.ts     # PostgreSQL
 * Env: BENCH_SECONDS per round (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10).
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';
import { createApp } from '../src/app.factory';
import { AuthGuard } from '../src/auth/auth.guard';
import { CONTEXT_KEY, RequestContext, USER_KEY } from '../src/tenancy/request-context';
import { TenantGuard } from '../src/tenancy/tenant.guard';
import { createMigratedDatabase } from '../test/helpers/db';

type Mode = 'guarded' | 'unguarded';
const PASSWORD = 'bench password 123';

/** The unguarded server: the guards hand over the context the real ones would have built. */
function stubGuards(user: { id: string; email: string; role: 'user' }): void {
  AuthGuard.prototype.canActivate = async function (context) {
    const request = context.switchToHttp().getRequest();
    request[USER_KEY] = user;
    request[CONTEXT_KEY] = RequestContext.forUser(String(request.id), user);
    return true;
  };
  TenantGuard.prototype.canActivate = async function (context) {
    const request = context.switchToHttp().getRequest();
    request[CONTEXT_KEY] = (request[CONTEXT_KEY] as RequestContext).withRoot(request.params.rootId);
    return true;
  };
}

async function serve(mode: Mode): Promise<void> {
  const db = await createMigratedDatabase({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_IP: '1000', AUTH_RATE_LIMIT_ACCOUNT: '1000' });
  let app = await createApp({ config: db.config, dataSource: db.dataSource });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const post = (url: string, body: unknown, token?: string) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const user = await post('/api/auth/register', { email: 'bench@example.com', password: PASSWORD });
  const { accessToken } = await post('/api/auth/login', { email: 'bench@example.com', password: PASSWORD });
  const root = await post('/api/roots', { name: 'Bench root' }, accessToken);
  if (mode === 'unguarded') {
    await app.close();
    stubGuards({ id: user.id, email: user.email, role: 'user' });
    const dataSource = db.newDataSource();
    await dataSource.initialize();
    app = await createApp({ config: db.config, dataSource });
    await app.listen({ port: 0, host: '127.0.0.1' });
  }
  process.send!({ url: `${await app.getUrl()}/api/roots/${root.id}`, token: accessToken });
  process.on('message', async () => {
    await app.close();
    await db.drop();
    process.exit(0);
  });
}

function start(mode: Mode): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = fork(__filename, [], {
    env: { ...process.env, BENCH_CHILD: mode },
    execArgv: process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string; token: string }) => resolve({ child, ...m }));
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
  const guarded = await start('guarded');
  const unguarded = await start('unguarded');
  try {
    const results: Record<Mode, number[]> = { guarded: [], unguarded: [] };
    await hit(guarded.url, guarded.token, 2, connections); // warm-up
    await hit(unguarded.url, unguarded.token, 2, connections);
    for (let i = 0; i < rounds; i++) {
      results.guarded.push(await hit(guarded.url, guarded.token, seconds, connections));
      results.unguarded.push(await hit(unguarded.url, unguarded.token, seconds, connections));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const g = mean(results.guarded);
    const u = mean(results.unguarded);
    console.log(`engine=${process.env.DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite'} connections=${connections} rounds=${rounds}x${seconds}s`);
    console.log(`guarded    GET /api/roots/:rootId  ${g.toFixed(0)} req/s  (${results.guarded.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`unguarded  GET /api/roots/:rootId  ${u.toFixed(0)} req/s  (${results.unguarded.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`guards + context cost ${((1 - g / u) * 100).toFixed(1)}% of throughput (ratio ${(g / u).toFixed(3)})`);
  } finally {
    guarded.child.send('stop');
    unguarded.child.send('stop');
  }
}

const child = process.env.BENCH_CHILD as Mode | undefined;
(child ? serve(child) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
