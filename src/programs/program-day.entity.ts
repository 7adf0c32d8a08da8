import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn, TextColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { ProgramBlock } from './program-block.entity';

@Entity('program_days')
@Unique('uq_program_days_root_id', ['rootId', 'id'])
@RootFk('program_days')
@TenantFk('program_days', 'block_id', () => ProgramBlock, 'CASCADE')
@Check('ck_program_days_min_templates', 'min_templates >= 0')
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

  /** The weekdays it repeats on across its block, as 'mon,wed,fri'; null for a day on one date. */
  @Column({ name: 'weekdays', type: 'varchar', length: 32, nullable: true })
  weekdays: string | null;

  /** How many of its templates an occurrence needs done (its required ones among them); null: 1. */
  @IntColumn('min_templates')
  minTemplates: number | null;

  @Version()
  version: number;
}
