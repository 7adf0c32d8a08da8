import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client, types as pgTypes } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { maskUrl } from '../config/env';
import { SafeDataSource } from './data-source';
import { assertSqliteFile } from './dialects/sqlite-migrations';

/**
 * npm run db:copy -- --from data/goals.db --to postgres://…
 *
 * Copies a migrated SQLite database into an empty PostgreSQL database (migrating it first if
 * it has no tables), in one transaction and in batches, then verifies inside that transaction,
 * before the commit: the row count and a checksum of every table's content on both sides.
 * Any difference rolls the whole copy back.
 */

export class CopyRefused extends Error {}

export interface CopyOptions {
  from: string;
  to: string;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface TableReport {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  /** INSERT statements the copy took. */
  batches: number;
}

export interface CopyReport {
  tables: TableReport[];
  migratedTarget: boolean;
  skippedSourceTables: { table: string; rows: number }[];
}

/** Tables that the migrations own and no copy fills: bookkeeping and the RLS bypass ledger. */
const NOT_COPIED = new Set(['migrations', 'fg_rls_bypass']);
const PG_MAX_PARAMS = 65535;

interface TargetColumn {
  name: string;
  type: string;
}

/** Every value as text: the checksum normalizes from PostgreSQL's own output, not from a driver's parse. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as typeof pgTypes;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

// ---- Normalization: one canonical text per value, the same for both engines ----

const TS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A timestamp as UTC 'YYYY-MM-DDTHH:MM:SS.ffffffZ'; naive SQLite timestamps are UTC, as TypeORM writes them. */
export function canonicalTimestamp(value: string): string {
  const m = TS.exec(value.trim());
  if (!m) throw new Error(`not a timestamp: ${JSON.stringify(value)}`);
  const [, date, hm, sec = '00', frac = '', zone] = m;
  if (!zone || /^(Z|[+-]00(:?00)?)$/i.test(zone)) {
    return `${date}T${hm}:${sec}.${frac.slice(0, 6).padEnd(6, '0')}Z`;
  }
  // An explicit offset: convert through Date (millisecond precision), keeping any extra digits.
  const d = new Date(`${date}T${hm}:${sec}.${frac.slice(0, 3).padEnd(3, '0')}${zone.length === 3 ? `${zone}:00` : zone}`);
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${JSON.stringify(value)}`);
  return `${d.toISOString().slice(0, 23)}${frac.slice(3, 6).padEnd(3, '0')}Z`;
}

/** JSON with object keys sorted, so that key order and whitespace do not count. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(typeof value === 'string' ? JSON.parse(value) : value));
}

function isTimestamp(type: string): boolean {
  return type.startsWith('timestamp');
}

/** SQLite value (better-sqlite3) -> the canonical text for its PostgreSQL column type. */
export function canonicalFromSqlite(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) throw new Error('binary values are not supported');
  switch (true) {
    case type === 'boolean':
      if (value === 1 || value === 0 || value === 1n || value === 0n) return Number(value) === 1 ? 'true' : 'false';
      if (value === 'true' || value === 'false') return value;
      throw new Error(`not a boolean: ${JSON.stringify(value)}`);
    case isTimestamp(type):
      return canonicalTimestamp(String(value));
    case type === 'json' || type === 'jsonb':
      return canonicalJson(String(value));
    case type === 'integer' || type === 'bigint' || type === 'smallint':
    case type === 'double precision' || type === 'real' || type === 'numeric':
      return String(Number(value));
    default:
      return String(value);
  }
}

/** PostgreSQL text output -> the same canonical text. */
export function canonicalFromPg(value: string | null, type: string): string | null {
  if (value === null) return null;
  switch (true) {
    case type === 'boolean':
      return value === 't' ? 'true' : 'false';
    case isTimestamp(type):
      return canonicalTimestamp(value);
    case type === 'json' || type === 'jsonb':
      return canonicalJson(value);
    case type === 'integer' || type === 'bigint' || type === 'smallint':
    case type === 'double precision' || type === 'real' || type === 'numeric':
      return String(Number(value));
    default:
      return value;
  }
}

/** SQLite value -> the parameter PostgreSQL stores in that column. */
function toPgParam(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return canonicalFromSqlite(value, type) === 'true';
  if (isTimestamp(type)) return canonicalTimestamp(String(value));
  if (typeof value === 'bigint') return value.toString();
  return value;
}

class Checksum {
  private readonly hash = createHash('sha256');
  rows = 0;
  add(values: (string | null)[]): void {
    this.hash.update(JSON.stringify(values));
    this.hash.update('\n');
    this.rows++;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

// ---- The copy ----

function sqliteTables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new CopyRefused(`${file} does not exist.`);
  try {
    assertSqliteFile(file);
  } catch (err) {
    throw new CopyRefused((err as Error).message.replace('; nothing was changed.', '.'));
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(false);
  const tables = new Set(sqliteTables(db));
  const expected = MIGRATIONS.map((m) => new m().name as string);
  const applied = tables.has('migrations')
    ? (db.prepare(`SELECT name FROM migrations ORDER BY id`).all() as { name: string }[]).map((r) => r.name)
    : [];
  const missing = expected.filter((n) => !applied.includes(n));
  const unknown = applied.filter((n) => !expected.includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    db.close();
    const how = missing.length
      ? `it is not migrated to the current schema (pending: ${missing.join(', ')}). Migrate it first: DATABASE_PATH=${file} npm run migration:run`
      : `it was migrated by a newer version (unknown: ${unknown.join(', ')})`;
    throw new CopyRefused(`${file} cannot be copied: ${how}.`);
  }
  return db;
}

async function targetTables(client: Client): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name as string);
}

async function targetColumns(client: Client, table: string): Promise<TargetColumn[]> {
  const { rows } = await client.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
    [table],
  );
  return rows.map((r) => ({ name: r.column_name as string, type: r.data_type as string }));
}

async function migrateTarget(url: string, log: (line: string) => void): Promise<void> {
  const ds = new SafeDataSource({
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    logging: false,
  });
  ds.safeRunOptions = { log: (line) => log(`  ${line}`) };
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!/^postgres(ql)?:\/\//.test(options.to)) throw new CopyRefused('--to must be a postgres:// URL.');
  const from = path.resolve(options.from);
  const source = openSource(from);
  const target = new Client({ connectionString: options.to, types: RAW_TYPES });
  const report: CopyReport = { tables: [], migratedTarget: false, skippedSourceTables: [] };
  try {
    await target.connect();
    log(`Copying ${from} -> ${maskUrl(options.to)}`);

    const [who] = (await target.query(`SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`)).rows;
    if (who?.bypass !== 't') {
      throw new CopyRefused(
        'db:copy must connect as the database owner with SUPERUSER or BYPASSRLS (the URL used for migrations, not fractal_app): ' +
          'row-level security would hide rows from the emptiness check and refuse the inserts.',
      );
    }

    let tables = await targetTables(target);
    if (tables.length > 0 && !tables.includes('migrations')) {
      throw new CopyRefused(`The target is not empty and is not a Fractal Goals database (tables: ${tables.join(', ')}).`);
    }
    const nonEmpty: string[] = [];
    for (const t of tables.filter((t) => t !== 'migrations')) {
      const { rows } = await target.query(`SELECT EXISTS (SELECT 1 FROM ${q(t)}) AS any`);
      if (rows[0].any === 't') nonEmpty.push(t);
    }
    if (nonEmpty.length > 0) {
      throw new CopyRefused(`The target database is not empty (rows in: ${nonEmpty.join(', ')}). Nothing was copied.`);
    }
    const targetMigrations = tables.includes('migrations')
      ? (await target.query(`SELECT name FROM migrations`)).rows.map((r) => r.name as string)
      : [];
    if (targetMigrations.length < MIGRATIONS.length) {
      log('Migrating the target to the current schema');
      await migrateTarget(options.to, log);
      report.migratedTarget = true;
      tables = await targetTables(target);
    }

    const sourceTables = new Set(sqliteTables(source));
    const copied = tables.filter((t) => !NOT_COPIED.has(t));
    const missing = copied.filter((t) => !sourceTables.has(t));
    if (missing.length > 0) throw new CopyRefused(`The source lacks tables the target has: ${missing.join(', ')}.`);
    for (const t of [...sourceTables].filter((t) => !NOT_COPIED.has(t) && !copied.includes(t))) {
      const rows = (source.prepare(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n;
      report.skippedSourceTables.push({ table: t, rows });
    }

    const columns = new Map<string, TargetColumn[]>();
    for (const t of copied) {
      const cols = await targetColumns(target, t);
      const srcCols = new Set((source.prepare(`PRAGMA table_info(${q(t)})`).all() as { name: string }[]).map((c) => c.name));
      const onlyTarget = cols.filter((c) => !srcCols.has(c.name)).map((c) => c.name);
      const onlySource = [...srcCols].filter((c) => !cols.some((tc) => tc.name === c));
      if (onlyTarget.length || onlySource.length) {
        throw new CopyRefused(
          `Table ${t} differs between the two schemas (only in target: ${onlyTarget.join(', ') || '-'}; only in source: ${onlySource.join(', ') || '-'}).`,
        );
      }
      columns.set(t, cols);
    }

    // One snapshot of the source for the copy and its verification.
    source.exec('BEGIN');
    await target.query('BEGIN');
    try {
      await target.query(`SET LOCAL TIME ZONE 'UTC'`);
      // Parents and children arrive in any order (goals even reference goals): check every key once, at the end.
      const fks = (
        await target.query(
          `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name FROM pg_constraint c
             JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'f' AND NOT c.condeferrable`,
        )
      ).rows as { tbl: string; name: string }[];
      for (const fk of fks) await target.query(`ALTER TABLE ${fk.tbl} ALTER CONSTRAINT ${q(fk.name)} DEFERRABLE INITIALLY DEFERRED`);
      await target.query('SET CONSTRAINTS ALL DEFERRED');

      const batchSize = options.batchSize ?? 500;
      const batchCounts = new Map<string, number>();
      for (const t of copied) {
        const cols = columns.get(t)!;
        const total = (source.prepare(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n;
        const perBatch = Math.max(1, Math.min(batchSize, Math.floor(PG_MAX_PARAMS / cols.length)));
        const names = cols.map((c) => q(c.name)).join(', ');
        let done = 0;
        let batch: unknown[][] = [];
        let lastPrint = 0;
        let batches = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          const params: unknown[] = [];
          const tuples = batch.map((row) => `(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
          await target.query(`INSERT INTO ${q(t)} (${names}) VALUES ${tuples.join(', ')}`, params);
          done += batch.length;
          batches++;
          batch = [];
          if (done === total || Date.now() - lastPrint > 1000) {
            lastPrint = Date.now();
            log(`  ${t}: ${done}/${total} rows (${total ? Math.round((done / total) * 100) : 100}%)`);
          }
        };
        const select = source.prepare(`SELECT ${names} FROM ${q(t)} ORDER BY rowid`).raw(true);
        let n = 0;
        for (const row of select.iterate() as Iterable<unknown[]>) {
          n++;
          try {
            batch.push(row.map((v, i) => toPgParam(v, cols[i].type)));
          } catch (err) {
            throw new Error(`${t}, row ${n}: ${(err as Error).message}`);
          }
          if (batch.length >= perBatch) await flush();
        }
        await flush();
        if (total === 0) log(`  ${t}: 0 rows`);
        batchCounts.set(t, batches);
      }

      await target.query('SET CONSTRAINTS ALL IMMEDIATE');
      for (const fk of fks) await target.query(`ALTER TABLE ${fk.tbl} ALTER CONSTRAINT ${q(fk.name)} NOT DEFERRABLE`);

      log('Verifying: row counts and content checksums on both sides');
      for (const t of copied) {
        report.tables.push({ ...(await verifyTable(source, target, t, columns.get(t)!)), batches: batchCounts.get(t) ?? 0 });
      }
      printReport(report, log);
      const bad = report.tables.filter((r) => r.sourceRows !== r.targetRows || r.sourceChecksum !== r.targetChecksum);
      if (bad.length > 0) throw new Error(`Verification failed for ${bad.map((b) => b.table).join(', ')}; rolled back, nothing was copied.`);
      await target.query('COMMIT');
    } catch (err) {
      await target.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      source.exec('COMMIT');
    }
    const rows = report.tables.reduce((s, r) => s + r.targetRows, 0);
    log(`Done: ${rows} rows in ${report.tables.length} tables copied and verified; committed.`);
    return report;
  } finally {
    source.close();
    await target.end().catch(() => undefined);
  }
}

/** Count and checksum one table on both sides, rows in id order (byte order on both engines). */
async function verifyTable(
  source: Database.Database,
  target: Client,
  table: string,
  cols: TargetColumn[],
): Promise<Omit<TableReport, 'batches'>> {
  const names = cols.map((c) => q(c.name)).join(', ');
  const src = new Checksum();
  for (const row of source.prepare(`SELECT ${names} FROM ${q(table)} ORDER BY id`).raw(true).iterate() as Iterable<unknown[]>) {
    src.add(row.map((v, i) => canonicalFromSqlite(v, cols[i].type)));
  }
  const dst = new Checksum();
  const page = 2000;
  let after: string | null = null;
  for (;;) {
    const res: { rows: Record<string, string | null>[] } = await target.query(
      `SELECT ${names} FROM ${q(table)} ${after === null ? '' : 'WHERE id COLLATE "C" > $1'} ORDER BY id COLLATE "C" LIMIT ${page}`,
      after === null ? [] : [after],
    );
    for (const row of res.rows) dst.add(cols.map((c) => canonicalFromPg(row[c.name], c.type)));
    if (res.rows.length < page) break;
    after = res.rows[res.rows.length - 1].id as string;
  }
  return { table, sourceRows: src.rows, targetRows: dst.rows, sourceChecksum: src.digest(), targetChecksum: dst.digest() };
}

function printReport(report: CopyReport, log: (line: string) => void): void {
  const w = Math.max(...report.tables.map((r) => r.table.length), 5) + 2;
  log(`  ${pad('table', w)}${pad('sqlite rows', 13)}${pad('pg rows', 10)}${pad('sqlite sha256', 18)}${pad('pg sha256', 18)}`);
  for (const r of report.tables) {
    const ok = r.sourceRows === r.targetRows && r.sourceChecksum === r.targetChecksum;
    log(
      `  ${pad(r.table, w)}${pad(r.sourceRows, 13)}${pad(r.targetRows, 10)}${pad(r.sourceChecksum.slice(0, 16), 18)}${pad(r.targetChecksum.slice(0, 16), 18)}${ok ? 'ok' : 'MISMATCH'}`,
    );
  }
  for (const s of report.skippedSourceTables) {
    log(`  not copied: ${s.table} (${s.rows} rows), a table the current schema does not have`);
  }
}

export function parseArgs(argv: string[]): CopyOptions {
  const opts: Partial<CopyOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--from') opts.from = value();
    else if (flag === '--to') opts.to = value();
    else if (flag === '--batch-size') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new CopyRefused('--batch-size must be a positive integer.');
      opts.batchSize = n;
    } else throw new CopyRefused(`Unknown argument ${JSON.stringify(argv[i])}.`);
  }
  if (!opts.from || !opts.to) {
    throw new CopyRefused('Usage: npm run db:copy -- --from <sqlite file> --to postgres://user@host:5432/db [--batch-size 500]');
  }
  return opts as CopyOptions;
}

if (require.main === module) {
  (async () => {
    try {
      await copyDatabase(parseArgs(process.argv.slice(2)));
    } catch (err) {
      console.error(err instanceof CopyRefused ? `Refused: ${err.message}` : `Failed: ${(err as Error).message}`);
      process.exit(err instanceof CopyRefused ? 2 : 1);
    }
  })();
}
