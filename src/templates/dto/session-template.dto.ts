import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Nullable, Optional, trim } from '../../http/dto-rules';
import { IsId } from '../../http/ids';

export const MAX_SECTIONS = 50;
export const MAX_SECTION_ACTIVITIES = 100;
/** A section longer than a day is a typo. */
export const MAX_SECTION_MINUTES = 24 * 60;

export class TemplateActivityDto {
  @ApiProperty({ format: 'uuid', description: 'A live activity of this root.' })
  @IsId()
  activityId: string;
}

export class TemplateSectionDto {
  @ApiProperty({ maxLength: 200, example: 'Warm-up' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ minimum: 0, maximum: MAX_SECTION_MINUTES, example: 10 })
  @IsInt()
  @Min(0)
  @Max(MAX_SECTION_MINUTES)
  durationMinutes: number;

  @ApiPropertyOptional({ type: [TemplateActivityDto], maxItems: MAX_SECTION_ACTIVITIES, description: 'In order; default none.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SECTION_ACTIVITIES)
  @ValidateNested({ each: true })
  @Type(() => TemplateActivityDto)
  activities?: TemplateActivityDto[];
}

export class CreateSessionTemplateDto {
  @ApiProperty({ maxLength: 200, example: 'Morning practice' })
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

  @ApiPropertyOptional({ type: [TemplateSectionDto], maxItems: MAX_SECTIONS, description: 'In order; default none.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SECTIONS)
  @ValidateNested({ each: true })
  @Type(() => TemplateSectionDto)
  sections?: TemplateSectionDto[];
}

export class UpdateSessionTemplateDto {
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

  @ApiPropertyOptional({ type: [TemplateSectionDto], maxItems: MAX_SECTIONS, description: 'The whole new plan, in order.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SECTIONS)
  @ValidateNested({ each: true })
  @Type(() => TemplateSectionDto)
  sections?: TemplateSectionDto[];
}
