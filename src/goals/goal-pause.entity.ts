import { Check, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, TimestampColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { Goal } from './goal.entity';

/**
 * One pause of a goal, kept after it ends: practice inside any interval never counts towards
 * the goal's targets. An open interval (resumed_at NULL) means the goal is paused now.
 */
@Entity('goal_pauses')
@Unique('uq_goal_pauses_root_id', ['rootId', 'id'])
@RootFk('goal_pauses')
@TenantFk('goal_pauses', 'goal_id', 'Goal', 'CASCADE')
@Check('ck_goal_pauses_order', 'resumed_at >= paused_at')
@Index('idx_goal_pauses_root', ['rootId'])
@Index('idx_goal_pauses_goal', ['goalId', 'pausedAt'])
@Index('ux_goal_pauses_open', ['goalId'], { unique: true, where: 'resumed_at IS NULL AND deleted_at IS NULL' })
export class GoalPause extends TenantEntity {
  @IdColumn('goal_id')
  goalId: string;

  @TimestampColumn('paused_at', { nullable: false })
  pausedAt: Date;

  @TimestampColumn('resumed_at')
  resumedAt: Date | null;
}
