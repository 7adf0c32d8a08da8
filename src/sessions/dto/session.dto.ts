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
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Nullable, Optional, trim } from '../../http/dto-rules';
import { IsId } from '../../http/ids';
import { PageQuery } from '../../http/pagination';

/** `true` and `false` in a query string; anything else stays as it is, for IsBoolean to refuse. */
export const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
export const isoMessage = (property: string) => ({ message: `${property} must be an ISO-8601 date-time` });

export const MAX_SECTIONS = 50;
export const MAX_INSTANCES = 500;

export class ImmediateGoalInput {
  @ApiProperty({ maxLength: 500, example: 'Clean run of the C major scale at 120 bpm' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;
}

export class CreateSessionDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Short-term goals of this root the session serves; the first is its parent in the tree.' })
  @IsArray()
  @ArrayMinSize(1, { message: 'parentGoalIds needs at least one short-term goal' })
  @ArrayMaxSize(20)
  @ArrayUnique({ message: 'parentGoalIds must not repeat an id' })
  @IsId({ each: true })
  parentGoalIds: string[];

  @ApiPropertyOptional({ maxLength: 500, description: 'Default: "Practice Session N - MM/DD/YYYY", N counting this root\'s sessions.' })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A template of this root: its sections become the session's, its activities instances." })
  @Optional()
  @IsId()
  templateId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: "Default: the server's time now." })
  @Optional()
  @IsDateString({ strict: true }, isoMessage('sessionStart'))
  sessionStart?: string;

  @ApiPropertyOptional({ type: [ImmediateGoalInput], description: 'Immediate goals made under the session.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ImmediateGoalInput)
  immediateGoals?: ImmediateGoalInput[];
}

export class SectionInput {
  @ApiProperty({ maxLength: 200, example: 'Warm-up' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1440 })
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(1440)
  durationMinutes?: number | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "This session's instances in the section, in order." })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_INSTANCES)
  @IsId({ each: true })
  instanceIds?: string[];
}

export class UpdateSessionDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsDateString({ strict: true }, isoMessage('sessionStart'))
  sessionStart?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Not before sessionStart; null clears it.' })
  @Nullable()
  @IsDateString({ strict: true }, isoMessage('sessionEnd'))
  sessionEnd?: string | null;

  @ApiPropertyOptional({
    type: [SectionInput],
    description: "The whole layout: the sections in order, each with its instances; instances left out belong to no section and follow the sections'.",
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SECTIONS)
  @ValidateNested({ each: true })
  @Type(() => SectionInput)
  sections?: SectionInput[];
}

export class SessionListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Sessions that started at or after this time.' })
  @IsOptional()
  @IsDateString({ strict: true }, isoMessage('from'))
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Sessions that started at or before this time.' })
  @IsOptional()
  @IsDateString({ strict: true }, isoMessage('to'))
  to?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'completed must be true or false' })
  completed?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Sessions under this goal or linked to it.' })
  @IsOptional()
  @IsId()
  goalId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Sessions with an instance of this activity.' })
  @IsOptional()
  @IsId()
  activityId?: string;
}

export class ForceQuery {
  @ApiPropertyOptional({ type: Boolean, description: "Completes the root's unfinished session first, instead of answering 409." })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'force must be true or false' })
  force?: boolean;
}

export class SaveTemplateDto {
  @ApiProperty({ maxLength: 200, example: 'Morning routine' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;
}

/** The body of a POST that takes none: any field is refused, as everywhere. */
export class EmptyBody {}

/** The query of a route that takes none: any parameter is refused, so that a typo is not ignored. */
export class EmptyQuery {}
