import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { BoolColumn, IdColumn, IntColumn, TimestampColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { Goal } from './goal.entity';

export const TARGET_KINDS = ['threshold', 'sum', 'frequency'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * What a goal's practice must reach, on one activity: one instance meeting every condition
 * (threshold), totals reaching the values (sum), or `count` sessions in every `period_days`
 * (frequency), within an optional date scope. `met` is kept by the evaluation, with the
 * session and instance that met it.
 */
@Entity('goal_targets')
@Unique('uq_goal_targets_root_id', ['rootId', 'id'])
@RootFk('goal_targets')
@TenantFk('goal_targets', 'goal_id', 'Goal', 'CASCADE')
@TenantFk('goal_targets', 'activity_id', () => ActivityDefinition)
@TenantFk('goal_targets', 'met_by_session_id', 'Goal')
@TenantFk('goal_targets', 'met_by_instance_id', 'ActivityInstance')
@Check('ck_goal_targets_kind', `kind IN ('threshold', 'sum', 'frequency')`)
@Check('ck_goal_targets_frequency', `(kind = 'frequency') = (session_count IS NOT NULL AND period_days IS NOT NULL)`)
@Check('ck_goal_targets_counts', 'session_count >= 1 AND period_days >= 1')
@Check('ck_goal_targets_scope', 'ends_on >= starts_on')
@Index('idx_goal_targets_root', ['rootId'])
@Index('idx_goal_targets_goal', ['goalId'])
@Index('idx_goal_targets_activity', ['activityId'])
@Index('idx_goal_targets_met_session', ['metBySessionId'])
@Index('idx_goal_targets_met_instance', ['metByInstanceId'])
export class GoalTarget extends TenantEntity {
  @IdColumn('goal_id')
  goalId: string;

  @IdColumn('activity_id')
  activityId: string;

  @Column({ name: 'name', type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind: TargetKind;

  /** Frequency: sessions needed in each period. */
  @IntColumn('session_count')
  sessionCount: number | null;

  /** Frequency: the period's length in days. */
  @IntColumn('period_days')
  periodDays: number | null;

  /** The scope's first day (YYYY-MM-DD, UTC); NULL: from the beginning. */
  @Column({ name: 'starts_on', type: 'date', nullable: true })
  startsOn: string | null;

  /** The scope's last day, included; NULL: open-ended. */
  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn: string | null;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;

  @BoolColumn('met', false)
  met: boolean;

  @TimestampColumn('met_at')
  metAt: Date | null;

  @IdColumn('met_by_session_id', { nullable: true })
  metBySessionId: string | null;

  @IdColumn('met_by_instance_id', { nullable: true })
  metByInstanceId: string | null;

  @Version()
  version: number;
}
