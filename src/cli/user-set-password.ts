import { setPassword, SetPasswordRefused } from '../auth/set-password.service';
import { AccountData } from '../database/account-data';
import { UnitOfWork } from '../database/unit-of-work';
import { readNewPassword } from './lib/read-password';
import { runCli, singleArgument } from './lib/run-cli';

/**
 * npm run user:set-password -- <email>
 * Gives an account a new password, read from the terminal or stdin (src/cli/lib/read-password.ts).
 */
const email = singleArgument('npm run user:set-password -- <email>   (the password is read from the terminal or stdin)');
if (email) {
  void runCli(
    'user:set-password',
    async (ds) => {
      const password = await readNewPassword();
      const result = await setPassword(new AccountData(new UnitOfWork(ds)), email, password);
      const ended = result.endedLogins ? ` ${result.endedLogins} login(s) made with the old password were ended.` : '';
      console.log(`${result.email} has a new password.${ended}`);
      if (!result.isActive) {
        console.log('The account is disabled: it cannot log in until an administrator enables it (PATCH /api/admin/users/<userId> {"isActive": true}).');
      }
    },
    [SetPasswordRefused],
  );
}
