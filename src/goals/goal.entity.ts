import { Check, Column, Entity, ForeignKey, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IdColumn, IntColumn, JsonColumn, TextColumn, TimestampColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { User } from '../auth/user.entity';
import { CompletionSource, GOAL_TYPE_CHECK, GoalType } from './goal.types';

/** All eight levels in one table, PracticeSession included, as in the Flask app. */
@Entity('goals')
@Unique('uq_goals_root_id', ['rootId', 'id'])
@RootFk('goals')
@TenantFk('goals', 'parent_id', 'Goal', 'CASCADE')
// By name: session-template.entity imports this file for its root key.
@TenantFk('goals', 'template_id', 'SessionTemplate')
@TenantFk('goals', 'completed_by_session_id', 'Goal')
@Check('ck_goals_type', GOAL_TYPE_CHECK)
@Check('ck_goals_session_order', 'session_end >= session_start')
@Check('ck_goals_duration', 'total_duration_seconds >= 0 AND duration_minutes >= 0')
// A root is its own root, has no parent and has the owner; no other row has either.
@Check('ck_goals_root', '(parent_id IS NULL) = (id = root_id)')
@Check('ck_goals_owner', '(user_id IS NOT NULL) = (parent_id IS NULL)')
@Check('ck_goals_deletion', '(deleted_at IS NULL) = (deletion_id IS NULL)')
@Check('ck_goals_completion_source', `completion_source IN ('manual', 'targets', 'children')`)
@Index('idx_goals_parent_id', ['parentId'])
@Index('idx_goals_root_id', ['rootId'])
@Index('idx_goals_type', ['type'])
@Index('idx_goals_created_at', ['createdAt'])
@Index('idx_goals_user_id', ['userId'])
@Index('idx_goals_parent_type', ['parentId', 'type'])
@Index('idx_goals_root_type', ['rootId', 'type'])
@Index('idx_goals_completed', ['rootId', 'type'], { where: 'completed = true' })
@Index('idx_goals_practice_sessions', ['rootId', 'createdAt'], { where: `type = 'PracticeSession'` })
@Index('idx_session_start', ['sessionStart'], { where: `type = 'PracticeSession'` })
@Index('idx_goals_root_session_start', ['rootId', 'sessionStart'], { where: `type = 'PracticeSession'` })
@Index('idx_session_end', ['sessionEnd'], { where: `type = 'PracticeSession'` })
@Index('idx_template_id', ['templateId'], { where: `type = 'PracticeSession'` })
@Index('idx_session_duration', ['totalDurationSeconds'], { where: `type = 'PracticeSession'` })
@Index('idx_goals_completed_by_session', ['completedBySessionId'])
@Index('ux_goals_user_name', ['userId', 'name'], { unique: true, where: 'deleted_at IS NULL AND user_id IS NOT NULL' })
export class Goal extends TenantEntity {
  @Column({ name: 'type', type: 'varchar', length: 32 })
  type: GoalType;

  @Column({ name: 'name', type: 'varchar', length: 500 })
  name: string;

  @TextColumn('description')
  description: string | null;

  @TimestampColumn('deadline')
  deadline: Date | null;

  @BoolColumn('completed', false)
  completed: boolean;

  @TimestampColumn('completed_at')
  completedAt: Date | null;

  /** How it was completed: by hand, by its targets, or by its children (NULL while open). */
  @Column({ name: 'completion_source', type: 'varchar', length: 16, nullable: true })
  completionSource: CompletionSource | null;

  /** The practice session whose evaluation completed it, when a cascade did. */
  @IdColumn('completed_by_session_id', { nullable: true })
  completedBySessionId: string | null;

  /**
   * Set when a user un-completes a goal that a cascade had completed: the cascades leave it
   * open until one of its targets is newly met or one of its children newly completes.
   */
  @TimestampColumn('manually_uncompleted_at')
  manuallyUncompletedAt: Date | null;

  /** The start of the open pause (goal_pauses keeps every interval); NULL when not paused. */
  @TimestampColumn('paused_at')
  pausedAt: Date | null;

  /** Why this goal matters (the Flask app's relevance statement). */
  @TextColumn('relevance')
  relevance: string | null;

  @IdColumn('parent_id', { nullable: true })
  parentId: string | null;

  /** The owner; set on roots only. */
  @IdColumn('user_id', { nullable: true })
  @ForeignKey(() => User, 'id', { name: 'fk_goals_user', onDelete: 'NO ACTION' })
  userId: string | null;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;

  @IntColumn('duration_minutes')
  durationMinutes: number | null;

  @TimestampColumn('session_start')
  sessionStart: Date | null;

  @TimestampColumn('session_end')
  sessionEnd: Date | null;

  @IntColumn('total_duration_seconds')
  totalDurationSeconds: number | null;

  @IdColumn('template_id', { nullable: true })
  templateId: string | null;

  /** A practice session paused as a whole: since when (its timers resume together). */
  @TimestampColumn('session_paused_at')
  sessionPausedAt: Date | null;

  /** Kept from the Flask app, where a session's content lived in one JSON blob. */
  @JsonColumn('session_data')
  sessionData: unknown;

  @JsonColumn('attributes')
  attributes: unknown;

  /** The goal's effective activities include its parent's (PUT /goals/:goalId/activities). */
  @BoolColumn('inherit_parent_activities', false)
  inheritParentActivities: boolean;

  @Version()
  version: number;
}
