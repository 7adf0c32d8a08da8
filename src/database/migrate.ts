import { AppConfig } from '../config/env';
import { createDataSource, SafeDataSource } from './data-source';
import { migrationState } from './safe-migrations';

/** The config the migrations run with: the owner's connection when MIGRATION_DATABASE_URL is set. */
export function migrationConfig<C extends Pick<AppConfig, 'database' | 'pg' | 'migrationDatabase'>>(config: C): C {
  return config.migrationDatabase ? { ...config, database: config.migrationDatabase } : config;
}

/**
 * Brings the database to the current schema before the service starts. When the service
 * connects as the unprivileged role, the migrations run through a short-lived owner connection.
 */
export async function migrateBeforeStart(config: AppConfig, serviceDataSource: SafeDataSource): Promise<void> {
  if (!config.migrationDatabase) {
    await serviceDataSource.runMigrations();
    return;
  }
  const owner = createDataSource(migrationConfig(config));
  owner.safeRunOptions = serviceDataSource.safeRunOptions;
  await owner.initialize();
  try {
    await owner.runMigrations();
  } finally {
    await owner.destroy();
  }
}

/** One line for the start-up log: the migrations applied, the last one, and any pending. */
export async function describeMigrations(dataSource: SafeDataSource): Promise<string> {
  const runner = dataSource.createQueryRunner();
  try {
    const { applied, pending } = await migrationState(dataSource, runner);
    return `Migrations: ${applied.length} applied, last ${applied.at(-1) ?? 'none'}; pending: ${pending.join(', ') || 'none'}`;
  } finally {
    await runner.release();
  }
}
