import { ApiProperty } from '@nestjs/swagger';
import { ActivityView } from '../activities/activity.view';

export class GoalActivityLinksView {
  @ApiProperty({ format: 'uuid' })
  goalId: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  activityIds: string[];

  @ApiProperty({ type: [String], format: 'uuid' })
  groupIds: string[];

  @ApiProperty()
  inheritParentActivities: boolean;

  @ApiProperty({ description: 'The goal’s version; the ETag. Every PUT moves it.' })
  version: number;
}

export class ActivitySourceView {
  @ApiProperty({ format: 'uuid', description: 'The goal whose link brings the activity: this goal, or an ancestor it inherits from.' })
  goalId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The linked group it comes through; null: linked directly.' })
  groupId: string | null;
}

export class EffectiveActivityView extends ActivityView {
  @ApiProperty({ type: [ActivitySourceView], description: 'Every link that brings it.' })
  sources: ActivitySourceView[];
}

export class EffectiveActivitiesPage extends GoalActivityLinksView {
  @ApiProperty({ type: [EffectiveActivityView], description: 'The effective activities, oldest first.' })
  items: EffectiveActivityView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
