import { AuthUser } from '../tenancy/request-context';
import { ACCOUNT_UNAVAILABLE, BearerAuthError } from './auth.errors';

/** The columns that admit a user, wherever they are read: the guard's query, or fg_enter_root. */
export interface AccountRow {
  id: string;
  email: string;
  role: AuthUser['role'];
  is_active: unknown;
}

/** A live, active account becomes the request's user; a missing, deleted or disabled one is the same 401. */
export function admitAccount(row: AccountRow | undefined): AuthUser {
  if (!row || !row.is_active) throw new BearerAuthError(ACCOUNT_UNAVAILABLE, true);
  return { id: row.id, email: row.email, role: row.role };
}
