import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IdColumn, IntColumn, TextColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityGroup } from './activity-group.entity';

@Entity('activity_definitions')
@Unique('uq_activity_definitions_root_id', ['rootId', 'id'])
@RootFk('activity_definitions')
@TenantFk('activity_definitions', 'group_id', () => ActivityGroup)
@Index('idx_activity_definitions_root', ['rootId'])
@Index('idx_activity_definitions_group', ['groupId'])
@Index('idx_activity_group', ['groupId'])
@Index('ux_activity_definitions_root_name', ['rootId', 'name'], { unique: true, where: 'deleted_at IS NULL' })
export class ActivityDefinition extends TenantEntity {
  @IdColumn('group_id', { nullable: true })
  groupId: string | null;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @TextColumn('description')
  description: string | null;

  @BoolColumn('has_sets', false)
  hasSets: boolean;

  @BoolColumn('has_metrics', true)
  hasMetrics: boolean;

  @BoolColumn('metrics_multiplicative', false)
  metricsMultiplicative: boolean;

  @BoolColumn('has_splits', false)
  hasSplits: boolean;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;

  /** Made by the legacy adoption for instances whose activity had been deleted. */
  @BoolColumn('recovered_from_legacy', false)
  recoveredFromLegacy: boolean;

  @Version()
  version: number;
}
