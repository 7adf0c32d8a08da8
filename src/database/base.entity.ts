import { randomUUID } from 'node:crypto';
import { BeforeInsert, PrimaryColumn } from 'typeorm';
import { CreatedAt, DeletedAt, IdColumn, UpdatedAt } from './columns';

/**
 * Every table: a UUID id and the four audit columns. created_at/updated_at are
 * TypeORM create/update-date columns, which its query builders also set on update();
 * created_by/updated_by are stamped by the scoped data-access layer in src/tenancy.
 */
export abstract class AuditedEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;

  @IdColumn('created_by', { nullable: true })
  createdBy: string | null;

  @IdColumn('updated_by', { nullable: true })
  updatedBy: string | null;

  @BeforeInsert()
  protected assignId(): void {
    if (!this.id) this.id = randomUUID();
  }
}

/**
 * Soft delete: deleted_at hides a row; deletion_id names the delete operation, so
 * that a restore brings back exactly the rows that one delete took, and no others.
 */
export abstract class SoftDeletableEntity extends AuditedEntity {
  @DeletedAt()
  deletedAt: Date | null;

  @IdColumn('deletion_id', { nullable: true })
  deletionId: string | null;
}

/** A row that belongs to one root goal: the tenant. */
export abstract class TenantEntity extends SoftDeletableEntity {
  @IdColumn('root_id')
  rootId: string;
}
