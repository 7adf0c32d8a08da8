import { ACCOUNT_UNAVAILABLE, BearerAuthError, INVALID_TOKEN } from './bearer-auth.error';
import { AuthUser, TokenClaims } from './request-context';

/** The columns that admit a user, as the unit of work's opening statement reads them. */
export interface AccountRow {
  id: string;
  email: string;
  role: AuthUser['role'];
  is_active: unknown;
  token_version: unknown;
}

/**
 * A live, active account becomes the request's user; a missing, deleted or disabled one is the
 * same 401. So is a token issued under another token version: the account logged out
 * everywhere, or changed its password, since the token was issued.
 */
export function admitAccount(row: AccountRow | undefined, claims: TokenClaims): AuthUser {
  if (!row || !row.is_active || row.id !== claims.userId) throw new BearerAuthError(ACCOUNT_UNAVAILABLE, true);
  if (Number(row.token_version) !== claims.tokenVersion) throw new BearerAuthError(INVALID_TOKEN, true);
  return { id: row.id, email: row.email, role: row.role };
}
