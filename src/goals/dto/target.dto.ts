import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { TARGET_KINDS, TargetKind } from '../goal-target.entity';
import { CONDITION_OPERATORS, ConditionOperator } from '../target-condition.entity';
import { IsName, Nullable, Optional } from '../../http/dto-rules';
import { IsId } from './validators';

const IsDay = (property: string) => (target: object, key: string) => {
  Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${property} must be a date, YYYY-MM-DD` })(target, key);
  IsISO8601({ strict: true }, { message: `${property} must be a real calendar date` })(target, key);
};

export class ConditionInput {
  @ApiProperty({ description: 'A metric of the target activity' })
  @IsId()
  metricId: string;

  @ApiProperty({ enum: CONDITION_OPERATORS })
  @IsIn(CONDITION_OPERATORS, { message: `operator must be one of: ${CONDITION_OPERATORS.join(' ')}` })
  operator: ConditionOperator;

  @ApiProperty()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value: number;
}

export class CreateTargetDto {
  @ApiPropertyOptional({ maxLength: 200, nullable: true })
  @Nullable()
  @IsName(200)
  name?: string | null;

  @ApiProperty({ description: 'An activity of this root' })
  @IsId()
  activityId: string;

  @ApiProperty({ enum: TARGET_KINDS })
  @IsIn(TARGET_KINDS, { message: `kind must be one of: ${TARGET_KINDS.join(', ')}` })
  kind: TargetKind;

  @ApiProperty({ type: [ConditionInput], description: 'threshold and sum: 1 to 10; frequency: 0 to 10 (a session counts when one instance meets them all)' })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ConditionInput)
  conditions: ConditionInput[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'frequency only: sessions needed in each period' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'frequency only: the period, in days' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(3650)
  periodDays?: number;

  @ApiPropertyOptional({ format: 'date', nullable: true, description: 'The scope starts on this day (UTC); none: all time' })
  @Nullable()
  @IsDay('from')
  from?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, description: 'The scope ends with this day (UTC, included)' })
  @Nullable()
  @IsDay('to')
  to?: string | null;
}

export class UpdateTargetDto {
  @ApiPropertyOptional({ maxLength: 200, nullable: true })
  @Nullable()
  @IsName(200)
  name?: string | null;

  @ApiPropertyOptional()
  @Optional()
  @IsId()
  activityId?: string;

  @ApiPropertyOptional({ enum: TARGET_KINDS })
  @Optional()
  @IsIn(TARGET_KINDS, { message: `kind must be one of: ${TARGET_KINDS.join(', ')}` })
  kind?: TargetKind;

  @ApiPropertyOptional({ type: [ConditionInput], description: 'Replaces every condition' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ConditionInput)
  conditions?: ConditionInput[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, nullable: true })
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, nullable: true })
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(3650)
  periodDays?: number | null;

  @ApiPropertyOptional({ format: 'date', nullable: true })
  @Nullable()
  @IsDay('from')
  from?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true })
  @Nullable()
  @IsDay('to')
  to?: string | null;
}
