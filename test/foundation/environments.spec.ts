import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DEV_JWT_SECRET } from '../../src/config/env';
import { cleanEnv, listFiles, projectCopy, Run, run, tsNodeArgs, waitForOutput } from './helpers';

/**
 * The real service and the real migration CLI, started as processes in a throwaway copy of
 * the project, so that the files they create under data/ are the evidence.
 */
const VALID = /Valid values: development, test, production/;
const GOOD_SECRET = 'a-production-secret-of-at-least-32-characters';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('environments (real processes)', () => {
  let project: { dir: string; remove(): void };
  let data: string;
  let sentinel: string;
  let sentinelHash: string;
  let sentinelMtime: number;
  const topLevel = () => listFiles(project.dir);

  const service = (env: Record<string, string | undefined>): Promise<Run> =>
    run(process.execPath, tsNodeArgs('src/main.ts'), { cwd: project.dir, env: cleanEnv(env) });
  // The typeorm CLI as the npm scripts start it, without npm's own start-up (the scripts are run in migration-cli.spec.ts).
  const cli = (command: string, env: Record<string, string | undefined>): Promise<Run> =>
    run(process.execPath, ['node_modules/typeorm/cli-ts-node-commonjs.js', '-d', 'ormconfig.ts', command], {
      cwd: project.dir,
      env: cleanEnv({ TS_NODE_TRANSPILE_ONLY: '1', ...env }),
    });

  beforeAll(() => {
    project = projectCopy();
    data = path.join(project.dir, 'data');
    // A production database that no test in this file may touch.
    fs.mkdirSync(data);
    sentinel = path.join(data, 'goals.db');
    fs.writeFileSync(sentinel, 'the production database: must never be opened outside APP_ENV=production\n');
    const old = new Date('2025-01-01T00:00:00Z');
    fs.utimesSync(sentinel, old, old);
    sentinelHash = sha(sentinel);
    sentinelMtime = fs.statSync(sentinel).mtimeMs;
  });
  afterAll(() => project?.remove());

  const productionUntouched = () => {
    expect(sha(sentinel)).toBe(sentinelHash);
    expect(fs.statSync(sentinel).mtimeMs).toBe(sentinelMtime);
    expect(listFiles(data).filter((f) => f.startsWith('goals.db'))).toEqual(['goals.db']);
  };

  it('APP_ENV=prod or "dev " makes the service and the migration CLI exit non-zero, listing the valid values', async () => {
    const before = listFiles(data);
    // Few processes, all at once: resolveAppEnv's other cases are unit-tested in config.spec.ts.
    const runs = await Promise.all(
      ['prod', 'dev '].flatMap((APP_ENV) => [
        service({ APP_ENV }).then((r) => ({ what: `service APP_ENV=${JSON.stringify(APP_ENV)}`, r })),
        cli('migration:run', { APP_ENV }).then((r) => ({ what: `migration:run APP_ENV=${JSON.stringify(APP_ENV)}`, r })),
      ]),
    );
    for (const { what, r } of runs) {
      expect({ what, code: r.code === 0 ? 0 : 'non-zero', valid: VALID.test(r.output) }).toEqual({ what, code: 'non-zero', valid: true });
    }
    expect(listFiles(data)).toEqual(before);
    productionUntouched();
  });

  it('production refuses to start with a missing or default JWT_SECRET, before it opens any database (short: config.spec.ts)', async () => {
    const before = listFiles(data);
    const runs = await Promise.all([
      service({ APP_ENV: 'production' }).then((r) => ({ what: 'service, no secret', r })),
      cli('migration:run', { APP_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET }).then((r) => ({ what: 'migration:run, default secret', r })),
    ]);
    for (const { what, r } of runs) {
      expect({ what, code: r.code === 0 ? 0 : 'non-zero', says: /JWT_SECRET/.test(r.output) }).toEqual({ what, code: 'non-zero', says: true });
    }
    expect(listFiles(data)).toEqual(before);
    productionUntouched();
  });

  it('production refuses to start with CORS_ORIGINS=*, naming the variable, before it opens any database', async () => {
    const before = listFiles(data);
    const r = await service({ APP_ENV: 'production', JWT_SECRET: GOOD_SECRET, CORS_ORIGINS: '*' });
    expect({ code: r.code === 0 ? 0 : 'non-zero', says: /CORS_ORIGINS/.test(r.output) }).toEqual({ code: 'non-zero', says: true });
    expect(listFiles(data)).toEqual(before);
    productionUntouched();
  });

  it('with no APP_ENV the service migrates and serves data/goals_dev.db, prints it first, and touches nothing else', async () => {
    const entriesBefore = topLevel();
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, tsNodeArgs('src/main.ts'), {
      cwd: project.dir,
      env: cleanEnv({ PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    try {
      await waitForOutput(child, /Listening on/);
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      // The database is for the operator (the log below) and administrators, not for anyone who asks.
      expect(await res.json()).toEqual({ status: 'ok', environment: 'development' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(stdout.split('\n')[0]).toBe(`Fractal Goals API: environment=development database=sqlite ${path.join(data, 'goals_dev.db')}`);
    expect(stdout).toMatch(/Applied: InitialSchema1767225600000/);
    expect(stdout).toMatch(/^Migrations: \d+ applied, last \w+; pending: none$/m);
    // The service wrote only data/goals_dev.db (and its WAL companions) beside the sentinel.
    expect(listFiles(data).filter((f) => f !== 'goals.db').every((f) => /^goals_dev\.db(-wal|-shm)?$/.test(f))).toBe(true);
    expect(listFiles(data)).toContain('goals_dev.db');
    expect(topLevel()).toEqual(entriesBefore);
    productionUntouched();
  });

  it('the migration CLI prints the environment and the database first; only APP_ENV=production reaches data/goals.db', async () => {
    const dev = `environment=development database=sqlite ${path.join(data, 'goals_dev.db')}`;
    const prod = `environment=production database=sqlite ${sentinel}`;
    // migration:show, :revert and :dry-run print the same line: test/foundation/migration-cli.spec.ts.
    const [devRun, production] = await Promise.all([
      cli('migration:run', {}),
      cli('migration:show', { APP_ENV: 'production', JWT_SECRET: GOOD_SECRET }),
    ]);
    expect(devRun.stderr.split('\n')[0]).toBe(`[typeorm] ${dev}`);
    expect({ out: devRun.output, code: devRun.code }).toEqual({ out: devRun.output, code: 0 });
    expect(devRun.stdout).toMatch(/No migrations are pending/);

    // Only APP_ENV=production reaches data/goals.db; here it refuses the file, which is not a SQLite database.
    expect(production.stderr.split('\n')[0]).toBe(`[typeorm] ${prod}`);
    expect(production.code).not.toBe(0);
    expect(production.output).toMatch(/is not a SQLite database; nothing was changed/);
    productionUntouched();
  });
});
