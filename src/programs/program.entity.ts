import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { BoolColumn, JsonColumn, TextColumn, TimestampColumn, Version } from '../database/columns';
import { RootFk } from '../database/foreign-keys';

@Entity('programs')
@Unique('uq_programs_root_id', ['rootId', 'id'])
@RootFk('programs')
@Check('ck_programs_date_order', 'end_date >= start_date')
@Index('idx_programs_root', ['rootId'])
export class Program extends TenantEntity {
  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @TextColumn('description')
  description: string | null;

  @TimestampColumn('start_date', { nullable: false })
  startDate: Date;

  @TimestampColumn('end_date', { nullable: false })
  endDate: Date;

  @BoolColumn('is_active', true)
  isActive: boolean;

  @JsonColumn('weekly_schedule', { nullable: false })
  weeklySchedule: unknown;

  @Version()
  version: number;
}
