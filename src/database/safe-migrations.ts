import * as path from 'node:path';
import { DataSource, Migration, QueryRunner } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';
import { AdoptionOptions, handAdoptionOptions } from '../../migrations/lib/legacy/options';
import { dialectOf } from './dialect';

export interface SafeRunOptions {
  /** Run everything, print the SQL, then roll back. */
  dryRun?: boolean;
  /** Where backups go; defaults to BACKUP_DIR or ./backups. */
  backupDir?: string;
  log?: (line: string) => void;
  /** For the Flask-era adoption: where its report and progress go, tracing, the test hook. */
  adoption?: AdoptionOptions;
}

export interface SafeRunResult {
  executed: string[];
  backupPath?: string;
  dryRunSql?: string[];
}

export { MigrationRefused } from './migration-refused';

/** Records every statement, so that a dry run can print exactly what it would do. */
function recordQueries(qr: QueryRunner, sink: string[]): () => void {
  const original = qr.query.bind(qr);
  qr.query = ((sql: string, params?: unknown[], ...rest: unknown[]) => {
    sink.push(params && params.length ? `${sql} -- ${JSON.stringify(params)}` : sql);
    return (original as (...a: unknown[]) => Promise<unknown>)(sql, params, ...rest);
  }) as QueryRunner['query'];
  return () => {
    qr.query = original;
  };
}

/**
 * Runs a migration step the one safe way: the engine's refusals and backup first, then a
 * single transaction with the engine's settings around it and its whole-database checks before
 * the commit (Dialect.migrations), and a rollback on any failure.
 */
export async function guardedMigration(
  ds: DataSource,
  kind: 'run' | 'revert',
  options: SafeRunOptions & { legacyTables?: string[] } = {},
): Promise<SafeRunResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const qr = ds.createQueryRunner();
  const engine = dialectOf(ds).migrations;
  const result: SafeRunResult = { executed: [] };
  try {
    await engine.preflight(ds, qr, options.legacyTables ?? []);
    const executor = new MigrationExecutor(ds, qr);
    executor.transaction = 'all';
    const pending: Migration[] = kind === 'run' ? await pendingWithoutSideEffects(ds, qr) : [];
    if (kind === 'run' && pending.length === 0) {
      log('No migrations are pending: the database is at the current schema. Nothing was changed.');
      return result;
    }
    if (!options.dryRun) {
      result.backupPath = await engine.backup(ds, qr, options.backupDir ?? process.env.BACKUP_DIR ?? path.resolve('backups'));
      if (result.backupPath) log(`Backup written: ${result.backupPath}`);
    }
    const restoreSettings = await engine.prepare(qr, { switchJournal: !options.dryRun, log });
    const sink: string[] = [];
    const stopRecording = options.dryRun ? recordQueries(qr, sink) : () => undefined;
    await qr.startTransaction();
    const takeBack = handAdoptionOptions(qr, options.adoption);
    try {
      await engine.lock(qr);
      const repair = await engine.watch(qr);
      if (kind === 'run') {
        const done = await executor.executePendingMigrations();
        result.executed = done.map((m) => m.name);
      } else {
        const before = await executor.getExecutedMigrations();
        await executor.undoLastMigration();
        const last = before.sort((a, b) => b.timestamp - a.timestamp)[0];
        if (last) result.executed = [last.name];
      }
      const repaired = await repair();
      const checks = repaired + (await engine.verify(qr, log));
      stopRecording();
      if (options.dryRun) {
        await qr.rollbackTransaction();
        result.dryRunSql = sink;
        for (const sql of sink) log(`${sql};`);
        log(`Dry run: ${result.executed.length} migration(s) would run (${result.executed.join(', ')}). Rolled back; nothing was changed.`);
      } else {
        await qr.commitTransaction();
        log(`${kind === 'run' ? 'Applied' : 'Reverted'}: ${result.executed.join(', ') || 'nothing'}.${checks}`);
      }
    } catch (err) {
      stopRecording();
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      takeBack();
      await restoreSettings();
    }
    return result;
  } finally {
    await qr.release();
  }
}

/** Names of the migrations not yet applied; reads only, creates nothing. */
export async function pendingMigrationNames(ds: DataSource): Promise<string[]> {
  const qr = ds.createQueryRunner();
  try {
    return (await pendingWithoutSideEffects(ds, qr)).map((m) => m.name);
  } finally {
    await qr.release();
  }
}

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

/** Every known migration and whether it has run; reads only, creates nothing. */
export async function migrationStatus(ds: DataSource): Promise<MigrationStatus[]> {
  const qr = ds.createQueryRunner();
  try {
    const pending = new Set((await pendingWithoutSideEffects(ds, qr)).map((m) => m.name));
    return ds.migrations.map((m) => {
      const name = m.name ?? m.constructor.name;
      return { name, applied: !pending.has(name) };
    });
  } finally {
    await qr.release();
  }
}

export interface MigrationState {
  /** In the order they ran, including any this code does not know (a newer version ran them). */
  applied: string[];
  /** Known to this code and not yet run. */
  pending: string[];
}

/** What has run and what is pending, through the caller's runner (its transaction); reads only. */
export async function migrationState(ds: DataSource, qr: QueryRunner): Promise<MigrationState> {
  const applied: string[] = (await qr.hasTable('migrations'))
    ? (await qr.query(`SELECT name FROM "migrations" ORDER BY "timestamp", "id"`)).map((r: { name: string }) => r.name)
    : [];
  const ran = new Set(applied);
  const pending = ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !ran.has(name));
  return { applied, pending };
}

/** Pending migrations, computed without creating the migrations table outside the transaction. */
async function pendingWithoutSideEffects(ds: DataSource, qr: QueryRunner): Promise<Migration[]> {
  const hasTable = await qr.hasTable('migrations');
  const executed = new Set<string>();
  if (hasTable) {
    const rows: { name: string }[] = await qr.query(`SELECT name FROM "migrations"`);
    rows.forEach((r) => executed.add(r.name));
  }
  return ds.migrations
    .map((m) => ({ name: m.name ?? m.constructor.name }) as Migration)
    .filter((m) => !executed.has(m.name));
}
