import { Column, Entity, Index } from 'typeorm';
import { AuditedEntity } from '../database/base.entity';
import { IdColumn, JsonColumn } from '../database/columns';

/** Every cross-tenant action leaves a row here. Rows are never updated or deleted. */
@Entity('admin_audit_log')
@Index('idx_admin_audit_log_actor', ['actorUserId'])
@Index('idx_admin_audit_log_root', ['targetRootId'])
@Index('idx_admin_audit_log_created', ['createdAt'])
export class AdminAuditEntry extends AuditedEntity {
  @IdColumn('actor_user_id', { nullable: true })
  actorUserId: string | null;

  @Column({ name: 'action', type: 'varchar', length: 100 })
  action: string;

  @IdColumn('target_root_id', { nullable: true })
  targetRootId: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId: string | null;

  @JsonColumn('details')
  details: unknown;
}
