/**
 * Where bench/data.ts writes: a fresh, migrated SQLite file (prepared statements, one big
 * transaction per ~200,000 rows, keys checked once at the end with foreign_key_check), or a
 * fresh PostgreSQL database (multi-row INSERTs as the owner, keys checked as they go; ANALYZE at
 * the end, as autovacuum would).
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';

type Row = Record<string, unknown>;
export interface Sink {
  engine: 'sqlite' | 'postgres';
  add(table: string, row: Row): void;
  /** Commits now and then, so that no transaction grows without bound. */
  maybeCommit(): Promise<void>;
  commit(): Promise<void>;
  /** Checks the keys (SQLite), analyzes (PostgreSQL), and counts the rows of each table written. */
  finish(): Promise<Record<string, number>>;
}

const COMMIT_EVERY = 200_000;

async function migrate(env: NodeJS.ProcessEnv): Promise<void> {
  const ds = createDataSource(loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', ...env }));
  ds.safeRunOptions = { backupDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fg-bench-backup-')), log: () => undefined };
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  fs.rmSync(ds.safeRunOptions.backupDir!, { recursive: true, force: true });
}

const sqliteTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
const toSqlite = (v: unknown) => (v instanceof Date ? sqliteTime(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v);

export async function openSink(target: string): Promise<Sink> {
  return target.startsWith('postgres') ? openPg(target) : openSqlite(target);
}

async function openSqlite(file: string): Promise<Sink> {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  await migrate({ DATABASE_PATH: file });
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = OFF');
  // A row whose trigger writes root_versions (migration RootVersions) needs a statement journal,
  // and a row of a table with many indexes overflows its 64 KiB in memory into a temporary file.
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -262144');
  const statements = new Map<string, Database.Statement>();
  const tables = new Set<string>();
  let pending = 0;
  db.exec('BEGIN');
  const commit = async () => {
    db.exec('COMMIT');
    db.exec('BEGIN');
    pending = 0;
  };
  return {
    engine: 'sqlite',
    add(table, row) {
      const columns = Object.keys(row);
      const key = `${table}(${columns.join(',')})`;
      let st = statements.get(key);
      if (!st) {
        st = db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(key, st);
      }
      st.run(...columns.map((c) => toSqlite(row[c])));
      tables.add(table);
      pending++;
    },
    maybeCommit: async () => (pending >= COMMIT_EVERY ? commit() : undefined),
    commit,
    async finish() {
      db.exec('COMMIT');
      const problems = db.pragma('foreign_key_check') as unknown[];
      if (problems.length) throw new Error(`foreign_key_check: ${problems.length} rows, first ${JSON.stringify(problems[0])}`);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const counts = Object.fromEntries([...tables].map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
      db.close();
      return counts;
    },
  };
}

async function openPg(url: string): Promise<Sink> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const a = new Client({ connectionString: admin.toString() });
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await a.query(`CREATE DATABASE "${name}"`);
  await a.end();
  await migrate({ DATABASE_URL: url });
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('SET synchronous_commit = off');
  // Rows buffered per table, in the order tables first appear (parents before children).
  const buffers = new Map<string, Row[]>();
  const counts: Record<string, number> = {};
  let pending = 0;
  const flush = async () => {
    await client.query('BEGIN');
    for (const [table, rows] of buffers) {
      const byShape = new Map<string, Row[]>();
      for (const r of rows) {
        const k = Object.keys(r).join(',');
        if (!byShape.has(k)) byShape.set(k, []);
        byShape.get(k)!.push(r);
      }
      for (const [shape, list] of byShape) {
        const columns = shape.split(',');
        const per = Math.floor(60_000 / columns.length);
        for (let i = 0; i < list.length; i += per) {
          const chunk = list.slice(i, i + per);
          const params: unknown[] = [];
          const tuples = chunk.map((r) => `(${columns.map((c) => `$${params.push(r[c])}`).join(', ')})`);
          await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, params);
        }
      }
      counts[table] = (counts[table] ?? 0) + rows.length;
      rows.length = 0;
    }
    await client.query('COMMIT');
    pending = 0;
  };
  return {
    engine: 'postgres',
    add(table, row) {
      if (!buffers.has(table)) buffers.set(table, []);
      buffers.get(table)!.push(row);
      pending++;
    },
    maybeCommit: async () => (pending >= 50_000 ? flush() : undefined),
    commit: flush,
    async finish() {
      await flush();
      await client.query('ANALYZE');
      await client.end();
      return counts;
    },
  };
}
