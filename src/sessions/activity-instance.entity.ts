import { Check, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IdColumn, IntColumn, JsonColumn, TextColumn, TimestampColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { SessionSection } from './session-section.entity';

@Entity('activity_instances')
@Unique('uq_activity_instances_root_id', ['rootId', 'id'])
@RootFk('activity_instances')
@TenantFk('activity_instances', 'practice_session_id', 'Goal', 'CASCADE')
@TenantFk('activity_instances', 'activity_definition_id', () => ActivityDefinition)
@TenantFk('activity_instances', 'section_id', () => SessionSection)
@Check('ck_activity_instances_time_order', 'time_stop >= time_start')
@Check('ck_activity_instances_duration', 'duration_seconds >= 0 AND total_paused_seconds >= 0')
@Index('idx_activity_instances_root', ['rootId'])
@Index('idx_activity_instances_session', ['practiceSessionId'])
@Index('idx_activity_instances_definition', ['activityDefinitionId'])
@Index('idx_activity_instances_root_date', ['rootId', 'createdAt'])
@Index('idx_activity_instances_session_created', ['practiceSessionId', 'createdAt'])
@Index('idx_activity_instances_activity_created', ['rootId', 'activityDefinitionId', 'createdAt'])
@Index('idx_activity_instances_root_session', ['rootId', 'practiceSessionId'])
@Index('idx_activity_instances_section', ['rootId', 'sectionId'], { where: 'section_id IS NOT NULL' })
// The series of an activity reads these columns only (migration SeriesIndexes).
@Index('idx_activity_instances_series', ['rootId', 'activityDefinitionId', 'createdAt', 'id', 'practiceSessionId'], { where: 'deleted_at IS NULL' })
export class ActivityInstance extends TenantEntity {
  @IdColumn('practice_session_id')
  practiceSessionId: string;

  @IdColumn('activity_definition_id')
  activityDefinitionId: string;

  @TimestampColumn('time_start')
  timeStart: Date | null;

  @TimestampColumn('time_stop')
  timeStop: Date | null;

  @IntColumn('duration_seconds')
  durationSeconds: number | null;

  @TimestampColumn('paused_at')
  pausedAt: Date | null;

  @IntColumn('total_paused_seconds', { nullable: false, default: 0 })
  totalPausedSeconds: number;

  @BoolColumn('completed', false)
  completed: boolean;

  @TextColumn('notes')
  notes: string | null;

  @JsonColumn('data')
  data: unknown;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;

  /** The section of its session it belongs to, if any. */
  @IdColumn('section_id', { nullable: true })
  sectionId: string | null;

  @Version()
  version: number;
}
