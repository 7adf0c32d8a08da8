import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { AuditedEntity } from '../database/base.entity';
import { IdColumn, TimestampColumn } from '../database/columns';
import { User } from './user.entity';

/** Opaque refresh tokens, stored only as hashes. A family is one login's chain of rotations. */
@Entity('refresh_tokens')
@Index('ux_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_refresh_tokens_user', ['userId'])
@Index('idx_refresh_tokens_family', ['familyId'])
export class RefreshToken extends AuditedEntity {
  @IdColumn('user_id')
  @ForeignKey(() => User, 'id', { name: 'fk_refresh_tokens_user', onDelete: 'CASCADE' })
  userId: string;

  @IdColumn('family_id')
  familyId: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 128 })
  tokenHash: string;

  @TimestampColumn('expires_at', { nullable: false })
  expiresAt: Date;

  /** When the whole family (the login) ends, however often it rotates. Null for older rows: no cap. */
  @TimestampColumn('family_expires_at')
  familyExpiresAt: Date | null;

  @TimestampColumn('used_at')
  usedAt: Date | null;

  @TimestampColumn('revoked_at')
  revokedAt: Date | null;
}
