import { EntityManager, IsNull } from 'typeorm';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

/**
 * Stores a new password hash and ends every login made with the old password: all the user's
 * refresh-token families are revoked in the caller's transaction, so neither change lands
 * without the other. Access tokens already issued still run out within their lifetime.
 * Returns how many logins (families) it ended.
 */
export async function replacePassword(m: EntityManager, userId: string, passwordHash: string, by: string | null): Promise<number> {
  await m.getRepository(User).update({ id: userId }, { passwordHash, updatedBy: by });
  const families: { family_id: string }[] = await m
    .getRepository(RefreshToken)
    .createQueryBuilder('t')
    .select('DISTINCT t.family_id', 'family_id')
    .where('t.user_id = :id AND t.revoked_at IS NULL', { id: userId })
    .getRawMany();
  await m.getRepository(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  return families.length;
}
