import 'reflect-metadata';
import { describeTarget, loadConfig } from './src/config/env';
import { createDataSource } from './src/database/data-source';

/**
 * The DataSource for the typeorm CLI, resolved per environment by the same rules as the
 * service: APP_ENV (unset means development), DATABASE_PATH or DATABASE_URL.
 */
function build() {
  try {
    const config = loadConfig();
    console.error(`[typeorm] ${describeTarget(config)}`);
    return createDataSource(config);
  } catch (err) {
    console.error(`[typeorm] ${(err as Error).message}`);
    process.exit(2);
  }
}

export const dataSource = build();
