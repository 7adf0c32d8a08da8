import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean } from 'class-validator';
import { IsId } from '../../http/ids';
import { Optional } from '../../http/dto-rules';

export class PutGoalActivitiesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'The activities linked to the goal itself: the whole list.' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'activityIds must not repeat an id' })
  @IsId({ each: true })
  activityIds: string[];

  @ApiProperty({ type: [String], format: 'uuid', description: 'Groups linked to the goal: their activities count, nested groups included.' })
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique({ message: 'groupIds must not repeat an id' })
  @IsId({ each: true })
  groupIds: string[];

  @ApiPropertyOptional({ description: 'Whether the goal’s effective list includes its parent’s. Absent: unchanged.' })
  @Optional()
  @IsBoolean()
  inheritParentActivities?: boolean;
}
