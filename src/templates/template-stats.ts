import { ApiProperty } from '@nestjs/swagger';

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

export interface StatsSession {
  id: string;
  completed: boolean;
  sessionStart: Date | null;
  totalDurationSeconds: number | null;
  sessionData: unknown;
}

export interface StatsInstance {
  id: string;
  practiceSessionId: string;
  durationSeconds: number | null;
}

const object = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * A session's sections, each with the ids of its instances, as the session stores them in
 * session_data: `{sections: [{name, exercises|activities: [{instance_id}], instanceIds?}]}` (the
 * Flask app's shape, which adopted sessions have). Sessions that record their sections otherwise
 * must be read here too.
 */
export function sessionSections(sessionData: unknown): { name: string; instanceIds: string[] }[] {
  const data = typeof sessionData === 'string' ? safeParse(sessionData) : sessionData;
  return list(object(data)?.sections).flatMap((raw, i) => {
    const s = object(raw);
    if (!s) return [];
    const ids = [...list(s.exercises), ...list(s.activities)].map((e) => object(e)?.instance_id ?? object(e)?.instanceId);
    ids.push(...list(s.instanceIds));
    return [{ name: typeof s.name === 'string' && s.name.trim() ? s.name.trim() : `Section ${i + 1}`, instanceIds: ids.filter((x): x is string => typeof x === 'string') }];
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const average = (values: number[]) => (values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null);
const counted = (seconds: number | null): seconds is number => seconds !== null && seconds >= 0 && seconds <= MAX_COUNTED_SECONDS;

/**
 * The statistics of a template over the sessions made from it. A session's section is the
 * template section with the same name (the k-th of that name to the k-th), its active time the
 * sum of its instances' durations. Averages count completed sessions only, and ignore any
 * duration over a day.
 */
export function templateStats(
  templateId: string,
  sections: { position: number; name: string; durationMinutes: number | null }[],
  sessions: StatsSession[],
  instances: StatsInstance[],
): TemplateStatsView {
  const bySession = new Map<string, StatsInstance[]>();
  for (const i of instances) bySession.set(i.practiceSessionId, [...(bySession.get(i.practiceSessionId) ?? []), i]);
  const completed = sessions.filter((s) => s.completed);
  const sessionSeconds = completed.map((s) => {
    if (s.totalDurationSeconds !== null) return s.totalDurationSeconds;
    const timed = (bySession.get(s.id) ?? []).map((i) => i.durationSeconds).filter((d): d is number => d !== null);
    return timed.length ? timed.reduce((a, b) => a + b, 0) : null;
  });
  const perSection = sections.map(() => [] as number[]);
  const nth = (list: { name: string }[], index: number) => list.slice(0, index).filter((x) => x.name === list[index].name).length;
  for (const s of completed) {
    const own = sessionSections(s.sessionData);
    // Only this session's own live instances count, whatever its JSON names.
    const durations = new Map((bySession.get(s.id) ?? []).map((i) => [i.id, i.durationSeconds]));
    sections.forEach((section, k) => {
      const k2 = nth(sections, k);
      const match = own.filter((o) => o.name === section.name)[k2];
      if (!match) return;
      const timed = match.instanceIds.map((id) => durations.get(id)).filter((d): d is number => d !== null && d !== undefined);
      const total = timed.length ? timed.reduce((a, b) => a + b, 0) : null;
      if (counted(total)) perSection[k].push(total);
    });
  }
  const starts = sessions.map((s) => s.sessionStart).filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
  return {
    templateId,
    sessionCount: sessions.length,
    completedSessionCount: completed.length,
    averageDurationSeconds: average(sessionSeconds.filter(counted)),
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
