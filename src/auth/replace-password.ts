import { EntityManager, IsNull } from 'typeorm';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

export interface EndedLogins {
  /** How many logins (refresh-token families) ended. */
  endedLogins: number;
  /** The account's token version from now on: new tokens must carry it. */
  tokenVersion: number;
}

/**
 * Ends every login of the account, in the caller's transaction: its refresh-token families
 * are revoked, and its token version is raised, so that the guard also refuses every access
 * token issued so far. `changes` (a new password hash, isActive) go into the same UPDATE.
 */
export async function endAllLogins(m: EntityManager, userId: string, by: string | null, changes: Partial<User> = {}): Promise<EndedLogins> {
  await m.getRepository(User).update({ id: userId }, { ...changes, tokenVersion: () => 'token_version + 1', updatedBy: by });
  const families: { family_id: string }[] = await m
    .getRepository(RefreshToken)
    .createQueryBuilder('t')
    .select('DISTINCT t.family_id', 'family_id')
    .where('t.user_id = :id AND t.revoked_at IS NULL', { id: userId })
    .getRawMany();
  await m.getRepository(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  const { tokenVersion } = await m.getRepository(User).findOneOrFail({ where: { id: userId }, select: { id: true, tokenVersion: true } });
  return { endedLogins: families.length, tokenVersion };
}

/** A new password hash, and the end of every login made with the old password, together. */
export function replacePassword(m: EntityManager, userId: string, passwordHash: string, by: string | null): Promise<EndedLogins> {
  return endAllLogins(m, userId, by, { passwordHash });
}
