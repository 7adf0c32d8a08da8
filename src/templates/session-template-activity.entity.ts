import { Check, Entity, Index } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { SessionTemplateSection } from './session-template-section.entity';

/** An activity planned in a template section, at its position; the key keeps it in the template's root. */
@Entity('session_template_activities')
@RootFk('session_template_activities')
@TenantFk('session_template_activities', 'section_id', () => SessionTemplateSection, 'CASCADE')
@TenantFk('session_template_activities', 'activity_id', () => ActivityDefinition)
@Check('ck_session_template_activities_position', 'position >= 0')
@Index('idx_session_template_activities_root', ['rootId'])
@Index('idx_session_template_activities_activity', ['rootId', 'activityId'])
@Index('ux_session_template_activities_position', ['rootId', 'sectionId', 'position'], { unique: true, where: 'deleted_at IS NULL' })
export class SessionTemplateActivity extends TenantEntity {
  @IdColumn('section_id')
  sectionId: string;

  @IdColumn('activity_id')
  activityId: string;

  @IntColumn('position', { nullable: false })
  position: number;
}
