import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { SessionTemplate } from './session-template.entity';

/** One section of a template, at its position (0 first). */
@Entity('session_template_sections')
@Unique('uq_session_template_sections_root_id', ['rootId', 'id'])
@RootFk('session_template_sections')
@TenantFk('session_template_sections', 'template_id', () => SessionTemplate, 'CASCADE')
@Check('ck_session_template_sections_duration', 'duration_minutes >= 0 AND position >= 0')
@Index('idx_session_template_sections_root', ['rootId'])
@Index('ux_session_template_sections_position', ['rootId', 'templateId', 'position'], { unique: true, where: 'deleted_at IS NULL' })
export class SessionTemplateSection extends TenantEntity {
  @IdColumn('template_id')
  templateId: string;

  @IntColumn('position', { nullable: false })
  position: number;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  /** Planned minutes; NULL only for adopted sections that had none. */
  @IntColumn('duration_minutes')
  durationMinutes: number | null;
}
