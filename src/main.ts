import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, describeTarget, loadConfig } from './config/env';
import { createDataSource } from './database/data-source';
import { migrateBeforeStart } from './database/migrate';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  console.log(`Fractal Goals API: ${describeTarget(config)}`);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await migrateBeforeStart(config, dataSource);
  const app = await createApp({ config, dataSource, openApi: true });
  await app.listen({ port: config.port, host: process.env.HOST || '127.0.0.1' });
  console.log(`Listening on http://${process.env.HOST || '127.0.0.1'}:${config.port}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
