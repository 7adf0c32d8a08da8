import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn, TextColumn } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ProgramBlock } from './program-block.entity';

@Entity('program_days')
@Unique('uq_program_days_root_id', ['rootId', 'id'])
@RootFk('program_days')
@TenantFk('program_days', 'block_id', () => ProgramBlock, 'CASCADE')
@Index('idx_program_days_root', ['rootId'])
@Index('idx_program_days_block', ['blockId'])
export class ProgramDay extends TenantEntity {
  @IdColumn('block_id')
  blockId: string;

  @Column({ name: 'date', type: 'date', nullable: true })
  date: string | null;

  @IntColumn('day_number')
  dayNumber: number | null;

  @Column({ name: 'name', type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @TextColumn('notes')
  notes: string | null;
}
