import { Column, Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { ActivityInstance } from './activity-instance.entity';

@Entity('metric_values')
@RootFk('metric_values')
@TenantFk('metric_values', 'activity_instance_id', () => ActivityInstance, 'CASCADE')
@TenantFk('metric_values', 'metric_definition_id', () => MetricDefinition)
@TenantFk('metric_values', 'split_definition_id', () => SplitDefinition)
@Index('idx_metric_values_root', ['rootId'])
@Index('idx_metric_values_instance', ['activityInstanceId'])
@Index('idx_metric_values_definition', ['metricDefinitionId'])
@Index('idx_metric_values_split', ['splitDefinitionId'])
@Index('idx_metric_values_root_metric', ['rootId', 'metricDefinitionId'])
@Index('idx_metric_values_root_instance', ['rootId', 'activityInstanceId'])
export class MetricValue extends TenantEntity {
  @IdColumn('activity_instance_id')
  activityInstanceId: string;

  @IdColumn('metric_definition_id')
  metricDefinitionId: string;

  @IdColumn('split_definition_id', { nullable: true })
  splitDefinitionId: string | null;

  @Column({ name: 'value', type: 'double precision' })
  value: number;
}
