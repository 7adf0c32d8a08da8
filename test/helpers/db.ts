import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, DbEngine, loadConfig } from '../../src/config/env';
import { createDataSource, SafeDataSource } from '../../src/database/data-source';

/** The engine this test file runs on: set by the jest project (test/setup/*.js). */
export const ENGINE: DbEngine = process.env.DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const PG_URL = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
export const PG_AVAILABLE = process.env.PG_AVAILABLE === '1';

/** A describe() for suites that touch the database: on PostgreSQL it is skipped when PG is unreachable. */
export const describeDb = ((name: string, fn: () => void) =>
  (ENGINE === 'postgres' && !PG_AVAILABLE ? describe.skip : describe)(name, fn)) as jest.Describe;

export function tempDir(prefix = 'fg-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function pgUrlFor(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  engine: DbEngine;
  config: AppConfig;
  /** SQLite file path or PostgreSQL database name. */
  location: string;
  /** Where this database's migration backups go. */
  backupDir: string;
  /** A new DataSource for this database (not initialized). */
  newDataSource(): SafeDataSource;
  drop(): Promise<void>;
}

/** An empty database of its own for one suite: a temp file, or a fresh PostgreSQL database. */
export async function createEmptyDatabase(env: NodeJS.ProcessEnv = {}): Promise<TestDatabase> {
  const dir = tempDir();
  const backupDir = path.join(dir, 'backups');
  if (ENGINE === 'postgres') {
    const name = `fg_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const config = loadConfig({ APP_ENV: 'test', DATABASE_URL: pgUrlFor(name), LOG_LEVEL: 'silent', ...env });
    return {
      engine: ENGINE,
      config,
      location: name,
      backupDir,
      newDataSource: () => withBackupDir(createDataSource(config), backupDir),
      drop: async () => {
        await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const file = path.join(dir, 'goals.db');
  const config = loadConfig({ APP_ENV: 'test', DATABASE_PATH: file, LOG_LEVEL: 'silent', ...env });
  return {
    engine: ENGINE,
    config,
    location: file,
    backupDir,
    newDataSource: () => withBackupDir(createDataSource(config), backupDir),
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function withBackupDir(ds: SafeDataSource, backupDir: string): SafeDataSource {
  ds.safeRunOptions = { backupDir, log: () => undefined };
  return ds;
}

/** A migrated database with an initialized DataSource. */
export async function createMigratedDatabase(env: NodeJS.ProcessEnv = {}): Promise<TestDatabase & { dataSource: SafeDataSource }> {
  const db = await createEmptyDatabase(env);
  const dataSource = db.newDataSource();
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    ...db,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

export interface TestApp {
  app: NestFastifyApplication;
  /** The config the app runs with (on PostgreSQL: connected as the app role). */
  config: AppConfig;
  db: TestDatabase & { dataSource: SafeDataSource };
  close(): Promise<void>;
}

/** The role the service runs as on PostgreSQL: row-level security applies to it (see the RLS migration). */
export const PG_APP_ROLE = 'fractal_app';

/**
 * The whole API on a fresh migrated database, for Fastify inject() (no port). On PostgreSQL
 * the app connects as the unprivileged role, as in production, so every suite also runs
 * behind row-level security; `db.dataSource` stays the owner's, for seeding and inspection.
 */
export async function createTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const { createApp } = await import('../../src/app.factory');
  const db = await createMigratedDatabase(env);
  let appDataSource = db.dataSource;
  let config = db.config;
  if (ENGINE === 'postgres') {
    const url = new URL(pgUrlFor(db.location));
    url.username = PG_APP_ROLE;
    config = loadConfig({ APP_ENV: 'test', DATABASE_URL: url.toString(), LOG_LEVEL: 'silent', ...env });
    appDataSource = withBackupDir(createDataSource(config), db.backupDir);
    await appDataSource.initialize();
  }
  const app = await createApp({ config, dataSource: appDataSource });
  return {
    app,
    config,
    db,
    close: async () => {
      await app.close();
      if (appDataSource.isInitialized) await appDataSource.destroy();
      await db.drop();
    },
  };
}

/**
 * Runs fn as a request's unit of work would: one transaction, scoped to the context's user and
 * root (row-level security on PostgreSQL), with the context given the unit's manager.
 */
export async function inUnit<R>(app: NestFastifyApplication, ctx: import('../../src/context/request-context').RequestContext, fn: (ctx: import('../../src/context/request-context').RequestContext) => Promise<R>): Promise<R> {
  const { UnitOfWork } = await import('../../src/database/unit-of-work');
  return app.get(UnitOfWork).run({ userId: ctx.user?.id, rootId: ctx.rootId }, (manager) => fn(ctx.withManager(manager)));
}
