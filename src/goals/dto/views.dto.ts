import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMPLETION_SOURCES, GOAL_TYPES } from '../goal.types';
import { TARGET_KINDS } from '../goal-target.entity';
import { CONDITION_OPERATORS } from '../target-condition.entity';

/** The response shapes, for the OpenAPI document; goal.view.ts builds them. */
export class GoalDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) relevance: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deadline: Date | null;
  @ApiProperty() sortOrder: number;
  @ApiProperty() completed: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt: Date | null;
  @ApiProperty({ nullable: true, enum: COMPLETION_SOURCES }) completionSource: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The session whose evaluation completed it' }) completedBySessionId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Set when a user un-completed what a cascade completed' })
  manuallyUncompletedAt: Date | null;
  @ApiProperty() paused: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) pausedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'PracticeSession only' }) sessionStart?: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'PracticeSession only' }) sessionEnd?: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ description: 'Also the ETag' }) version: number;
}

export class GoalNodeDto extends GoalDto {
  @ApiProperty({ type: () => [GoalNodeDto] }) children: GoalNodeDto[];
}

export class BreadcrumbDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty() name: string;
}

export class ConditionDto {
  @ApiProperty() id: string;
  @ApiProperty() metricId: string;
  @ApiProperty({ enum: CONDITION_OPERATORS }) operator: string;
  @ApiProperty() value: number;
}

export class TargetDto {
  @ApiProperty() id: string;
  @ApiProperty() goalId: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() activityId: string;
  @ApiProperty({ enum: TARGET_KINDS }) kind: string;
  @ApiProperty({ type: [ConditionDto] }) conditions: ConditionDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'frequency: sessions needed per period' }) count: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'frequency: the period in days' }) periodDays: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) from: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) to: string | null;
  @ApiProperty() met: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) metAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) metBySessionId: string | null;
  @ApiProperty({ nullable: true, type: String }) metByInstanceId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
  @ApiProperty() version: number;
}

export class GoalDetailDto extends GoalNodeDto {
  @ApiProperty({ type: [BreadcrumbDto], description: 'Ancestors, from the root down' }) breadcrumb: BreadcrumbDto[];
  @ApiProperty({ type: [TargetDto] }) targets: TargetDto[];
}

export class GoalChangeDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['deadline', 'completed', 'uncompleted'] }) change: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deadline: Date | null;
  @ApiProperty() completed: boolean;
  @ApiProperty({ nullable: true, enum: COMPLETION_SOURCES }) completionSource: string | null;
}

export class TargetChangeDto {
  @ApiProperty() id: string;
  @ApiProperty() goalId: string;
  @ApiProperty({ enum: ['met', 'unmet'] }) change: string;
  @ApiProperty({ nullable: true, type: String }) metBySessionId: string | null;
}

export class ChangesDto {
  @ApiProperty({ type: [GoalChangeDto], description: 'Other goals this request changed: deadlines moved, completions cascaded' })
  goals: GoalChangeDto[];
  @ApiProperty({ type: [TargetChangeDto], description: 'Targets this request met or un-met' })
  targets: TargetChangeDto[];
}

export class GoalWriteDto extends GoalDto {
  @ApiProperty({ type: ChangesDto }) changed: ChangesDto;
}

export class CopyResultDto extends GoalNodeDto {
  @ApiProperty({ type: ChangesDto }) changed: ChangesDto;
}

export class RemovedCountsDto {
  @ApiProperty() goals: number;
  @ApiProperty() sessions: number;
  @ApiProperty() activityInstances: number;
  @ApiProperty() metricValues: number;
  @ApiProperty() sessionLinks: number;
  @ApiProperty() targets: number;
  @ApiProperty() pauses: number;
}

export class DeleteResultDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The delete operation; restore brings back exactly these rows' }) deletionId: string;
  @ApiProperty({ type: RemovedCountsDto }) removed: RemovedCountsDto;
  @ApiProperty({ type: ChangesDto }) changed: ChangesDto;
}

export class RestoreResultDto extends GoalWriteDto {
  @ApiProperty({ type: RemovedCountsDto, description: 'What the restore brought back' }) restored: RemovedCountsDto;
}

export class LevelDto {
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty() rank: number;
  @ApiProperty() displayName: string;
  @ApiProperty() color: string;
  @ApiProperty() icon: string;
  @ApiProperty({ nullable: true, type: Number }) maxChildren: number | null;
  @ApiProperty() descriptionRequired: boolean;
  @ApiProperty() allowManualCompletion: boolean;
  @ApiProperty() autoCompleteWhenChildrenDone: boolean;
  @ApiProperty({ nullable: true, type: Number }) defaultDeadlineOffsetDays: number | null;
  @ApiProperty() version: number;
}

export class LevelPageDto {
  @ApiProperty({ type: [LevelDto] }) items: LevelDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class TargetPageDto {
  @ApiProperty({ type: [TargetDto] }) items: TargetDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class TargetWriteDto extends TargetDto {
  @ApiProperty({ type: ChangesDto }) changed: ChangesDto;
}

export class TargetDeleteDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: ChangesDto }) changed: ChangesDto;
}

export class EvaluationDto {
  @ApiProperty({ type: [TargetDto] }) targets: TargetDto[];
  @ApiProperty({ type: ChangesDto }) changed: ChangesDto;
}
