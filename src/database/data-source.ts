import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import { MIGRATIONS, LEGACY_PREFIX, LEGACY_TABLES } from '../../migrations';
import { AppConfig } from '../config/env';
import { ENTITIES } from './entities';
import { dialectFor, dialectOf } from './dialect';
import { guardedMigration, migrationStatus, SafeRunOptions } from './safe-migrations';

/** The options of the service's DataSource: the same entities and migrations, the engine's own connection settings. */
export function dataSourceOptions(config: Pick<AppConfig, 'database' | 'pg'>): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  return { ...common, ...dialectFor(config.database.engine).connectionOptions(config.database.location, config.pg) } as unknown as DataSourceOptions;
}

/**
 * The DataSource used everywhere, the typeorm CLI included: its migration commands go
 * through guardedMigration (backup, one transaction, checks), whoever calls them.
 */
export class SafeDataSource extends DataSource {
  safeRunOptions: SafeRunOptions = {};

  override async initialize(): Promise<this> {
    const location = (this.options as { database?: string; url?: string }).database;
    if (location) dialectOf(this).migrations.checkTarget(location);
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
