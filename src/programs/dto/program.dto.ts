import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Nullable, Optional, trim } from '../../http/dto-rules';
import { IsId } from '../../http/ids';
import { PageQuery } from '../../http/pagination';
import { IsCalendarDate } from '../dates';

export const MAX_GOALS = 100;

export class CreateProgramDto {
  @ApiProperty({ maxLength: 200, example: 'Spring technique' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiProperty({ format: 'date', example: '2026-03-02', description: 'A calendar date; see "Dates" in the README.' })
  @IsCalendarDate()
  startDate: string;

  @ApiProperty({ format: 'date', example: '2026-03-29', description: 'Included; not before startDate, at most 3 years after it.' })
  @IsCalendarDate()
  endDate: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Goals of this root the program works towards, in order.' })
  @IsArray()
  @ArrayMaxSize(MAX_GOALS)
  @ArrayUnique({ message: 'goalIds must not repeat an id' })
  @IsId({ each: true })
  goalIds: string[];
}

export class UpdateProgramDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date' })
  @Optional()
  @IsCalendarDate()
  startDate?: string;

  @ApiPropertyOptional({ format: 'date' })
  @Optional()
  @IsCalendarDate()
  endDate?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the linked goals.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_GOALS)
  @ArrayUnique({ message: 'goalIds must not repeat an id' })
  @IsId({ each: true })
  goalIds?: string[];
}

export class CreateBlockDto {
  @ApiProperty({ maxLength: 200, example: 'Base phase' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'date', description: "Within the program's dates." })
  @IsCalendarDate()
  startDate: string;

  @ApiProperty({ format: 'date', description: "Included; within the program's dates." })
  @IsCalendarDate()
  endDate: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 32, example: '#2563eb' })
  @Nullable()
  @IsString()
  @MaxLength(32)
  color?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Goals in the subtrees of the program's goals." })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_GOALS)
  @ArrayUnique({ message: 'goalIds must not repeat an id' })
  @IsId({ each: true })
  goalIds?: string[];
}

export class UpdateBlockDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ format: 'date' })
  @Optional()
  @IsCalendarDate()
  startDate?: string;

  @ApiPropertyOptional({ format: 'date' })
  @Optional()
  @IsCalendarDate()
  endDate?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 32 })
  @Nullable()
  @IsString()
  @MaxLength(32)
  color?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the linked goals.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_GOALS)
  @ArrayUnique({ message: 'goalIds must not repeat an id' })
  @IsId({ each: true })
  goalIds?: string[];
}

export class ProgramListQuery extends PageQuery {}

export class AsOfQuery {
  @ApiPropertyOptional({ format: 'date', description: 'Occurrences up to this date are due. Default: today (UTC).' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class CalendarQuery {
  @ApiPropertyOptional({ format: 'date', description: "Default: the program's startDate." })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: "Included. Default: the program's endDate. At most 400 days after from." })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
