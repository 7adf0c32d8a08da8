import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../../http/ids';
import { PageQuery } from '../../http/pagination';
import { Nullable, Optional, trim } from '../../http/dto-rules';

export const MAX_METRICS = 3;
export const MAX_SPLITS = 5;

const finite = { allowNaN: false, allowInfinity: false };

export class NewMetricDto {
  @ApiProperty({ maxLength: 200, example: 'Tempo' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ maxLength: 50, example: 'bpm', description: 'May be empty, for counts.' })
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  unit: string;

  @ApiPropertyOptional({ description: 'Picks the best set; at most one metric of an activity. Default false.' })
  @Optional()
  @IsBoolean()
  isTopSetMetric?: boolean;

  @ApiPropertyOptional({ description: 'Multiplied with the other multiplicative metrics for a set’s yield. Default true.' })
  @Optional()
  @IsBoolean()
  isMultiplicative?: boolean;

  @ApiPropertyOptional({ description: 'Which way a personal best goes. Default true.' })
  @Optional()
  @IsBoolean()
  higherIsBetter?: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The lowest value that may be recorded; null: none.' })
  @Nullable()
  @IsNumber(finite)
  min?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The highest value that may be recorded (at least min); null: none.' })
  @Nullable()
  @IsNumber(finite)
  max?: number | null;
}

export class MetricDto extends NewMetricDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An existing metric of this activity (an inactive one comes back); absent: a new metric.',
  })
  @Optional()
  @IsId()
  id?: string;
}

export class NewSplitDto {
  @ApiProperty({ maxLength: 100, example: 'Left' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class SplitDto extends NewSplitDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An existing split of this activity; absent: a new split.' })
  @Optional()
  @IsId()
  id?: string;
}

export class CreateActivityDto {
  @ApiProperty({ maxLength: 200, example: 'Scales' })
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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @Nullable()
  @IsId()
  groupId?: string | null;

  @ApiPropertyOptional({ description: 'Recorded in sets. Default false.' })
  @Optional()
  @IsBoolean()
  hasSets?: boolean;

  @ApiPropertyOptional({ description: 'Default: whether metrics are given. True needs at least one metric, false none.' })
  @Optional()
  @IsBoolean()
  hasMetrics?: boolean;

  @ApiPropertyOptional({ description: 'Default false.' })
  @Optional()
  @IsBoolean()
  metricsMultiplicative?: boolean;

  @ApiPropertyOptional({ description: 'Default: whether splits are given. True needs at least one split, false none.' })
  @Optional()
  @IsBoolean()
  hasSplits?: boolean;

  @ApiPropertyOptional({ type: [NewMetricDto], maxItems: MAX_METRICS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_METRICS)
  @ValidateNested({ each: true })
  @Type(() => NewMetricDto)
  metrics?: NewMetricDto[];

  @ApiPropertyOptional({ type: [NewSplitDto], maxItems: MAX_SPLITS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SPLITS)
  @ValidateNested({ each: true })
  @Type(() => NewSplitDto)
  splits?: NewSplitDto[];
}

export class UpdateActivityDto {
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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null: no group.' })
  @Nullable()
  @IsId()
  groupId?: string | null;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  hasSets?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  hasMetrics?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  metricsMultiplicative?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  hasSplits?: boolean;

  @ApiPropertyOptional({
    type: [MetricDto],
    maxItems: MAX_METRICS,
    description:
      'The active metrics, in order, reconciled by id. A metric left out is deactivated if values name it, otherwise soft-deleted.',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_METRICS)
  @ValidateNested({ each: true })
  @Type(() => MetricDto)
  metrics?: MetricDto[];

  @ApiPropertyOptional({
    type: [SplitDto],
    maxItems: MAX_SPLITS,
    description: 'The active splits, in order, reconciled by id, as metrics are.',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SPLITS)
  @ValidateNested({ each: true })
  @Type(() => SplitDto)
  splits?: SplitDto[];
}

export class ActivityListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the activities of this group.' })
  @IsOptional()
  @IsId()
  groupId?: string;
}
