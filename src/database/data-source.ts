import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import { MIGRATIONS, LEGACY_PREFIX, LEGACY_TABLES } from '../../migrations';
import { AppConfig } from '../config/env';
import { ENTITIES } from './entities';
import { assertSqliteFile, guardedMigration, SafeRunOptions } from './safe-migrations';

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
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
  };
}

/**
 * The DataSource used everywhere, the typeorm CLI included: its migration commands go
 * through guardedMigration (backup, one transaction, checks), whoever calls them.
 */
export class SafeDataSource extends DataSource {
  safeRunOptions: SafeRunOptions = {};

  override async initialize(): Promise<this> {
    if (this.options.type === 'better-sqlite3') assertSqliteFile(this.options.database as string);
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
}

export function createDataSource(config: Pick<AppConfig, 'database' | 'pg'>): SafeDataSource {
  return new SafeDataSource(dataSourceOptions(config));
}
