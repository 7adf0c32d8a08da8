import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../migrations';
import { Client } from 'pg';
import { PG_AVAILABLE, pgUrlFor, PG_URL } from '../helpers/db';
import { cleanEnv, listFiles, npmRun, projectCopy, Run, run } from './helpers';

/**
 * The migration commands exactly as the README gives them, run in a throwaway copy of the
 * project with no APP_ENV: they work on data/goals_dev.db and write backups to backups/.
 */
const NAMES = MIGRATIONS.map((m) => new m().name as string);
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('migration CLI (real processes, SQLite)', () => {
  let project: { dir: string; remove(): void };
  let file: string;
  let target: string;

  beforeAll(() => {
    project = projectCopy();
    file = path.join(project.dir, 'data', 'goals_dev.db');
    target = `[typeorm] environment=development database=sqlite ${file}`;
  });
  afterAll(() => project?.remove());

  const npm = async (script: string, env: Record<string, string> = {}): Promise<Run> => {
    const r = await npmRun(project.dir, script, cleanEnv(env));
    expect(r.stderr.split('\n')[0]).toBe(target);
    return r;
  };
  const ok = (r: Run) => expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: r.output });

  const read = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const tables = () => read((db) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name));
  const applied = () => read((db) => (db.prepare(`SELECT name FROM migrations ORDER BY timestamp`).all() as { name: string }[]).map((r) => r.name));
  const schema = () => read((db) => db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all());

  it('migration:show on a new database lists every migration as pending, and does not create the file', async () => {
    const r = await npm('migration:show');
    ok(r);
    expect(r.stdout.trim().split('\n')).toEqual([...NAMES.map((n) => `[ ] ${n}`), `${NAMES.length} migration(s) pending.`]);
    expect(r.stderr).toContain(`No database at ${file} yet`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('npm run migration:dry-run prints the SQL and changes nothing, not even creating the file', async () => {
    const r = await npm('migration:dry-run');
    ok(r);
    expect(r.stdout).toMatch(/CREATE TABLE "goals"/);
    expect(r.stdout).toMatch(/Rolled back; nothing was changed/);
    expect(fs.existsSync(file)).toBe(false);
    expect(listFiles(path.join(project.dir, 'backups'))).toEqual([]);
  });

  it('npx typeorm-ts-node-commonjs migration:run -d ormconfig.ts applies everything, after the same first line', async () => {
    const r = await run('npx', ['--no-install', 'typeorm-ts-node-commonjs', 'migration:run', '-d', 'ormconfig.ts'], { cwd: project.dir, env: cleanEnv() });
    expect(r.stderr.split('\n').find((l) => l.startsWith('[typeorm]'))).toBe(target);
    ok(r);
    expect(r.stdout).toMatch(/Applied: .*integrity_check ok, foreign_key_check ok\./);
    expect(applied()).toEqual(NAMES);
    expect(tables()).toEqual(expect.arrayContaining(['goals', 'activity_instances', 'metric_values', 'migrations']));
    // The database was empty: there was nothing to back up.
    expect(listFiles(path.join(project.dir, 'backups'))).toEqual([]);
  });

  it('a second npm run migration:run says nothing is pending and changes nothing', async () => {
    const db = new Database(file);
    db.prepare(`INSERT INTO users (id, email) VALUES ('00000000-0000-4000-8000-0000000000aa', 'cli@example.com')`).run();
    db.prepare(`INSERT INTO goals (id, root_id, user_id, type, name) VALUES ('00000000-0000-4000-8000-0000000000bb', '00000000-0000-4000-8000-0000000000bb', '00000000-0000-4000-8000-0000000000aa', 'UltimateGoal', 'CLI root')`).run();
    db.close();
    const hash = sha(file);
    const r = await npm('migration:run');
    ok(r);
    expect(r.stdout.trim()).toBe('No migrations are pending: the database is at the current schema. Nothing was changed.');
    expect(sha(file)).toBe(hash);
    expect(listFiles(path.join(project.dir, 'backups'))).toEqual([]);

    const show = await npm('migration:show');
    ok(show);
    expect(show.stdout.trim().split('\n')).toEqual([...NAMES.map((n) => `[X] ${n}`), 'No migrations are pending.']);
    expect(sha(file)).toBe(hash);
  });

  it('npm run migration:revert undoes the last migration after a backup to BACKUP_DIR, and migration:run brings it back', async () => {
    const backupDir = path.join(project.dir, 'elsewhere');
    const schemaBefore = schema();
    const last = NAMES.length - 1;
    const r = await npm('migration:revert', { BACKUP_DIR: backupDir });
    ok(r);
    const backup = /Backup written: (.+\.db)/.exec(r.stdout)?.[1];
    expect(backup && path.dirname(backup)).toBe(backupDir);
    expect(path.basename(backup!)).toMatch(/^goals_dev\.\d{8}T\d{6}Z(\.\d+)?\.db$/);
    expect(r.stdout).toMatch(new RegExp(`Reverted: ${NAMES[last]}\\.`));
    expect(applied()).toEqual(NAMES.slice(0, last));
    // The backup is the database as it was before the revert.
    const saved = new Database(backup!, { readonly: true });
    expect((saved.prepare(`SELECT name FROM migrations ORDER BY timestamp`).all() as { name: string }[]).map((x) => x.name)).toEqual(NAMES);
    expect(saved.prepare(`SELECT name FROM goals`).all()).toEqual([{ name: 'CLI root' }]);
    saved.close();

    const again = await npm('migration:run');
    ok(again);
    expect(again.stdout).toMatch(/Backup written: .*\/backups\/goals_dev\./);
    expect(again.stdout).toMatch(new RegExp(`Applied: ${NAMES[last]}\\.`));
    expect(applied()).toEqual(NAMES);
    expect(schema()).toEqual(schemaBefore);
  });
});

/** The same commands against PostgreSQL through DATABASE_URL (skipped when PostgreSQL is unreachable). */
(PG_AVAILABLE ? describe : describe.skip)('migration CLI (real processes, PostgreSQL)', () => {
  const name = `fg_cli_${process.pid}_${Date.now()}`;
  let project: { dir: string; remove(): void };
  const admin = async (text: string) => {
    const c = new Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    project = projectCopy();
    await admin(`CREATE DATABASE "${name}"`);
  });
  afterAll(async () => {
    project?.remove();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('show lists pending, run applies, revert undoes the last, show lists it pending again', async () => {
    const env = cleanEnv({ DATABASE_URL: pgUrlFor(name) });
    const target = `[typeorm] environment=development database=postgres ${pgUrlFor(name)}`;
    const show = await npmRun(project.dir, 'migration:show', env);
    expect(show.stderr.split('\n')[0]).toBe(target);
    expect(show.stdout.trim().split('\n')).toEqual([...NAMES.map((n) => `[ ] ${n}`), `${NAMES.length} migration(s) pending.`]);

    const up = await npmRun(project.dir, 'migration:run', env);
    expect({ code: up.code, out: up.output }).toEqual({ code: 0, out: up.output });
    expect(up.stdout).toMatch(/Applied: /);

    const down = await npmRun(project.dir, 'migration:revert', env);
    expect({ code: down.code, out: down.output }).toEqual({ code: 0, out: down.output });
    expect(down.stdout).toMatch(new RegExp(`Reverted: ${NAMES[NAMES.length - 1]}\\.`));

    const again = await npmRun(project.dir, 'migration:show', env);
    expect(again.stdout.trim().split('\n')).toEqual([
      ...NAMES.slice(0, -1).map((n) => `[X] ${n}`),
      `[ ] ${NAMES[NAMES.length - 1]}`,
      '1 migration(s) pending.',
    ]);
  });
});
