import { Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, IdColumn, IntColumn, TextColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { SessionTemplate } from '../templates/session-template.entity';
import { ProgramDay } from './program-day.entity';

/** One template of a program day (the Flask app's name for it): required or optional, in order. */
@Entity('scheduled_sessions')
@RootFk('scheduled_sessions')
@TenantFk('scheduled_sessions', 'day_id', () => ProgramDay, 'CASCADE')
@TenantFk('scheduled_sessions', 'session_template_id', () => SessionTemplate)
@Index('idx_scheduled_sessions_root', ['rootId'])
@Index('idx_scheduled_sessions_day', ['dayId'])
@Index('idx_scheduled_sessions_template', ['sessionTemplateId'])
export class ScheduledSession extends TenantEntity {
  @IdColumn('day_id')
  dayId: string;

  @IdColumn('session_template_id', { nullable: true })
  sessionTemplateId: string | null;

  @BoolColumn('is_completed', false)
  isCompleted: boolean;

  /** Free text in the Flask app; kept as text so that nothing is reinterpreted. */
  @TextColumn('completion_data')
  completionData: string | null;

  /** An occurrence of the day is complete only once this template has a completed session. */
  @BoolColumn('required', true)
  required: boolean;

  @IntColumn('sort_order', { nullable: false, default: 0 })
  sortOrder: number;
}
