import { Check, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn, TextColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ActivityInstance } from './activity-instance.entity';

/** One set of an activity instance, at its position; its values carry the position as set_index. */
@Entity('activity_sets')
@Unique('uq_activity_sets_root_id', ['rootId', 'id'])
@RootFk('activity_sets')
@TenantFk('activity_sets', 'activity_instance_id', () => ActivityInstance, 'CASCADE')
@Check('ck_activity_sets_position', 'position >= 0')
@Index('idx_activity_sets_instance', ['rootId', 'activityInstanceId'])
@Index('idx_activity_sets_root', ['rootId'])
@Index('ux_activity_sets_position', ['rootId', 'activityInstanceId', 'position'], { unique: true, where: 'deleted_at IS NULL' })
export class ActivitySet extends TenantEntity {
  @IdColumn('activity_instance_id')
  activityInstanceId: string;

  @IntColumn('position', { nullable: false })
  position: number;

  @TextColumn('notes')
  notes: string | null;
}
