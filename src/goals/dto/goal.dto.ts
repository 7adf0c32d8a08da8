import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { GOAL_TYPES, GoalType } from '../goal.types';
import { IsName, IsTimestamp, Nullable, Optional } from '../../http/dto-rules';
import { IsId } from './validators';

export class CreateGoalDto {
  @ApiProperty({ description: 'The goal to add this one under, in the same root' })
  @IsId()
  parentId: string;

  @ApiProperty({ enum: GOAL_TYPES, description: "The level directly below the parent's" })
  @IsIn(GOAL_TYPES, { message: `type must be one of: ${GOAL_TYPES.join(', ')}` })
  type: GoalType;

  @ApiProperty({ maxLength: 500 })
  @IsName(500)
  name: string;

  @ApiPropertyOptional({ maxLength: 10000, nullable: true })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: "At most the parent's deadline" })
  @Nullable()
  @IsTimestamp('deadline')
  deadline?: string | null;

  @ApiPropertyOptional({ maxLength: 10000, nullable: true, description: 'Why this goal matters' })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  relevance?: string | null;
}

export class UpdateGoalDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsName(500)
  name?: string;

  @ApiPropertyOptional({ maxLength: 10000, nullable: true })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: "At most the parent's; an earlier one moves later deadlines below it" })
  @Nullable()
  @IsTimestamp('deadline')
  deadline?: string | null;

  @ApiPropertyOptional({ maxLength: 10000, nullable: true })
  @Nullable()
  @IsString()
  @MaxLength(10000)
  relevance?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000000 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  sortOrder?: number;
}

export class MoveGoalDto {
  @ApiProperty({ description: 'The new parent, in the same root, one level above the goal' })
  @IsId()
  parentId: string;

  @ApiPropertyOptional({ minimum: 0, description: "Index among the new parent's children (0 first); default last" })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(100000)
  position?: number;
}

export class TreeQuery {
  @ApiPropertyOptional({ enum: ['sessions'], description: 'sessions: include PracticeSession goals and what hangs below them' })
  @Optional()
  @IsIn(['sessions'], { message: 'include must be: sessions' })
  include?: 'sessions';
}

/** The body of routes that take none: any field in it is refused, as everywhere. */
export class EmptyBody {}
