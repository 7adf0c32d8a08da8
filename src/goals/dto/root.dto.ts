import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Optional } from './validators';
import { GoalType, ROOT_TYPES } from '../goal.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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

  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsDateString({ strict: true }, { message: 'deadline must be an ISO-8601 date or null' })
  deadline?: string | null;

  @Optional()
  @IsBoolean()
  completed?: boolean;
}
