import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ProgramDay } from './program-day.entity';

/**
 * A session scheduled for one occurrence of a program day (the day on `date`). The session is
 * read through this link only while it is live: deleting it un-does its part of the
 * occurrence, restoring it brings that back, and the link itself never has to change.
 */
@Entity('program_day_sessions')
@Unique('uq_program_day_sessions_root_id', ['rootId', 'id'])
@RootFk('program_day_sessions')
@TenantFk('program_day_sessions', 'day_id', () => ProgramDay, 'CASCADE')
@TenantFk('program_day_sessions', 'session_id', 'Goal', 'CASCADE')
@Index('idx_program_day_sessions_day', ['rootId', 'dayId', 'date'])
@Index('idx_program_day_sessions_root', ['rootId'])
@Index('idx_program_day_sessions_session', ['rootId', 'sessionId'])
export class ProgramDaySession extends TenantEntity {
  @IdColumn('day_id')
  dayId: string;

  @IdColumn('session_id')
  sessionId: string;

  @Column({ name: 'date', type: 'date' })
  date: string;
}
