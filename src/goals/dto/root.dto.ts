import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Nullable, Optional, trim } from '../../http/dto-rules';
import { GoalType, ROOT_TYPES } from '../goal.types';

export class CreateRootDto {
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  @IsOptional()
  @IsIn(ROOT_TYPES, { message: `type must be one of: ${ROOT_TYPES.join(', ')}` })
  type?: GoalType;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;
}

export class UpdateRootDto {
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name?: string;

  @Optional()
  @IsIn(ROOT_TYPES, { message: `type must be one of: ${ROOT_TYPES.join(', ')}` })
  type?: GoalType;

  @Nullable()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @Nullable()
  @IsDateString({ strict: true }, { message: 'deadline must be an ISO-8601 date or null' })
  deadline?: string | null;

  @Optional()
  @IsBoolean()
  completed?: boolean;
}
