import { IsNull } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { accountRepo } from '../database/account-data';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

export interface EndedLogins {
  /** How many logins (refresh-token families) ended. */
  endedLogins: number;
  /** The account's token version from now on: new tokens must carry it. */
  tokenVersion: number;
}

/**
 * Ends every login of the account, in the context's unit of work: its refresh-token families
 * are revoked, and its token version is raised, so that the unit of work also refuses every
 * access token issued so far. `changes` (a new password hash, isActive) go into the same UPDATE.
 */
export async function endAllLogins(ctx: RequestContext, userId: string, by: string | null, changes: Partial<User> = {}): Promise<EndedLogins> {
  const users = accountRepo(ctx, User);
  const tokens = accountRepo(ctx, RefreshToken);
  await users.update({ id: userId }, { ...changes, tokenVersion: () => 'token_version + 1', updatedBy: by });
  const families: { family_id: string }[] = await tokens
    .createQueryBuilder('t')
    .select('DISTINCT t.family_id', 'family_id')
    .where('t.user_id = :id AND t.revoked_at IS NULL', { id: userId })
    .getRawMany();
  await tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  const { tokenVersion } = await users.findOneOrFail({ where: { id: userId }, select: { id: true, tokenVersion: true } });
  return { endedLogins: families.length, tokenVersion };
}

/** A new password hash, and the end of every login made with the old password, together. */
export function replacePassword(ctx: RequestContext, userId: string, passwordHash: string, by: string | null): Promise<EndedLogins> {
  return endAllLogins(ctx, userId, by, { passwordHash });
}
