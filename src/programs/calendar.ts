import { addDays, dayNumber, datesBetween, Weekday, weekdayOf } from './dates';

/** What the calendar needs of a block, a day and a linked session: plain values, read by CalendarService. */
export interface BlockPlan {
  id: string;
  name: string;
  startDate: string | null;
  endDate: string | null;
}

export interface DayTemplatePlan {
  templateId: string;
  name: string;
  required: boolean;
}

export interface DayPlan {
  id: string;
  blockId: string;
  name: string | null;
  date: string | null;
  weekdays: Weekday[] | null;
  /** Flask-era days: the n-th day of the block (1 is its start date). */
  dayNumber: number | null;
  minTemplates: number | null;
  templates: DayTemplatePlan[];
}

export interface LinkedSession {
  id: string;
  dayId: string;
  date: string;
  name: string;
  templateId: string | null;
  completed: boolean;
  sessionStart: Date | null;
}

export interface Occurrence {
  date: string;
  dayId: string;
  blockId: string;
  name: string | null;
  minTemplates: number;
  templates: (DayTemplatePlan & { done: boolean })[];
  sessions: { id: string; name: string; templateId: string | null; completed: boolean; sessionStart: string | null }[];
  /** Has a live session, done or not. */
  scheduled: boolean;
  complete: boolean;
}

/** The dates a day occurs on between from and to (both included), in order. */
export function occurrenceDates(day: DayPlan, block: BlockPlan, from: string, to: string): string[] {
  const within = (d: string) => d >= from && d <= to;
  if (day.date) return within(day.date) ? [day.date] : [];
  if (!block.startDate) return [];
  if (day.weekdays) {
    if (!block.endDate) return [];
    const start = block.startDate > from ? block.startDate : from;
    const end = block.endDate < to ? block.endDate : to;
    if (start > end) return [];
    const days = new Set(day.weekdays);
    return [...datesBetween(start, end)].filter((d) => days.has(weekdayOf(d)));
  }
  if (day.dayNumber !== null && day.dayNumber >= 1) {
    const date = addDays(block.startDate, day.dayNumber - 1);
    return within(date) ? [date] : [];
  }
  return [];
}

export const occursOn = (day: DayPlan, block: BlockPlan, date: string) => occurrenceDates(day, block, date, date).length === 1;

/** At least this many of the day's templates must be done (its required ones among them). */
export const minimumOf = (day: Pick<DayPlan, 'minTemplates'>) => day.minTemplates ?? 1;

/**
 * One occurrence, from the live sessions linked to it: a template is done when one of them,
 * made from it, is completed. The occurrence completes when every required template is done,
 * and at least minTemplates are.
 */
export function occurrence(day: DayPlan, date: string, sessions: LinkedSession[]): Occurrence {
  const done = new Set(sessions.filter((s) => s.completed && s.templateId).map((s) => s.templateId));
  const templates = day.templates.map((t) => ({ ...t, done: done.has(t.templateId) }));
  const doneCount = templates.filter((t) => t.done).length;
  return {
    date,
    dayId: day.id,
    blockId: day.blockId,
    name: day.name,
    minTemplates: minimumOf(day),
    templates,
    sessions: sessions.map((s) => ({
      id: s.id,
      name: s.name,
      templateId: s.templateId,
      completed: s.completed,
      sessionStart: s.sessionStart ? s.sessionStart.toISOString() : null,
    })),
    scheduled: sessions.length > 0,
    complete: templates.every((t) => !t.required || t.done) && doneCount >= minimumOf(day),
  };
}

/** Every occurrence of the days between from and to, by date, then block start, then the days' order. */
export function expand(blocks: BlockPlan[], days: DayPlan[], sessions: LinkedSession[], from: string, to: string): Occurrence[] {
  const blockById = new Map(blocks.map((b) => [b.id, b]));
  const linked = new Map<string, LinkedSession[]>();
  for (const s of sessions) {
    const key = `${s.dayId}|${s.date}`;
    linked.set(key, [...(linked.get(key) ?? []), s]);
  }
  const out: { o: Occurrence; block: number; day: number }[] = [];
  for (const [k, day] of days.entries()) {
    const block = blockById.get(day.blockId);
    if (!block) continue;
    for (const date of occurrenceDates(day, block, from, to)) {
      out.push({ o: occurrence(day, date, linked.get(`${day.id}|${date}`) ?? []), block: blocks.indexOf(block), day: k });
    }
  }
  out.sort((a, b) => dayNumber(a.o.date) - dayNumber(b.o.date) || a.block - b.block || a.day - b.day);
  return out.map((x) => x.o);
}

export interface BlockProgress {
  id: string;
  name: string;
  done: number;
  due: number;
  total: number;
  complete: boolean;
}

/**
 * Progress from every occurrence of the program: `due` counts those dated up to asOf, `done`
 * the complete ones among them. A block completes when all its occurrences do (one without
 * occurrences has nothing left to do); a program, when it has blocks and all of them do.
 */
export function progressOf(blocks: BlockPlan[], occurrences: Occurrence[], asOf: string) {
  const tally = (list: Occurrence[]) => {
    const due = list.filter((o) => o.date <= asOf);
    return { done: due.filter((o) => o.complete).length, due: due.length, total: list.length };
  };
  const perBlock: BlockProgress[] = blocks.map((b) => {
    const mine = occurrences.filter((o) => o.blockId === b.id);
    return { id: b.id, name: b.name, ...tally(mine), complete: mine.every((o) => o.complete) };
  });
  return {
    asOf,
    occurrences: tally(occurrences),
    blocks: perBlock,
    complete: perBlock.length > 0 && perBlock.every((b) => b.complete),
  };
}
