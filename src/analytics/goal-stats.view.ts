import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GOAL_TYPES } from '../goals/goal.types';

class LevelShareView {
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty() total: number;
  @ApiProperty() completed: number;
  @ApiProperty({ nullable: true, type: Number, description: 'completed / total' }) share: number | null;
}

class TargetCountView {
  @ApiProperty() total: number;
  @ApiProperty() met: number;
}

class LinkedSessionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty() completed: boolean;
  @ApiProperty({ nullable: true, type: Number }) activeSeconds: number | null;
}

class LinkedSessionsView {
  @ApiProperty() total: number;
  @ApiProperty() completed: number;
  @ApiProperty({ description: 'The time practised: their active seconds' }) activeSeconds: number;
  @ApiProperty({ type: [LinkedSessionView], description: 'The latest 20, newest first' }) recent: LinkedSessionView[];
}

export class TimelineEventView {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['created', 'paused', 'resumed', 'target_met', 'completed'] }) event: 'created' | 'paused' | 'resumed' | 'target_met' | 'completed';
  @ApiPropertyOptional({ format: 'uuid' }) targetId?: string;
}

export class GoalProgressView {
  @ApiProperty({ format: 'uuid' }) goalId: string;
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty() completed: boolean;
  @ApiProperty({ type: [LevelShareView], description: 'The goals below it, per level' }) levels: LevelShareView[];
  @ApiProperty({ type: TargetCountView, description: 'Targets of the goal and of the goals below it' }) targets: TargetCountView;
  @ApiProperty({ type: LinkedSessionsView, description: 'Sessions below it, linked to it or to a goal below it' }) sessions: LinkedSessionsView;
  @ApiProperty({ type: [TimelineEventView] }) timeline: TimelineEventView[];
}

class OpenGoalView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() openDays: number;
}

class IdleGoalView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: GOAL_TYPES }) type: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastPracticeAt: string | null;
}

export class GoalsSummaryView {
  @ApiProperty({ type: [LevelShareView], description: 'Every live goal of the root, per level' }) levels: LevelShareView[];
  @ApiProperty({ type: [OpenGoalView], description: 'Open goals created more than 90 days ago, oldest first' }) openLong: OpenGoalView[];
  @ApiProperty({ type: [IdleGoalView], description: 'Open, unpaused goals above the sessions with no practice in the last 14 days' }) idle: IdleGoalView[];
}
