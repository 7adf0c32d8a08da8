import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';

/** One section of a practice session, at its position (0 first); instances name their section. */
@Entity('session_sections')
@Unique('uq_session_sections_root_id', ['rootId', 'id'])
@RootFk('session_sections')
@TenantFk('session_sections', 'session_id', 'Goal', 'CASCADE')
@Check('ck_session_sections_position', 'position >= 0 AND duration_minutes >= 0')
@Index('idx_session_sections_root', ['rootId'])
@Index('idx_session_sections_session', ['rootId', 'sessionId'])
@Index('ux_session_sections_position', ['rootId', 'sessionId', 'position'], { unique: true, where: 'deleted_at IS NULL' })
export class SessionSection extends TenantEntity {
  @IdColumn('session_id')
  sessionId: string;

  @IntColumn('position', { nullable: false })
  position: number;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  /** Planned minutes; NULL when the plan gave none. */
  @IntColumn('duration_minutes')
  durationMinutes: number | null;
}
