import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IdColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityDefinition } from './activity-definition.entity';

@Entity('split_definitions')
@Unique('uq_split_definitions_root_id', ['rootId', 'id'])
@RootFk('split_definitions')
@TenantFk('split_definitions', 'activity_id', () => ActivityDefinition, 'CASCADE')
@Index('idx_split_definitions_root', ['rootId'])
@Index('idx_split_definitions_activity', ['activityId'])
@Index('idx_split_definitions_root_activity', ['rootId', 'activityId'])
@Index('ux_split_definitions_activity_name', ['activityId', 'name'], { unique: true, where: 'deleted_at IS NULL' })
export class SplitDefinition extends TenantEntity {
  @IdColumn('activity_id')
  activityId: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'order', type: 'integer', default: 0 })
  order: number;

  /** False once left out of its activity while values still name it: kept for their history. */
  @BoolColumn('is_active', true)
  isActive: boolean;
}
