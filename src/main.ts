import 'reflect-metadata';
import { ConfigError, describeTarget, loadConfig } from './config/env';

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
  // Loaded only once the configuration is known to be valid: a bad APP_ENV fails at once.
  const { createDataSource } = await import('./database/data-source');
  const { describeMigrations, migrateBeforeStart } = await import('./database/migrate');
  const { createApp } = await import('./app.factory');
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await migrateBeforeStart(config, dataSource);
  // /health tells strangers nothing about the database: the operator reads it here (and admins at /api/admin/db/status).
  console.log(await describeMigrations(dataSource));
  const app = await createApp({ config, dataSource, openApi: true });
  await app.listen({ port: config.port, host: process.env.HOST || '127.0.0.1' });
  console.log(`Listening on ${await app.getUrl()}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
