import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import { MIGRATIONS, LEGACY_PREFIX, LEGACY_TABLES } from '../../migrations';
import { AppConfig } from '../config/env';
import { ENTITIES } from './entities';
import { assertFractalGoalsFile, assertSqliteFile, guardedMigration, migrationStatus, SafeRunOptions } from './safe-migrations';

export function dataSourceOptions(config: Pick<AppConfig, 'database' | 'pg'>): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (config.database.engine === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.database.location,
      poolSize: config.pg.poolSize,
      extra: {
        statement_timeout: config.pg.statementTimeoutMs,
        idle_in_transaction_session_timeout: config.pg.idleInTransactionTimeoutMs,
      },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.location,
    enableWAL: config.database.location !== ':memory:',
    prepareDatabase: (db: { pragma(s: string): unknown; prepare(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      keepMillisecondsOnSqlite(db);
    },
  };
}

const SQLITE_NOW_MS = "strftime('%Y-%m-%d %H:%M:%f','now')";
const SECONDS_STAMP = /("(?:updated_at|deleted_at)") = CURRENT_TIMESTAMP\b/g;

/**
 * TypeORM's update() and QueryBuilder writes (soft delete included) stamp updated_at and
 * deleted_at with CURRENT_TIMESTAMP, which SQLite gives in whole seconds: an update within
 * the second of an insert (default with milliseconds) moved updated_at backwards.
 */
function keepMillisecondsOnSqlite(db: { prepare(sql: string): unknown }): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => prepare(sql.includes('CURRENT_TIMESTAMP') ? sql.replace(SECONDS_STAMP, `$1 = ${SQLITE_NOW_MS}`) : sql);
}

/**
 * The DataSource used everywhere, the typeorm CLI included: its migration commands go
 * through guardedMigration (backup, one transaction, checks), whoever calls them.
 */
export class SafeDataSource extends DataSource {
  safeRunOptions: SafeRunOptions = {};

  override async initialize(): Promise<this> {
    if (this.options.type === 'better-sqlite3') {
      assertSqliteFile(this.options.database as string);
      assertFractalGoalsFile(this.options.database as string);
    }
    return super.initialize();
  }

  /** The typeorm CLI turns on query logging; our runner prints its own account instead. */
  override setOptions(options: Partial<DataSourceOptions>): this {
    const { logging: _ignored, ...rest } = options as DataSourceOptions;
    return super.setOptions(rest);
  }

  override async runMigrations(): Promise<Migration[]> {
    const result = await guardedMigration(this, 'run', {
      dryRun: process.env.MIGRATION_DRY_RUN === '1',
      legacyTables: [...LEGACY_TABLES, ...LEGACY_TABLES.map((t) => LEGACY_PREFIX + t)],
      ...this.safeRunOptions,
    });
    return result.executed.map((name) => ({ name }) as Migration);
  }

  override async undoLastMigration(): Promise<void> {
    await guardedMigration(this, 'revert', this.safeRunOptions);
  }

  /**
   * TypeORM's own version creates the migrations table and prints only through the query
   * logger (which the CLI cannot reach here): list the state without writing anything.
   */
  override async showMigrations(): Promise<boolean> {
    const log = this.safeRunOptions.log ?? ((line: string) => console.log(line));
    const status = await migrationStatus(this);
    for (const m of status) log(`${m.applied ? '[X]' : '[ ]'} ${m.name}`);
    const pending = status.filter((m) => !m.applied).length;
    log(pending === 0 ? 'No migrations are pending.' : `${pending} migration(s) pending.`);
    return pending > 0;
  }
}

export function createDataSource(config: Pick<AppConfig, 'database' | 'pg'>): SafeDataSource {
  return new SafeDataSource(dataSourceOptions(config));
}
