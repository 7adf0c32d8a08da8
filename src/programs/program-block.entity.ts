import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, Version } from '../database/columns';
import { RootFk, TenantFk } from '../database/foreign-keys';
import { Program } from './program.entity';

@Entity('program_blocks')
@Unique('uq_program_blocks_root_id', ['rootId', 'id'])
@RootFk('program_blocks')
@TenantFk('program_blocks', 'program_id', () => Program, 'CASCADE')
@Check('ck_program_blocks_date_order', 'end_date >= start_date')
@Index('idx_program_blocks_root', ['rootId'])
@Index('idx_program_blocks_program', ['programId'])
export class ProgramBlock extends TenantEntity {
  @IdColumn('program_id')
  programId: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'start_date', type: 'date', nullable: true })
  startDate: string | null;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate: string | null;

  @Column({ name: 'color', type: 'varchar', length: 32, nullable: true })
  color: string | null;

  @Version()
  version: number;
}
