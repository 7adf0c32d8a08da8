import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IntColumn, Version } from '../database/columns';
import { RootFk } from '../database/foreign-keys';
import { GOAL_TYPE_CHECK, GoalType } from './goal.types';

/** A root's settings for one of its eight levels: how goals of that type look and behave. */
@Entity('goal_levels')
@Unique('uq_goal_levels_root_id', ['rootId', 'id'])
@Unique('uq_goal_levels_root_type', ['rootId', 'type'])
@RootFk('goal_levels')
@Check('ck_goal_levels_type', GOAL_TYPE_CHECK)
@Check('ck_goal_levels_max_children', 'max_children >= 0')
@Check('ck_goal_levels_deadline_offset', 'default_deadline_offset_days >= 0')
@Index('idx_goal_levels_root', ['rootId'])
export class GoalLevel extends TenantEntity {
  @Column({ name: 'type', type: 'varchar', length: 32 })
  type: GoalType;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ name: 'color', type: 'varchar', length: 32 })
  color: string;

  @Column({ name: 'icon', type: 'varchar', length: 64 })
  icon: string;

  /** NULL: no limit. */
  @IntColumn('max_children')
  maxChildren: number | null;

  @BoolColumn('description_required', false)
  descriptionRequired: boolean;

  @BoolColumn('allow_manual_completion', true)
  allowManualCompletion: boolean;

  @BoolColumn('auto_complete_when_children_done', false)
  autoCompleteWhenChildrenDone: boolean;

  /** A new goal of this level without a deadline gets one this many days ahead; NULL: none. */
  @IntColumn('default_deadline_offset_days')
  defaultDeadlineOffsetDays: number | null;

  @Version()
  version: number;
}
