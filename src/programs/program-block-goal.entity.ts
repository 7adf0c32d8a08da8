import { Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { Goal } from '../goals/goal.entity';
import { ProgramBlock } from './program-block.entity';

/** A goal a program block works towards; the composite keys keep both in the block's root. */
@Entity('program_block_goals')
@RootFk('program_block_goals')
@TenantFk('program_block_goals', 'block_id', () => ProgramBlock, 'CASCADE')
@TenantFk('program_block_goals', 'goal_id', 'Goal', 'CASCADE')
@Index('idx_program_block_goals_root', ['rootId'])
@Index('idx_program_block_goals_block', ['blockId'])
@Index('idx_program_block_goals_goal', ['goalId'])
@Index('ux_program_block_goals_pair', ['blockId', 'goalId'], { unique: true, where: 'deleted_at IS NULL' })
export class ProgramBlockGoal extends TenantEntity {
  @IdColumn('block_id')
  blockId: string;

  @IdColumn('goal_id')
  goalId: string;

  /** The goal's place in the block's list. */
  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;
}
