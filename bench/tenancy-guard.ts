/**
 * What the authentication guard and the request's unit of work cost.
 *
 * Two server processes serve the same app on the same kind of database. In one, GET
 * /api/roots/:rootId runs as in production: the token is verified, the unit of work opened
 * (a transaction on PostgreSQL, the read connection on SQLite), the account admitted and the
 * root checked in its first statement, and the context built. In the other, the guard and the
 * pipeline are replaced by a stub that opens the same kind of unit with the engine's plain scope
 * statement and puts a ready-made context on the request; nothing else changes. autocannon (in
 * this process, so that it shares neither server's event loop) loads them in alternating rounds.
 *
 *   npx ts-node --transpile-only bench/tenancy-guard.ts                        # SQLite
 *   DB_ENGINE=postgres npx ts-node --transpile-only bench/tenancy-guard.ts     # PostgreSQL
 * Env: BENCH_SECONDS per round (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10).
 */
import 'reflect-metadata';
import { createApp } from '../src/app.factory';
import { from, lastValueFrom } from 'rxjs';
import { AuthGuard } from '../src/auth/auth.guard';
import { CONTEXT_KEY, RequestContext } from '../src/context/request-context';
import { UnitOfWork } from '../src/database/unit-of-work';
import { RequestUnitInterceptor } from '../src/tenancy/request-unit.interceptor';
import { createMigratedDatabase } from '../test/helpers/db';
import { alternate, benchOptions, postJson, report, startChild } from './lib';

type Mode = 'guarded' | 'unguarded';
const PASSWORD = 'bench password 123';

/**
 * The unguarded server: the token is not verified and the account and root are not checked, but
 * the route still runs in a unit of work of the same kind, opened with the engine's plain scope
 * statement (PostgreSQL: set_config; SQLite has none, so a trivial one), as the real pipeline
 * would; the stubs hand over the context it would have built.
 */
function stubPipeline(user: { id: string; email: string; role: 'user' }): void {
  AuthGuard.prototype.canActivate = function () {
    return true;
  };
  RequestUnitInterceptor.prototype.intercept = function (this: RequestUnitInterceptor, context, next) {
    const request = context.switchToHttp().getRequest();
    const unitOfWork = (this as unknown as { unitOfWork: UnitOfWork }).unitOfWork;
    const rootId = String(request.params.rootId);
    const opening = unitOfWork.dialect.scope(user.id, rootId) ?? { sql: 'SELECT 1', params: [] };
    const kind = request.method === 'GET' ? 'read' : 'write';
    return from(
      unitOfWork.request(kind, opening, (manager) => {
        request[CONTEXT_KEY] = RequestContext.forUser(String(request.id), user).withRoot(rootId).withManager(manager);
        return lastValueFrom(next.handle(), { defaultValue: undefined });
      }),
    );
  };
}

async function serve(mode: Mode): Promise<void> {
  const db = await createMigratedDatabase({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_IP: '1000', AUTH_RATE_LIMIT_ACCOUNT: '1000' });
  let app = await createApp({ config: db.config, dataSource: db.dataSource });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const post = (url: string, body: unknown, token?: string) => postJson(base, url, body, token);
  const user = await post('/api/auth/register', { email: 'bench@example.com', password: PASSWORD });
  const { accessToken } = await post('/api/auth/login', { email: 'bench@example.com', password: PASSWORD });
  const root = await post('/api/roots', { name: 'Bench root' }, accessToken);
  if (mode === 'unguarded') {
    await app.close();
    const dataSource = db.newDataSource();
    await dataSource.initialize();
    stubPipeline({ id: user.id, email: user.email, role: 'user' });
    app = await createApp({ config: db.config, dataSource });
    await app.listen({ port: 0, host: '127.0.0.1' });
  }
  process.send!({ url: `${await app.getUrl()}/api/roots/${root.id}`, token: accessToken });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await app.close();
    await db.drop();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const options = benchOptions();
  const guarded = await startChild<{ url: string; token: string }>(__filename, 'guarded');
  const unguarded = await startChild<{ url: string; token: string }>(__filename, 'unguarded');
  try {
    const results = await alternate(
      [
        { label: 'guarded   GET /api/roots/:id', url: guarded.url, token: guarded.token, child: guarded.child },
        { label: 'unguarded GET /api/roots/:id', url: unguarded.url, token: unguarded.token, child: unguarded.child },
      ],
      options,
    );
    console.log(`engine=${process.env.DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite'} connections=${options.connections} rounds=${options.rounds}x${options.seconds}s`);
    report(results, 'the guard and the unit of work');
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
