import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Goal } from '../goals/goal.entity';
import { TimerState } from './timer';

/** What the API shows of sessions, instances, sets and values. Internal columns stay inside. */

export class LinkedGoalView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ShortTermGoal' })
  type: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  completed: boolean;
}

export class ImmediateGoalView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty()
  completed: boolean;
}

export class SectionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: '0 first.' })
  position: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: Number, nullable: true })
  durationMinutes: number | null;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Its instances, in order.' })
  instanceIds: string[];

  @ApiProperty({ description: 'The active seconds of its instances.' })
  activeSeconds: number;
}

export class ValueView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty()
  metricName: string;

  @ApiProperty()
  unit: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  splitId: string | null;

  @ApiProperty({ type: String, nullable: true })
  splitName: string | null;

  @ApiProperty({ description: 'The position of its set; 0 for an activity without sets.' })
  setIndex: number;

  @ApiProperty()
  value: number;
}

export class SetView {
  @ApiProperty({ description: '0 first.' })
  position: number;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ type: [ValueView] })
  values: ValueView[];
}

export class MetricComparisonView {
  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  splitId: string | null;

  @ApiProperty({ description: "This instance's best value (over its sets), by the metric's direction." })
  current: number;

  @ApiProperty({ type: Number, nullable: true, description: "The previous instance's best value." })
  previous: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'current - previous.' })
  change: number | null;

  @ApiProperty({ description: 'True when the change goes the way the metric calls better.' })
  improved: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'The best value of every earlier instance of the activity in other sessions.' })
  previousBest: number | null;

  @ApiProperty({ description: 'current beats previousBest (or nothing was recorded before).' })
  personalBest: boolean;
}

export class ComparisonView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The previous instance of the same activity in another session.' })
  previousInstanceId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  previousSessionId: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  previousAt: Date | null;

  @ApiProperty({ type: [MetricComparisonView] })
  metrics: MetricComparisonView[];
}

export class InstanceView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ format: 'uuid' })
  activityId: string;

  @ApiProperty()
  activityName: string;

  @ApiProperty()
  hasSets: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sectionId: string | null;

  @ApiProperty({ description: 'Its place in the session, 0 first.' })
  position: number;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty()
  completed: boolean;

  @ApiProperty({ enum: ['idle', 'running', 'paused', 'stopped'] })
  timer: TimerState;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  timeStart: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  timeStop: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pausedAt: Date | null;

  @ApiProperty()
  totalPausedSeconds: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Set when the timer stops: active time, pauses excluded.' })
  durationSeconds: number | null;

  @ApiProperty({ description: "Active time so far by the server's clock, pauses excluded." })
  activeSeconds: number;

  @ApiProperty({ type: [SetView], description: 'For an activity with sets: its sets with their values.' })
  sets: SetView[];

  @ApiProperty({ type: [ValueView], description: 'For an activity without sets: its values.' })
  values: ValueView[];

  @ApiProperty({ type: ComparisonView })
  comparison: ComparisonView;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'The ETag.' })
  version: number;
}

export class SessionSummaryView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Its short-term goal in the tree.' })
  parentGoalId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  templateId: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sessionStart: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sessionEnd: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set while the session is paused as a whole.' })
  pausedAt: Date | null;

  @ApiProperty()
  completed: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Set on completion: the active seconds of its instances.' })
  totalDurationSeconds: number | null;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'The ETag.' })
  version: number;
}

export class SessionView extends SessionSummaryView {
  @ApiProperty({ type: [LinkedGoalView], description: 'The short-term goals it serves.' })
  goals: LinkedGoalView[];

  @ApiProperty({ type: [ImmediateGoalView] })
  immediateGoals: ImmediateGoalView[];

  @ApiProperty({ type: [SectionView] })
  sections: SectionView[];

  @ApiProperty({ type: [InstanceView], description: 'In order.' })
  instances: InstanceView[];

  @ApiProperty({ description: "The active seconds of its instances, by the server's clock." })
  activeSeconds: number;

  @ApiProperty({ description: 'How many live notes are about the session itself (GET /sessions/:sessionId/notes).' })
  noteCount: number;
}

export class ActiveSessionView {
  @ApiProperty({ type: SessionView, nullable: true, description: "The root's unfinished session (the newest, should an adopted file hold several), or null." })
  session: SessionView | null;
}

export class GoalChangesView {
  @ApiProperty({ type: [Object], description: 'Goals completed or re-opened by the evaluation of targets.' })
  goals: object[];

  @ApiProperty({ type: [Object], description: 'Targets met or un-met.' })
  targets: object[];
}

export class CompletedSessionView extends SessionView {
  @ApiProperty({ type: GoalChangesView, description: "What evaluating its goals' targets changed." })
  changed: GoalChangesView;
}

export class RecordedInstanceView extends InstanceView {
  @ApiProperty({ type: GoalChangesView, description: "What evaluating the session's goals' targets changed." })
  changed: GoalChangesView;
}

export class PlannedSectionView {
  @ApiProperty()
  name: string;

  @ApiProperty({ type: Number, nullable: true })
  durationMinutes: number | null;

  @ApiProperty({ type: [String], format: 'uuid' })
  activityIds: string[];
}

export class SavedTemplateView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: [PlannedSectionView] })
  sections: PlannedSectionView[];

  @ApiProperty()
  createdAt: Date;
}

/** What a session's summary reads of its row: a Goal, or the hot read's lean row (session-rows). */
export type SessionRow = Pick<
  Goal,
  | 'id'
  | 'name'
  | 'description'
  | 'parentId'
  | 'templateId'
  | 'sessionStart'
  | 'sessionEnd'
  | 'sessionPausedAt'
  | 'completed'
  | 'completedAt'
  | 'totalDurationSeconds'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
>;

export function toSessionSummary(s: SessionRow): SessionSummaryView {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    parentGoalId: s.parentId,
    templateId: s.templateId,
    sessionStart: s.sessionStart,
    sessionEnd: s.sessionEnd,
    pausedAt: s.sessionPausedAt,
    completed: s.completed,
    completedAt: s.completedAt,
    totalDurationSeconds: s.totalDurationSeconds,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    version: s.version,
  };
}
