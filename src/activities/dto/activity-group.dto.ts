import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsId } from '../../http/ids';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Validates a nullable field when it has a value: null clears it, absent leaves it. */
export const present = (_: object, v: unknown) => v !== undefined && v !== null;
/** Validates a field whenever it is sent, null included: absent leaves it, null is refused. */
export const sent = (_: object, v: unknown) => v !== undefined;

export class CreateActivityGroupDto {
  @ApiProperty({ maxLength: 200, example: 'Technique' })
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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The group this one nests in; null or absent: top level.' })
  @ValidateIf(present)
  @IsId()
  parentId?: string | null;
}

export class UpdateActivityGroupDto {
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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Move under this group; null: to the top level.' })
  @ValidateIf(present)
  @IsId()
  parentId?: string | null;
}

export class OrderActivityGroupsDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every live group under one parent, in the new order.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @IsId({ each: true })
  ids: string[];
}
