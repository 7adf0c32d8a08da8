import { normalizeEmail } from '../auth/auth.dto';
import { User } from '../auth/user.entity';
import { CliError, runCli, singleArgument } from '../config/cli';

/**
 * npm run admin:grant -- <email>
 * Makes an existing account an administrator. Run on the server, against the environment's
 * database: there is no HTTP route that creates the first admin.
 */
const email = normalizeEmail(singleArgument('npm run admin:grant -- <email>')) as string | undefined;
if (email) {
  void runCli('admin:grant', async (ds) => {
    const result = await ds.getRepository(User).update({ email }, { role: 'admin' });
    if (!result.affected) throw new CliError(`No account with the email ${email}. Register it first.`);
    console.log(`${email} is now an administrator.`);
  });
}
