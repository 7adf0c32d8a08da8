import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IntColumn, TextColumn } from '../database/columns';
import { RootFk } from '../database/foreign-keys';

@Entity('activity_groups')
@Unique('uq_activity_groups_root_id', ['rootId', 'id'])
@RootFk('activity_groups')
@Index('idx_activity_groups_root', ['rootId'])
@Index('ux_activity_groups_root_name', ['rootId', 'name'], { unique: true, where: 'deleted_at IS NULL' })
export class ActivityGroup extends TenantEntity {
  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @TextColumn('description')
  description: string | null;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;
}
