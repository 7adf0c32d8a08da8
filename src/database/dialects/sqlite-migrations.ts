import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DataSource, QueryRunner } from 'typeorm';
import { MigrationRefused } from '../migration-refused';
import { sqliteConnection } from './driver-internals';
import { keepTriggers } from './sqlite-triggers';
import { MigrationEngine } from './types';

/**
 * What the migration runner does on SQLite, around the one transaction it runs everything in:
 * refusing files it must not touch, a backup first, foreign keys off outside the transaction
 * (so table rebuilds cannot cascade-delete children), bulk settings, and the whole-database
 * checks before the commit.
 */

const SQLITE_HEADER = 'SQLite format 3\0';
/** Tables that may exist in our own database besides the entities' tables. */
const BOOKKEEPING = new Set(['migrations', 'typeorm_metadata', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);
/** Page cache for a migration run: bulk copies and the final checks of a large file need it. */
const MIGRATION_CACHE_KIB = 256 * 1024;
/** How much of the file the final checks may map: SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE). */
const CHECK_MMAP_BYTES = 0x7fff0000;

/** Refuses, before the file is opened, anything that is not a SQLite database. */
export function assertSqliteFile(file: string): void {
  if (!fs.existsSync(file)) return;
  const size = fs.statSync(file).size;
  if (size === 0) return;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    fs.readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_HEADER) {
      throw new MigrationRefused(`${file} is not a SQLite database; nothing was changed.`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function utcStamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** An online backup through SQLite's backup API, consistent even while others read. */
async function backupSqlite(ds: DataSource, file: string, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.basename(file).replace(/\.(db|sqlite3?)$/i, '');
  let target = path.join(dir, `${base}.${utcStamp()}.db`);
  for (let n = 1; fs.existsSync(target); n++) target = path.join(dir, `${base}.${utcStamp()}.${n}.db`);
  await sqliteConnection(ds).backup(target);
  return target;
}

async function hasAnyTable(qr: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await qr.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1`);
  return rows.length > 0;
}

async function knownTables(ds: DataSource): Promise<Set<string>> {
  const names = new Set(ds.entityMetadatas.map((m) => m.tableName));
  for (const b of BOOKKEEPING) names.add(b);
  return names;
}

function refuseWithoutGoals(present: string[]): void {
  // Only bookkeeping left (a reverted InitialSchema keeps its migrations table): treat as empty.
  const own = present.filter((t) => !BOOKKEEPING.has(t));
  if (own.length > 0 && !present.includes('goals')) {
    throw new MigrationRefused(
      `This SQLite file is not a Fractal Goals database (no goals table; found: ${present.join(', ')}). Nothing was changed.`,
    );
  }
}

/**
 * Refuses another application's SQLite file before TypeORM opens it: opening it read-write
 * would already change it (the driver switches the journal to WAL).
 */
export function assertFractalGoalsFile(file: string): void {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
    refuseWithoutGoals(rows.map((r) => r.name));
  } finally {
    db.close();
  }
}

/**
 * Refuses a database we must not touch: another application's SQLite file, or one migrated
 * by a newer version of this code (it records migrations we do not have).
 */
async function preflight(ds: DataSource, qr: QueryRunner, legacyTables: string[]): Promise<void> {
  const rows: { name: string }[] = await qr.query(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
  );
  const present = rows.map((r) => r.name);
  const ours = await knownTables(ds);
  const legacy = new Set(legacyTables);
  const foreign = present.filter((t) => !ours.has(t) && !legacy.has(t));
  const looksLikeFlask = present.includes('goals') && !present.includes('migrations');
  refuseWithoutGoals(present);
  // With our migrations table, the recorded names decide (below): our migrations may create
  // tables that have no entity (idempotency_keys), and those must not block the next run.
  if (foreign.length > 0 && looksLikeFlask) {
    throw new MigrationRefused(
      `This SQLite file has tables that are not Fractal Goals tables (${foreign.join(', ')}). Nothing was changed.`,
    );
  }
  if (present.includes('migrations')) {
    const recorded: { name: string }[] = await qr.query(`SELECT name FROM migrations`);
    const known = new Set(ds.migrations.map((m) => m.name ?? m.constructor.name));
    const unknown = recorded.map((r) => r.name).filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new MigrationRefused(
        `This database was migrated by a newer version (unknown migrations: ${unknown.join(', ')}). Nothing was changed.`,
      );
    }
  }
}

/**
 * The whole-database checks, with the file mapped into memory (up to CHECK_MMAP_BYTES) while
 * they run: integrity_check reads every index against its table in random order, and reading
 * through the map measured half the time of reading through the page cache. The mapped pages
 * are the kernel's file cache, shared and reclaimable; they count towards RSS while mapped.
 */
async function verifySqlite(qr: QueryRunner, log: (line: string) => void): Promise<void> {
  // An in-memory database has no file to map, and answers no row.
  const [mapped] = (await qr.query('PRAGMA mmap_size')) as { mmap_size: number }[];
  if (mapped) await qr.query(`PRAGMA mmap_size = ${CHECK_MMAP_BYTES}`);
  try {
    let started = Date.now();
    const fkProblems: unknown[] = await qr.query('PRAGMA foreign_key_check');
    if (fkProblems.length > 0) {
      throw new Error(`foreign_key_check failed: ${JSON.stringify(fkProblems.slice(0, 10))}`);
    }
    const fkSeconds = (Date.now() - started) / 1000;
    started = Date.now();
    const integrity: { integrity_check: string }[] = await qr.query('PRAGMA integrity_check');
    if (integrity.length !== 1 || integrity[0].integrity_check !== 'ok') {
      throw new Error(`integrity_check failed: ${JSON.stringify(integrity.slice(0, 10))}`);
    }
    log(`Checked the whole database: foreign_key_check ${fkSeconds.toFixed(1)} s, integrity_check ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    if (mapped) await qr.query(`PRAGMA mmap_size = ${mapped.mmap_size}`);
  }
}

/**
 * Settings for one migration run on SQLite, put back afterwards:
 * - a bigger page cache (bounded) and a helper thread for index sorts;
 * - unless it is a dry run, a rollback journal instead of the WAL. A transaction larger than
 *   the cache spills into the WAL, then every later read and the checks look pages up in it,
 *   and the commit copies it all into the file again (legacy benchmark: 88 s with the WAL,
 *   65 s without). The journal is just as atomic: a failed run rolls back, and a hot journal
 *   left by a crash is rolled back on the next open. Switching rewrites only the header's
 *   journal-mode bytes and SQLite's change counter; every page is left as it was. If another
 *   connection holds the file, the switch is refused and the run keeps the WAL.
 */
async function bulkSettings(qr: QueryRunner, switchJournal: boolean, log: (line: string) => void): Promise<() => Promise<void>> {
  const [{ cache_size: cache }] = await qr.query('PRAGMA cache_size');
  const [{ threads }] = await qr.query('PRAGMA threads');
  await qr.query(`PRAGMA cache_size = ${-MIGRATION_CACHE_KIB}`);
  await qr.query('PRAGMA threads = 2');
  const [{ journal_mode: journal }] = await qr.query('PRAGMA journal_mode');
  let leftWal = false;
  if (switchJournal && journal === 'wal') {
    try {
      const [{ journal_mode: now }] = await qr.query('PRAGMA journal_mode = DELETE');
      leftWal = now === 'delete';
    } catch (err) {
      log(`Keeping the WAL for this run (another connection holds the file: ${err instanceof Error ? err.message : err}).`);
    }
  }
  return async () => {
    await qr.query(`PRAGMA cache_size = ${cache}`);
    await qr.query(`PRAGMA threads = ${threads}`);
    if (leftWal) await qr.query('PRAGMA journal_mode = WAL');
  };
}


function fileOf(ds: DataSource): string | undefined {
  const file = ds.options.database as string;
  return file === ':memory:' || file === '' ? undefined : file;
}

export const sqliteMigrations: MigrationEngine = {
  checkTarget(location) {
    assertSqliteFile(location);
    assertFractalGoalsFile(location);
  },
  preflight,
  async backup(ds, qr, dir) {
    const file = fileOf(ds);
    if (!file || !(await hasAnyTable(qr))) return undefined;
    return backupSqlite(ds, file, dir);
  },
  async prepare(qr, { switchJournal, log }) {
    await qr.query('PRAGMA foreign_keys = OFF');
    const restore = await bulkSettings(qr, switchJournal, log);
    return async () => {
      await restore();
      await qr.query('PRAGMA foreign_keys = ON');
    };
  },
  lock: async () => undefined,
  watch: keepTriggers,
  async verify(qr, log) {
    await verifySqlite(qr, log);
    return ' integrity_check ok, foreign_key_check ok.';
  },
};
