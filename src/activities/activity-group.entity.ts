import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn, TextColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';

/** Groups of activities; they nest (parent_id), and siblings keep the order their owner gave them. */
@Entity('activity_groups')
@Unique('uq_activity_groups_root_id', ['rootId', 'id'])
@RootFk('activity_groups')
@TenantFk('activity_groups', 'parent_id', () => ActivityGroup)
@Index('idx_activity_groups_root', ['rootId'])
@Index('idx_activity_groups_parent', ['rootId', 'parentId'])
@Index('ux_activity_groups_root_name', ['rootId', 'name'], { unique: true, where: 'deleted_at IS NULL' })
export class ActivityGroup extends TenantEntity {
  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @TextColumn('description')
  description: string | null;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;

  @IdColumn('parent_id', { nullable: true })
  parentId: string | null;

  @Version()
  version: number;
}
