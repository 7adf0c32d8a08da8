import 'reflect-metadata';
import { describeTarget, loadConfig } from './src/config/env';
import { createDataSource } from './src/database/data-source';
import { migrationConfig } from './src/database/migrate';

/**
 * The DataSource for the typeorm CLI, resolved per environment by the same rules as the
 * service: APP_ENV (unset means development), DATABASE_PATH or DATABASE_URL.
 */
function build() {
  try {
    const config = loadConfig();
    // Migrations need the owner: MIGRATION_DATABASE_URL when the service runs as fractal_app.
    const target = migrationConfig(config);
    console.error(`[typeorm] ${describeTarget(target)}`);
    return createDataSource(target);
  } catch (err) {
    console.error(`[typeorm] ${(err as Error).message}`);
    process.exit(2);
  }
}

export const dataSource = build();
