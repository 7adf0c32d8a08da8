import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Nullable, Optional, trim } from '../../http/dto-rules';
import { IsId } from '../../http/ids';
import { IsCalendarDate, WEEK_ORDER } from '../dates';

export const MAX_DAY_TEMPLATES = 20;

export class DayTemplateDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  templateId: string;

  @ApiPropertyOptional({ description: 'An occurrence completes only once this template has a completed session. Default true.' })
  @Optional()
  @IsBoolean()
  required?: boolean;
}

/** Fields of a day; `date` and `weekdays` exclude each other (checked by the service, naming the field). */
export class DayFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: 'Upper body' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: "One date within the block's dates." })
  @Nullable()
  @IsCalendarDate()
  date?: string | null;

  @ApiPropertyOptional({ type: [String], enum: WEEK_ORDER, nullable: true, description: 'Weekdays that repeat across the block.' })
  @Nullable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique({ message: 'weekdays must not repeat a day' })
  @IsIn(WEEK_ORDER, { each: true, message: `each value in weekdays must be one of ${WEEK_ORDER.join(', ')}` })
  weekdays?: string[] | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, description: 'How many of its templates an occurrence needs done; default 1.' })
  @Nullable()
  @IsInt()
  @Min(0)
  minTemplates?: number | null;
}

export class CreateDayDto extends DayFieldsDto {
  @ApiProperty({ type: [DayTemplateDto], description: 'In order: the first is what `schedule` uses by default.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DAY_TEMPLATES)
  @ValidateNested({ each: true })
  @Type(() => DayTemplateDto)
  templates: DayTemplateDto[];
}

export class UpdateDayDto extends DayFieldsDto {
  @ApiPropertyOptional({ type: [DayTemplateDto], description: 'Replaces the templates.' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DAY_TEMPLATES)
  @ValidateNested({ each: true })
  @Type(() => DayTemplateDto)
  templates?: DayTemplateDto[];
}

export class CopyDayDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A block of the same program; default: the same block.' })
  @Optional()
  @IsId()
  toBlockId?: string;
}

export class ScheduleDto {
  @ApiProperty({ format: 'date', description: 'A date on which the day occurs.' })
  @IsCalendarDate()
  date: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One of the day's templates. Default: the first without a session for this occurrence, else the first." })
  @Optional()
  @IsId()
  templateId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Short-term goals the session serves. Default: the block's short-term goals, else the program's." })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique({ message: 'parentGoalIds must not repeat an id' })
  @IsId({ each: true })
  parentGoalIds?: string[];
}

export class UnscheduleDto {
  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  date: string;
}
