import { User } from './user.entity';

/** What the API shows of a user. Built field by field, so that the hash can never leak through. */
export interface UserView {
  id: string;
  email: string;
  displayName: string | null;
  /** The IANA zone the analytics read dates in; null is UTC. */
  timeZone: string | null;
  role: User['role'];
  createdAt: Date;
  lastLoginAt: Date | null;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName ?? null,
    timeZone: user.timeZone ?? null,
    role: user.role,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt ?? null,
  };
}

/** What an administrator sees of an account: the same view, with its state. */
export function toAdminUserView(user: User) {
  return { ...toUserView(user), isActive: user.isActive, hasPassword: user.passwordHash != null };
}
