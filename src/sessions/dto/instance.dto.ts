import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../../http/ids';
import { Nullable, Optional } from '../../http/dto-rules';
import { isoMessage, MAX_INSTANCES, queryBoolean } from './session.dto';

export const MAX_SETS = 100;
export const MAX_SET_INDEX = MAX_SETS - 1;

export class AddInstanceDto {
  @ApiProperty({ format: 'uuid', description: 'A live activity of this root.' })
  @IsId()
  activityId: string;

  @ApiPropertyOptional({ minimum: 0, description: "Where among the session's instances (0 first); default: last." })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INSTANCES)
  position?: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A section of this session.' })
  @Nullable()
  @IsId()
  sectionId?: string | null;
}

export class OrderInstancesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: "Every live instance of the session, in the new order." })
  @IsArray()
  @ArrayMaxSize(MAX_INSTANCES)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @IsId({ each: true })
  ids: string[];
}

export class UpdateInstanceDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  notes?: string | null;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  completed?: boolean;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'With timeStop: both, in order; both null clear the times.' })
  @Nullable()
  @IsDateString({ strict: true }, isoMessage('timeStart'))
  timeStart?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @Nullable()
  @IsDateString({ strict: true }, isoMessage('timeStop'))
  timeStop?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A section of its session; null: none.' })
  @Nullable()
  @IsId()
  sectionId?: string | null;
}

export class StartTimerQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'Starts a started (running, paused or stopped) timer over.' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'restart must be true or false' })
  restart?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: "Pauses the session's running timer instead of answering 409." })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'switch must be true or false' })
  switch?: boolean;
}

export class ResumeTimerQuery {
  @ApiPropertyOptional({ type: Boolean, description: "Pauses the session's running timer instead of answering 409." })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'switch must be true or false' })
  switch?: boolean;
}

export class ValueInput {
  @ApiProperty({ format: 'uuid', description: 'An active metric of the instance\'s activity.' })
  @IsId()
  metricId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "Required when the activity has splits; one of its splits." })
  @Nullable()
  @IsId()
  splitId?: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'A finite number within the metric\'s min and max; null removes the value.' })
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a finite number, or null to remove it' })
  value: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_SET_INDEX, description: 'Required when the activity has sets: an existing set, or the next ones.' })
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_SET_INDEX)
  setIndex?: number | null;
}

export class PutValuesDto {
  @ApiProperty({ type: [ValueInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ValueInput)
  values: ValueInput[];
}

export class SetValueInput {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  metricId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @Nullable()
  @IsId()
  splitId?: string | null;

  @ApiProperty({ description: "A finite number within the metric's min and max." })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a finite number' })
  value: number;
}

export class SetInput {
  @ApiProperty({ type: [SetValueInput] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SetValueInput)
  values: SetValueInput[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @Nullable()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;
}

export class PutSetsDto {
  @ApiProperty({ type: [SetInput], description: 'Every set, in order: replaces the sets and their values as a whole.' })
  @IsArray()
  @ArrayMaxSize(MAX_SETS)
  @ValidateNested({ each: true })
  @Type(() => SetInput)
  sets: SetInput[];
}
