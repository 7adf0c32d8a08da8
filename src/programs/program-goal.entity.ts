import { Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { Goal } from '../goals/goal.entity';
import { Program } from './program.entity';

/** A goal a program works towards; the composite keys keep both in the program's root. */
@Entity('program_goals')
@RootFk('program_goals')
@TenantFk('program_goals', 'program_id', () => Program, 'CASCADE')
@TenantFk('program_goals', 'goal_id', 'Goal', 'CASCADE')
@Index('idx_program_goals_root', ['rootId'])
@Index('idx_program_goals_program', ['programId'])
@Index('idx_program_goals_goal', ['goalId'])
@Index('ux_program_goals_pair', ['programId', 'goalId'], { unique: true, where: 'deleted_at IS NULL' })
export class ProgramGoal extends TenantEntity {
  @IdColumn('program_id')
  programId: string;

  @IdColumn('goal_id')
  goalId: string;

  /** The goal's place in the program's list. */
  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;
}
