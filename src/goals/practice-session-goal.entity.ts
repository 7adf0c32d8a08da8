import { Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { Goal } from './goal.entity';

/** Links a practice session to the short-term goals it serves. */
@Entity('practice_session_goals')
@RootFk('practice_session_goals')
@TenantFk('practice_session_goals', 'practice_session_id', 'Goal', 'CASCADE')
@TenantFk('practice_session_goals', 'short_term_goal_id', 'Goal', 'CASCADE')
@Index('idx_practice_session_goals_root', ['rootId'])
@Index('idx_practice_session_goals_session', ['practiceSessionId'])
@Index('idx_practice_session_goals_goal', ['shortTermGoalId'])
@Index('ux_practice_session_goals_pair', ['practiceSessionId', 'shortTermGoalId'], {
  unique: true,
  where: 'deleted_at IS NULL',
})
export class PracticeSessionGoal extends TenantEntity {
  @IdColumn('practice_session_id')
  practiceSessionId: string;

  @IdColumn('short_term_goal_id')
  shortTermGoalId: string;
}
