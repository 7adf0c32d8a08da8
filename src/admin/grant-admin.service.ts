import { DataSource } from 'typeorm';
import { normalizeEmail } from '../auth/auth.dto';
import { User } from '../auth/user.entity';

/** The account named does not exist: nothing was changed. */
export class GrantRefused extends Error {}

/**
 * Makes an existing account an administrator; answers its normalized email. Run on the
 * server (npm run admin:grant): there is no HTTP route that creates the first admin.
 */
export async function grantAdmin(ds: DataSource, rawEmail: string): Promise<string> {
  const email = normalizeEmail(rawEmail) as string;
  const result = await ds.getRepository(User).update({ email }, { role: 'admin' });
  if (!result.affected) throw new GrantRefused(`No account with the email ${email}. Register it first.`);
  return email;
}
