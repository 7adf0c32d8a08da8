import { Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityGroup } from './activity-group.entity';

/** A goal's link to a whole group: its activities, nested groups included, count for the goal. */
@Entity('goal_activity_groups')
@RootFk('goal_activity_groups')
@TenantFk('goal_activity_groups', 'goal_id', 'Goal', 'CASCADE')
@TenantFk('goal_activity_groups', 'group_id', () => ActivityGroup, 'CASCADE')
@Index('idx_goal_activity_groups_root', ['rootId'])
@Index('idx_goal_activity_groups_group', ['rootId', 'groupId'])
@Index('ux_goal_activity_groups_pair', ['rootId', 'goalId', 'groupId'], { unique: true, where: 'deleted_at IS NULL' })
export class GoalActivityGroup extends TenantEntity {
  @IdColumn('goal_id')
  goalId: string;

  @IdColumn('group_id')
  groupId: string;
}
