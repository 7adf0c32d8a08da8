import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import * as path from 'node:path';
import { createEmptyDatabase, describeDb, ENGINE, pgUrlFor, TestDatabase } from '../helpers/db';

/**
 * Two real API processes on two ports against one PostgreSQL database, each connected as
 * fractal_app (RLS in force), migrating through the owner's URL at the same moment.
 */
const describePg = ENGINE === 'postgres' ? describeDb : describe.skip;
const ROOT = path.resolve(__dirname, '../..');


async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Instance {
  url: string;
  child: ChildProcess;
  output: string[];
}

function startInstance(env: NodeJS.ProcessEnv, port: number): Promise<Instance> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), TS_NODE_TRANSPILE_ONLY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance on ${port} did not start:\n${output.join('')}`)), 60000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('Listening on')) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance on ${port} exited with ${code}:\n${output.join('')}`));
    });
  });
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
}

describePg('two API instances, one PostgreSQL database', () => {
  let db: TestDatabase;
  let a: Instance;
  let b: Instance;

  async function call(instance: Instance, method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const res = await fetch(instance.url + url, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function signUp(email: string) {
    const password = 'correct horse battery staple';
    expect((await call(a, 'POST', '/api/auth/register', { body: { email, password } })).status).toBe(201);
    const login = await call(b, 'POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return { ...(login.body as { accessToken: string; refreshToken: string }), email, password };
  }

  beforeAll(async () => {
    db = await createEmptyDatabase();
    const app = new URL(pgUrlFor(db.location));
    app.username = 'fractal_app';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      APP_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: app.toString(),
      MIGRATION_DATABASE_URL: pgUrlFor(db.location),
      JWT_SECRET: 'two-instances-shared-secret-0123456789abcdef',
    };
    delete env.DB_ENGINE;
    delete env.DATABASE_PATH;
    // Both start, and migrate, at the same moment: the advisory lock lets one apply and the other find nothing pending.
    [a, b] = await Promise.all([startInstance(env, await freePort()), startInstance(env, await freePort())]);
  }, 120000);

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await db?.drop();
  });

  it('both serve, from one database migrated once', async () => {
    for (const instance of [a, b]) {
      const ready = await call(instance, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
    }
    const applied = [a, b].map((i) => i.output.join('')).filter((o) => /Applied: InitialSchema/.test(o));
    expect(applied).toHaveLength(1);
  });

  it('concurrent writes through both instances all land, once each, in their own root only', async () => {
    const alice = await signUp('alice-two@example.com');
    const bob = await signUp('bob-two@example.com');
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', '/api/roots', { token: i % 4 < 2 ? alice.accessToken : bob.accessToken, body: { name: `Root ${i}` } }),
      ),
    );
    expect(writes.map((w) => w.status)).toEqual(Array(20).fill(201));
    const listA = await call(b, 'GET', '/api/roots?limit=200', { token: alice.accessToken });
    const listB = await call(a, 'GET', '/api/roots?limit=200', { token: bob.accessToken });
    expect(listA.body.items).toHaveLength(10);
    expect(listB.body.items).toHaveLength(10);
    const bobRoot = listB.body.items[0].id;
    expect((await call(a, 'GET', `/api/roots/${bobRoot}`, { token: alice.accessToken })).status).toBe(404);
  });

  it('PATCH /api/roots/:rootId: of two writes with the same If-Match on two instances, one wins, the other gets 412', async () => {
    const carol = await signUp('carol-two@example.com');
    const created = await call(a, 'POST', '/api/roots', { token: carol.accessToken, body: { name: 'Contested' } });
    const id = created.body.id;
    const got = await call(b, 'GET', `/api/roots/${id}`, { token: carol.accessToken });
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(`"${got.body.version}"`);
    for (let round = 0; round < 5; round++) {
      const current = await call(a, 'GET', `/api/roots/${id}`, { token: carol.accessToken });
      const tag = current.headers.get('etag')!;
      const results = await Promise.all(
        [a, b].map((instance, i) =>
          call(instance, 'PATCH', `/api/roots/${id}`, { token: carol.accessToken, headers: { 'if-match': tag }, body: { description: `round ${round} by ${i}` } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const after = await call(b, 'GET', `/api/roots/${id}`, { token: carol.accessToken });
      expect(after.body.version).toBe(current.body.version + 1);
      expect(after.body.description).toBe(results.find((r) => r.status === 200)!.body.description);
    }
  });

  it('POST /api/roots: an Idempotency-Key holds across instances; another body with it answers 422', async () => {
    const dave = await signUp('dave-two@example.com');
    const key = 'two-instances-key-1';
    const results = await Promise.all(
      [a, b, a, b].map((instance) => call(instance, 'POST', '/api/roots', { token: dave.accessToken, headers: { 'idempotency-key': key }, body: { name: 'Once' } })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const other = await call(b, 'POST', '/api/roots', { token: dave.accessToken, headers: { 'idempotency-key': key }, body: { name: 'Twice' } });
    expect(other.status).toBe(422);
    const list = await call(a, 'GET', '/api/roots', { token: dave.accessToken });
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(['Once']);
  });

  it('refresh-token rotation and reuse detection hold across instances', async () => {
    const erin = await signUp('erin-two@example.com');
    const first = await call(a, 'POST', '/api/auth/refresh', { body: { refreshToken: erin.refreshToken } });
    expect(first.status).toBe(200);
    // The spent token, replayed on the other instance: refused, and its whole family revoked.
    const reuse = await call(b, 'POST', '/api/auth/refresh', { body: { refreshToken: erin.refreshToken } });
    expect(reuse.status).toBe(401);
    const successor = await call(a, 'POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(successor.status).toBe(401);

    // One token presented to both instances at once: exactly one rotation succeeds.
    const fresh = await call(b, 'POST', '/api/auth/login', { body: { email: erin.email, password: erin.password } });
    const race = await Promise.all([a, b].map((i) => call(i, 'POST', '/api/auth/refresh', { body: { refreshToken: fresh.body.refreshToken } })));
    expect(race.map((r) => r.status).sort()).toEqual([200, 401]);
  });
});
