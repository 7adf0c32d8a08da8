import { Check, Column, Entity, Index } from 'typeorm';
import { SoftDeletableEntity } from '../database/base.entity';
import { BoolColumn, TimestampColumn } from '../database/columns';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Emails are stored lower-cased, and the database refuses any other form: uniqueness is case-insensitive. */
@Entity('users')
@Check('ck_users_email_lower', 'email = lower(email)')
@Check('ck_users_role', `role IN ('user', 'admin')`)
@Index('ux_users_email', ['email'], { unique: true })
export class User extends SoftDeletableEntity {
  @Column({ name: 'email', type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName: string | null;

  /** Null for an account that cannot log in yet, such as the legacy placeholder owner. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ name: 'role', type: 'varchar', length: 16, default: 'user' })
  role: UserRole;

  @BoolColumn('is_active', true)
  isActive: boolean;

  @TimestampColumn('last_login_at')
  lastLoginAt: Date | null;

  /** The IANA zone the analytics read this user's dates in when a request names none; NULL is UTC. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone: string | null;

  /** Access tokens carry it; raising it (a new password, logging out everywhere) refuses every earlier one. */
  @Column({ name: 'token_version', type: 'integer', default: 0, select: false })
  tokenVersion: number;
}
