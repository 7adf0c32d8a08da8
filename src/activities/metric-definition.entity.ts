import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityDefinition } from './activity-definition.entity';

@Entity('metric_definitions')
@Unique('uq_metric_definitions_root_id', ['rootId', 'id'])
@RootFk('metric_definitions')
@TenantFk('metric_definitions', 'activity_id', () => ActivityDefinition, 'CASCADE')
@Check('ck_metric_definitions_range', 'max_value >= min_value')
@Index('idx_metric_definitions_root', ['rootId'])
@Index('idx_metric_definitions_activity', ['activityId'])
@Index('idx_metric_definitions_root_activity', ['rootId', 'activityId'])
@Index('idx_metric_definitions_active', ['activityId'], { where: 'is_active = true' })
@Index('ux_metric_definitions_activity_name', ['activityId', 'name'], { unique: true, where: 'deleted_at IS NULL' })
export class MetricDefinition extends TenantEntity {
  @IdColumn('activity_id')
  activityId: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'unit', type: 'varchar', length: 50 })
  unit: string;

  @BoolColumn('is_active', true)
  isActive: boolean;

  @BoolColumn('is_top_set_metric', false)
  isTopSetMetric: boolean;

  @BoolColumn('is_multiplicative', true)
  isMultiplicative: boolean;

  /** Which way a personal best goes. */
  @BoolColumn('higher_is_better', true)
  higherIsBetter: boolean;

  /** Bounds a recorded value must respect; NULL leaves that side open. */
  @Column({ name: 'min_value', type: 'double precision', nullable: true })
  minValue: number | null;

  @Column({ name: 'max_value', type: 'double precision', nullable: true })
  maxValue: number | null;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;

  /** Made by the legacy adoption for values whose metric had been deleted. */
  @BoolColumn('recovered_from_legacy', false)
  recoveredFromLegacy: boolean;
}
