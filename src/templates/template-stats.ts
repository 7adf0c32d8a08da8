import { ApiProperty } from '@nestjs/swagger';
import { TemplateSessionRecord } from './template-records';

/** Durations over a day are a timer left running, not practice: statistics ignore them (as the Flask app did). */
export const MAX_COUNTED_SECONDS = 24 * 3600;

export class SectionStatsView {
  @ApiProperty()
  position: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: Number, nullable: true })
  plannedMinutes: number | null;

  @ApiProperty({ description: 'Completed sessions from the template that had this section with timed practice in it.' })
  sessionCount: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Average active seconds spent in the section (its instances’ durations, pauses excluded).' })
  averageActiveSeconds: number | null;
}

export class TemplateStatsView {
  @ApiProperty({ format: 'uuid' })
  templateId: string;

  @ApiProperty({ description: 'Live sessions made from the template.' })
  sessionCount: number;

  @ApiProperty()
  completedSessionCount: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Average active duration of its completed sessions, in seconds.' })
  averageDurationSeconds: number | null;

  @ApiProperty({ type: Date, nullable: true })
  firstSessionAt: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  lastSessionAt: Date | null;

  @ApiProperty({ type: [SectionStatsView] })
  sections: SectionStatsView[];
}

const average = (values: number[]) => (values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null);
const counted = (seconds: number | null): seconds is number => seconds !== null && seconds >= 0 && seconds <= MAX_COUNTED_SECONDS;

/**
 * The statistics of a template over the sessions made from it. A session's section is the
 * template section with the same name (the k-th of that name to the k-th). Averages count
 * completed sessions only, and ignore any duration over a day.
 */
export function templateStats(
  templateId: string,
  sections: { position: number; name: string; durationMinutes: number | null }[],
  sessions: TemplateSessionRecord[],
): TemplateStatsView {
  const completed = sessions.filter((s) => s.completed);
  const nth = (list: { name: string }[], index: number) => list.slice(0, index).filter((x) => x.name === list[index].name).length;
  const perSection = sections.map((section, k) =>
    completed
      .map((s) => s.sections.filter((own) => own.name === section.name)[nth(sections, k)]?.activeSeconds ?? null)
      .filter(counted),
  );
  const starts = sessions.map((s) => s.sessionStart).filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
  return {
    templateId,
    sessionCount: sessions.length,
    completedSessionCount: completed.length,
    averageDurationSeconds: average(completed.map((s) => s.activeSeconds).filter(counted)),
    firstSessionAt: starts.length ? new Date(Math.min(...starts)) : null,
    lastSessionAt: starts.length ? new Date(Math.max(...starts)) : null,
    sections: sections.map((section, k) => ({
      position: section.position,
      name: section.name,
      plannedMinutes: section.durationMinutes,
      sessionCount: perSection[k].length,
      averageActiveSeconds: average(perSection[k]),
    })),
  };
}
