import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsName, Nullable, Optional } from '../../http/dto-rules';

export class UpdateLevelDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @Optional()
  @IsName(100)
  displayName?: string;

  @ApiPropertyOptional({ example: '#2563eb', description: 'A hex color: #rgb, #rrggbb or #rrggbbaa' })
  @Optional()
  @IsString()
  @Matches(/^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i, { message: 'color must be a hex color such as #2563eb' })
  color?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'flag', description: 'An icon name: letters, digits and dashes' })
  @Optional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/i, { message: 'icon must be 1 to 64 letters, digits or dashes' })
  icon?: string;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 10000, description: 'null: no limit' })
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(10000)
  maxChildren?: number | null;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  descriptionRequired?: boolean;

  @ApiPropertyOptional({ description: 'false: complete answers 409, and only targets or children complete it' })
  @Optional()
  @IsBoolean()
  allowManualCompletion?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  autoCompleteWhenChildrenDone?: boolean;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 36500, description: 'A new goal without a deadline gets one this many days ahead; null: none' })
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(36500)
  defaultDeadlineOffsetDays?: number | null;
}
