import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { JsonColumn, TextColumn } from '../database/columns';
import { RootFk } from '../database/foreign-keys';

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

  @JsonColumn('template_data', { nullable: false })
  templateData: unknown;
}
