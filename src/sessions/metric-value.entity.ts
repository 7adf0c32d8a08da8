import { Check, Column, Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { ActivityInstance } from './activity-instance.entity';

@Entity('metric_values')
@RootFk('metric_values')
@TenantFk('metric_values', 'activity_instance_id', () => ActivityInstance, 'CASCADE')
@TenantFk('metric_values', 'metric_definition_id', () => MetricDefinition)
@TenantFk('metric_values', 'split_definition_id', () => SplitDefinition)
@Check('ck_metric_values_set_index', 'set_index >= 0')
@Index('idx_metric_values_root', ['rootId'])
@Index('idx_metric_values_instance', ['activityInstanceId'])
@Index('idx_metric_values_definition', ['metricDefinitionId'])
@Index('idx_metric_values_split', ['splitDefinitionId'])
@Index('idx_metric_values_root_metric', ['rootId', 'metricDefinitionId'])
@Index('idx_metric_values_root_instance', ['rootId', 'activityInstanceId'])
// The personal bests read each earlier instance's values from this index alone (migration ValuesByInstanceCover).
@Index('idx_metric_values_instance_values', ['rootId', 'activityInstanceId', 'metricDefinitionId', 'splitDefinitionId', 'value', 'deletedAt'], { where: 'deleted_at IS NULL' })
// The series of a metric reads these columns only (migrations SeriesIndexes, SeriesMaxOrder).
@Index('idx_metric_values_series', ['rootId', 'metricDefinitionId', 'activityInstanceId', 'value', 'setIndex', 'splitDefinitionId'], { where: 'deleted_at IS NULL' })
// A metric's values from the best down, for the latest instance's personal best (migration
// ValueExtremes): those of a split, and those without one, each value in one of the two.
@Index('idx_metric_values_extremes', ['rootId', 'metricDefinitionId', 'splitDefinitionId', 'value'], { where: 'deleted_at IS NULL AND split_definition_id IS NOT NULL' })
@Index('idx_metric_values_extremes_unsplit', ['rootId', 'metricDefinitionId', 'value'], { where: 'deleted_at IS NULL AND split_definition_id IS NULL' })
// One live value per (instance, metric, split, set); a NULL split needs an index of its own.
@Index('ux_metric_values_slot', ['rootId', 'activityInstanceId', 'metricDefinitionId', 'splitDefinitionId', 'setIndex'], {
  unique: true,
  where: 'deleted_at IS NULL AND split_definition_id IS NOT NULL',
})
@Index('ux_metric_values_slot_unsplit', ['rootId', 'activityInstanceId', 'metricDefinitionId', 'setIndex'], {
  unique: true,
  where: 'deleted_at IS NULL AND split_definition_id IS NULL',
})
export class MetricValue extends TenantEntity {
  @IdColumn('activity_instance_id')
  activityInstanceId: string;

  @IdColumn('metric_definition_id')
  metricDefinitionId: string;

  @IdColumn('split_definition_id', { nullable: true })
  splitDefinitionId: string | null;

  @Column({ name: 'value', type: 'double precision' })
  value: number;

  /** The position of its set (activity_sets), 0 for an activity without sets. */
  @IntColumn('set_index', { nullable: false, default: 0 })
  setIndex: number;
}
