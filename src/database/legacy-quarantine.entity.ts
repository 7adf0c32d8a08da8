import { Column, Entity, Index } from 'typeorm';
import { AuditedEntity } from './base.entity';
import { TextColumn } from './columns';

/** Legacy rows that could not meet the new constraints: kept whole, never dropped. */
@Entity('legacy_quarantine')
@Index('idx_legacy_quarantine_table', ['sourceTable'])
export class LegacyQuarantine extends AuditedEntity {
  @Column({ name: 'source_table', type: 'varchar', length: 100 })
  sourceTable: string;

  @Column({ name: 'source_id', type: 'varchar', length: 200, nullable: true })
  sourceId: string | null;

  /** The original row, as JSON text exactly as read. */
  @TextColumn('row_json', { nullable: false })
  rowJson: string;

  @Column({ name: 'reason', type: 'varchar', length: 500 })
  reason: string;
}
