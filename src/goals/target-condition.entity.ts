import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { GoalTarget } from './goal-target.entity';

export const CONDITION_OPERATORS = ['>=', '<=', '='] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One condition of a target on a metric of its activity: the metric's value (or total) COMPARISON value. */
@Entity('target_conditions')
@Unique('uq_target_conditions_root_id', ['rootId', 'id'])
@RootFk('target_conditions')
@TenantFk('target_conditions', 'target_id', () => GoalTarget, 'CASCADE')
@TenantFk('target_conditions', 'metric_id', () => MetricDefinition)
@Check('ck_target_conditions_comparison', `comparison IN ('>=', '<=', '=')`)
@Index('idx_target_conditions_root', ['rootId'])
@Index('idx_target_conditions_target', ['targetId'])
@Index('idx_target_conditions_metric', ['metricId'])
export class TargetCondition extends TenantEntity {
  @IdColumn('target_id')
  targetId: string;

  @IdColumn('metric_id')
  metricId: string;

  @Column({ name: 'comparison', type: 'varchar', length: 2 })
  comparison: ConditionOperator;

  @Column({ name: 'value', type: 'double precision' })
  value: number;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;
}
