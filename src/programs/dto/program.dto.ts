import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { present, sent, trim } from '../../activities/dto/activity-group.dto';
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
  @ValidateIf(present)
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
  @ValidateIf(sent)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @ValidateIf(present)
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date' })
  @ValidateIf(sent)
  @IsCalendarDate()
  startDate?: string;

  @ApiPropertyOptional({ format: 'date' })
  @ValidateIf(sent)
  @IsCalendarDate()
  endDate?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the linked goals.' })
  @ValidateIf(sent)
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
  @ValidateIf(present)
  @IsString()
  @MaxLength(32)
  color?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Goals in the subtrees of the program's goals." })
  @ValidateIf(sent)
  @IsArray()
  @ArrayMaxSize(MAX_GOALS)
  @ArrayUnique({ message: 'goalIds must not repeat an id' })
  @IsId({ each: true })
  goalIds?: string[];
}

export class UpdateBlockDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf(sent)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ format: 'date' })
  @ValidateIf(sent)
  @IsCalendarDate()
  startDate?: string;

  @ApiPropertyOptional({ format: 'date' })
  @ValidateIf(sent)
  @IsCalendarDate()
  endDate?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 32 })
  @ValidateIf(present)
  @IsString()
  @MaxLength(32)
  color?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the linked goals.' })
  @ValidateIf(sent)
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
