import 'reflect-metadata';
import { User } from '../auth/user.entity';
import { ConfigError, describeTarget, loadConfig } from '../config/env';
import { createDataSource } from '../database/data-source';

/**
 * npm run admin:grant -- <email>
 * Makes an existing account an administrator. Run on the server, against the environment's
 * database: there is no HTTP route that creates the first admin.
 */
async function main(): Promise<void> {
  const email = (process.argv[2] ?? '').trim().toLowerCase();
  if (!email) {
    console.error('Usage: npm run admin:grant -- <email>');
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  console.log(`admin:grant ${describeTarget(config)}`);
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    const result = await ds.getRepository(User).update({ email }, { role: 'admin' });
    if (!result.affected) {
      console.error(`No account with the email ${email}. Register it first.`);
      process.exitCode = 1;
      return;
    }
    console.log(`${email} is now an administrator.`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
