/**
 * What the authentication guard, the tenant guard and the request context cost.
 * Runs GET /api/roots/:rootId (token verified, user loaded, root resolved, context built)
 * against /bench/unguarded/:rootId, which calls the same service with a context built by hand,
 * in one process and one run, alternating rounds so that drift hits both alike.
 *
 *   npx ts-node --transpile-only bench/tenancy-guard.ts            # SQLite
 *   DB_ENGINE=postgres npx ts-node --transpile-only bench/tenancy-guard.ts
 * Options (env): BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10).
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { Public } from '../src/auth/public.decorator';
import { RootsService } from '../src/goals/roots.service';
import { GoalsModule } from '../src/goals/goals.module';
import { RequestContext } from '../src/tenancy/request-context';
import { createApp } from '../src/app.factory';
import { createMigratedDatabase } from '../test/helpers/db';

const benchUser = { id: '', email: 'bench@example.com', role: 'user' as const };

@Public()
@Controller('bench/unguarded')
class UnguardedController {
  constructor(private readonly roots: RootsService) {}

  @Get(':rootId')
  get(@Param('rootId') rootId: string) {
    return this.roots.get(RequestContext.forUser('bench', benchUser).withRoot(rootId));
  }
}

@Module({ imports: [GoalsModule], controllers: [UnguardedController] })
class BenchModule {}

async function hit(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<number> {
  const result = await autocannon({ url, headers, duration: seconds, connections });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** The server runs in a child process, so that the load generator does not share its event loop. */
async function serve(): Promise<void> {
  const db = await createMigratedDatabase({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_IP: '1000', AUTH_RATE_LIMIT_ACCOUNT: '1000' });
  const app = await createApp({ config: db.config, dataSource: db.dataSource, imports: [BenchModule] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ url: await app.getUrl(), engine: db.engine });
  process.on('message', async (msg: { userId?: string; stop?: boolean }) => {
    if (msg.userId) benchUser.id = msg.userId;
    if (msg.stop) {
      await app.close();
      await db.drop();
      process.exit(0);
    }
  });
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const child = fork(__filename, [], { env: { ...process.env, BENCH_CHILD: '1' }, execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { url: base, engine } = await new Promise<{ url: string; engine: string }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  try {
    const post = (url: string, body: unknown, token?: string) =>
      fetch(`${base}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    await post('/api/auth/register', { email: benchUser.email, password: 'bench password 123' });
    const { accessToken } = await post('/api/auth/login', { email: benchUser.email, password: 'bench password 123' });
    const me = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) => r.json());
    child.send({ userId: me.id });
    const root = await post('/api/roots', { name: 'Bench root' }, accessToken);

    const guarded: number[] = [];
    const unguarded: number[] = [];
    await hit(`${base}/api/roots/${root.id}`, { authorization: `Bearer ${accessToken}` }, 1, connections); // warm-up
    await hit(`${base}/bench/unguarded/${root.id}`, {}, 1, connections);
    for (let i = 0; i < rounds; i++) {
      guarded.push(await hit(`${base}/api/roots/${root.id}`, { authorization: `Bearer ${accessToken}` }, seconds, connections));
      unguarded.push(await hit(`${base}/bench/unguarded/${root.id}`, {}, seconds, connections));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const g = mean(guarded);
    const u = mean(unguarded);
    console.log(`engine=${engine} connections=${connections} rounds=${rounds}x${seconds}s`);
    console.log(`guarded   GET /api/roots/:rootId   ${g.toFixed(0)} req/s  (${guarded.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`unguarded same service call       ${u.toFixed(0)} req/s  (${unguarded.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`guard + context cost: ${((1 - g / u) * 100).toFixed(1)}% of throughput (ratio ${(g / u).toFixed(3)})`);
  } finally {
    child.send({ stop: true });
  }
}

(process.env.BENCH_CHILD ? serve() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
