import { Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityDefinition } from './activity-definition.entity';

/** A goal's own link to one activity (PUT /goals/:goalId/activities). */
@Entity('goal_activities')
@RootFk('goal_activities')
@TenantFk('goal_activities', 'goal_id', 'Goal', 'CASCADE')
@TenantFk('goal_activities', 'activity_id', () => ActivityDefinition, 'CASCADE')
@Index('idx_goal_activities_root', ['rootId'])
@Index('idx_goal_activities_activity', ['rootId', 'activityId'])
@Index('ux_goal_activities_pair', ['rootId', 'goalId', 'activityId'], { unique: true, where: 'deleted_at IS NULL' })
export class GoalActivity extends TenantEntity {
  @IdColumn('goal_id')
  goalId: string;

  @IdColumn('activity_id')
  activityId: string;
}
