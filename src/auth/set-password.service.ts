import { RequestContext } from '../context/request-context';
import { AccountData, accountRepo } from '../database/account-data';
import { normalizeEmail } from './auth.dto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordService } from './password.service';
import { replacePassword } from './replace-password';
import { User } from './user.entity';

/** A password outside the length rules, or an unknown account: nothing was changed. */
export class SetPasswordRefused extends Error {}

/**
 * Gives an account a new password, on the server (npm run user:set-password, src/cli). This
 * is how an account the legacy adoption created without a password (LEGACY_OWNER_EMAIL)
 * first logs in, and how an operator resets a forgotten one.
 */
export interface PasswordSet {
  /** The account's email, normalized as login normalizes it. */
  email: string;
  isActive: boolean;
  /** Logins (refresh-token families) that the new password ended. */
  endedLogins: number;
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  return undefined;
}

export async function setPassword(accounts: AccountData, rawEmail: string, password: string): Promise<PasswordSet> {
  const problem = passwordProblem(password);
  if (problem) throw new SetPasswordRefused(problem);
  const email = normalizeEmail(rawEmail) as string;
  const cli = RequestContext.anonymous('user:set-password');
  const user = await accounts.read(cli, (c) => accountRepo(c, User).findOne({ where: { email }, select: { id: true, isActive: true } }));
  if (!user) throw new SetPasswordRefused(`No account with the email ${email}.`);
  const passwordHash = await new PasswordService().hash(password);
  const { endedLogins } = await accounts.write(cli, (c) => replacePassword(c, user.id, passwordHash, null));
  return { email, isActive: user.isActive, endedLogins };
}
