import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Nullable, Optional, trim } from '../../http/dto-rules';
import { IsId } from '../../http/ids';


export class CreateActivityGroupDto {
  @ApiProperty({ maxLength: 200, example: 'Technique' })
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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The group this one nests in; null or absent: top level.' })
  @Nullable()
  @IsId()
  parentId?: string | null;
}

export class UpdateActivityGroupDto {
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

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Move under this group; null: to the top level.' })
  @Nullable()
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
