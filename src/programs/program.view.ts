import { ApiProperty } from '@nestjs/swagger';
import { dateOfTimestamp, weekdaysOf } from './dates';
import { ProgramBlock } from './program-block.entity';
import { ProgramDay } from './program-day.entity';
import { Program } from './program.entity';

export class ProgramSummaryView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ format: 'date' })
  startDate: string;

  @ApiProperty({ format: 'date' })
  endDate: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Its live linked goals, in order.' })
  goalIds: string[];

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'Goes up by one on every change of the program itself; the ETag.' })
  version: number;
}

export class DayTemplateView {
  @ApiProperty({ format: 'uuid' })
  templateId: string;

  @ApiProperty({ description: "The template's name (a deleted template keeps its id here)." })
  name: string;

  @ApiProperty()
  required: boolean;
}

export class DayView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  blockId: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'A day on one date; null for a repeating day.' })
  date: string | null;

  @ApiProperty({ type: [String], nullable: true, description: 'The weekdays it repeats on, Monday first; null for a dated day.' })
  weekdays: string[] | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Flask-era days: the n-th day of the block.' })
  dayNumber: number | null;

  @ApiProperty({ description: 'How many of its templates an occurrence needs done.' })
  minTemplates: number;

  @ApiProperty({ type: [DayTemplateView] })
  templates: DayTemplateView[];

  @ApiProperty()
  version: number;
}

export class BlockView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  programId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  startDate: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  endDate: string | null;

  @ApiProperty({ type: String, nullable: true })
  color: string | null;

  @ApiProperty({ type: [String], format: 'uuid' })
  goalIds: string[];

  @ApiProperty({ type: [DayView] })
  days: DayView[];

  @ApiProperty()
  version: number;
}

export class CountView {
  @ApiProperty({ description: 'Complete occurrences dated up to asOf.' })
  done: number;

  @ApiProperty({ description: 'Occurrences dated up to asOf.' })
  due: number;

  @ApiProperty({ description: 'Every occurrence of the program (or block).' })
  total: number;
}

export class BlockProgressView extends CountView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Every occurrence of the block is complete.' })
  complete: boolean;
}

export class GoalCountView {
  @ApiProperty()
  completed: number;

  @ApiProperty({ description: "Live goals linked to the program or one of its blocks, each once." })
  linked: number;
}

export class ProgressView {
  @ApiProperty({ format: 'date' })
  asOf: string;

  @ApiProperty({ type: CountView })
  occurrences: CountView;

  @ApiProperty({ type: GoalCountView })
  goals: GoalCountView;

  @ApiProperty({ type: [BlockProgressView] })
  blocks: BlockProgressView[];

  @ApiProperty({ description: 'It has blocks, and every one is complete.' })
  complete: boolean;
}

export class ProgramView extends ProgramSummaryView {
  @ApiProperty({ type: [BlockView], description: 'By start date.' })
  blocks: BlockView[];

  @ApiProperty({ type: ProgressView })
  progress: ProgressView;
}

export class OccurrenceTemplateView extends DayTemplateView {
  @ApiProperty({ description: 'A completed session of this occurrence was made from it.' })
  done: boolean;
}

export class OccurrenceSessionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  templateId: string | null;

  @ApiProperty()
  completed: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  sessionStart: string | null;
}

export class OccurrenceView {
  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ format: 'uuid' })
  dayId: string;

  @ApiProperty({ format: 'uuid' })
  blockId: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty()
  minTemplates: number;

  @ApiProperty({ type: [OccurrenceTemplateView] })
  templates: OccurrenceTemplateView[];

  @ApiProperty({ type: [OccurrenceSessionView], description: 'The live sessions scheduled for it.' })
  sessions: OccurrenceSessionView[];

  @ApiProperty({ description: 'It has a live session, done or not.' })
  scheduled: boolean;

  @ApiProperty()
  complete: boolean;
}

export class CalendarView {
  @ApiProperty({ format: 'uuid' })
  programId: string;

  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ type: [OccurrenceView], description: 'By date, then block, then day.' })
  occurrences: OccurrenceView[];
}

export class UnscheduleView {
  @ApiProperty({ format: 'uuid' })
  dayId: string;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The unfinished sessions soft-deleted, each under its own deletion.' })
  removedSessionIds: string[];
}

export const toProgramSummary = (p: Program, goalIds: string[]): ProgramSummaryView => ({
  id: p.id,
  name: p.name,
  description: p.description,
  startDate: dateOfTimestamp(p.startDate),
  endDate: dateOfTimestamp(p.endDate),
  goalIds,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
  version: p.version,
});

export const toDayView = (d: ProgramDay, templates: DayTemplateView[]): DayView => ({
  id: d.id,
  blockId: d.blockId,
  name: d.name,
  date: d.date,
  weekdays: weekdaysOf(d.weekdays),
  dayNumber: d.dayNumber,
  minTemplates: d.minTemplates ?? 1,
  templates,
  version: d.version,
});

export const toBlockView = (b: ProgramBlock, goalIds: string[], days: DayView[]): BlockView => ({
  id: b.id,
  programId: b.programId,
  name: b.name,
  startDate: b.startDate,
  endDate: b.endDate,
  color: b.color,
  goalIds,
  days,
  version: b.version,
});
