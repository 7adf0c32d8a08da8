import { grantAdmin, GrantRefused } from '../admin/grant-admin.service';
import { runCli, singleArgument } from './lib/run-cli';

/**
 * npm run admin:grant -- <email>
 * Makes an existing account an administrator, against the environment's database.
 */
const email = singleArgument('npm run admin:grant -- <email>');
if (email) {
  void runCli(
    'admin:grant',
    async (ds) => {
      console.log(`${await grantAdmin(ds, email)} is now an administrator.`);
    },
    [GrantRefused],
  );
}
