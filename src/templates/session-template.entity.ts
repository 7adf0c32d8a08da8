import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { JsonColumn, TextColumn, Version } from '../database/columns';
import { RootFk } from '../database/foreign-keys';

/** A reusable plan of a practice session: its sections are rows (session_template_sections). */
@Entity('session_templates')
@Unique('uq_session_templates_root_id', ['rootId', 'id'])
@RootFk('session_templates')
@Index('idx_session_templates_root', ['rootId'])
@Index('ux_session_templates_root_name', ['rootId', 'name'], { unique: true, where: 'deleted_at IS NULL' })
export class SessionTemplate extends TenantEntity {
  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @TextColumn('description')
  description: string | null;

  /**
   * The JSON a template had before its sections became rows (TemplateSections migration), kept
   * byte-equal so that nothing of it is lost; NULL for templates made since. Never read by the API.
   */
  @JsonColumn('legacy_template_data')
  legacyTemplateData: unknown;

  @Version()
  version: number;
}
