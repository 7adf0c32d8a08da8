import 'reflect-metadata';
import * as fs from 'node:fs';
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
    // Showing or dry-running against a file that does not exist must not create it (a typo
    // in DATABASE_PATH would leave an empty database behind): answer for an empty one.
    const readOnly = process.argv.includes('migration:show') || process.env.MIGRATION_DRY_RUN === '1';
    if (readOnly && target.database.engine === 'sqlite' && target.database.location !== ':memory:' && !fs.existsSync(target.database.location)) {
      console.error(`[typeorm] No database at ${target.database.location} yet: answering for a new, empty one, without creating it.`);
      return createDataSource({ ...target, database: { ...target.database, location: ':memory:' } });
    }
    return createDataSource(target);
  } catch (err) {
    console.error(`[typeorm] ${(err as Error).message}`);
    process.exit(2);
  }
}

export const dataSource = build();

/**
 * The typeorm CLI calls process.exit() as soon as a command returns, and writes to a pipe are
 * asynchronous: a long answer (a dry run's SQL passes 64 KiB) would be cut off when its reader
 * is slow. Exit once what was printed has left the process.
 */
const exitNow = process.exit.bind(process);
process.exit = ((code?: number) => {
  process.stdout.write('', () => exitNow(code));
}) as typeof process.exit;
