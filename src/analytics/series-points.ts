import { Aggregate } from './dto/analytics.dto';
import { InstancePart, InstanceRow, TotalRow } from './series-values';
import { SeriesPoint } from './series.view';
import { Bucket, bucketEnd, bucketOf, calendarOf } from './time-zone';

/** The best set so far, by the top-set metric. */
interface BestSet {
  rank: number;
  value: number | null;
  instanceId: string;
  setIndex: number;
}

/** What a session, then a bucket, holds so far; later sessions merge into it in time order. */
interface Part {
  max?: number;
  sum?: number;
  n?: number;
  last?: number;
  set?: BestSet;
}

export interface SessionPart extends Part {
  sessionId: string;
  /** The session's date, in milliseconds. */
  ms: number;
}

/**
 * The sessions' parts, in time order: each session merges its instances' parts in the order
 * they were recorded (the last value is the last instance's, the first best set wins).
 */
export function sessionParts(instances: InstanceRow[], byInstance: Map<string, InstancePart>, msOf: (at: unknown) => number): SessionPart[] {
  const bySession = new Map<string, SessionPart>();
  const out: SessionPart[] = [];
  for (const i of instances) {
    const p = byInstance.get(i.iid);
    if (!p) continue;
    const s = bySession.get(i.sid);
    if (!s) {
      const part: SessionPart = { sessionId: i.sid, ms: msOf(i.at), max: p.max, sum: p.sum, n: p.n, last: p.last, set: p.top && setOf(i.iid, p.top) };
      bySession.set(i.sid, part);
      out.push(part);
      continue;
    }
    if (p.max !== undefined) s.max = s.max === undefined ? p.max : Math.max(s.max, p.max);
    if (p.sum !== undefined) s.sum = (s.sum ?? 0) + p.sum;
    if (p.n !== undefined) s.n = (s.n ?? 0) + p.n;
    if (p.last !== undefined) s.last = p.last;
    if (p.top && (!s.set || p.top.rank > s.set.rank)) s.set = setOf(i.iid, p.top);
  }
  return out.sort((a, b) => a.ms - b.ms || (a.sessionId < b.sessionId ? -1 : 1));
}

/** sessionParts for max, sum or average, whose instances carry their aggregate (series-values instanceTotals). */
export function sessionTotals(instances: TotalRow[], agg: 'max' | 'sum' | 'average', msOf: (at: unknown) => number): SessionPart[] {
  const bySession = new Map<string, SessionPart>();
  const out: SessionPart[] = [];
  for (const i of instances) {
    if (i.a === null || i.a === undefined) continue;
    const a = typeof i.a === 'number' ? i.a : Number(i.a);
    const n = agg === 'average' ? Number(i.n) : undefined;
    const s = bySession.get(i.sid);
    if (!s) {
      const part: SessionPart = agg === 'max' ? { sessionId: i.sid, ms: msOf(i.at), max: a } : { sessionId: i.sid, ms: msOf(i.at), sum: a, n };
      bySession.set(i.sid, part);
      out.push(part);
    } else if (agg === 'max') s.max = Math.max(s.max!, a);
    else {
      s.sum = s.sum! + a;
      if (n !== undefined) s.n = (s.n ?? 0) + n;
    }
  }
  return out.sort((a, b) => a.ms - b.ms || (a.sessionId < b.sessionId ? -1 : 1));
}

const setOf = (instanceId: string, top: NonNullable<InstancePart['top']>): BestSet => ({ rank: top.rank, value: top.value, instanceId, setIndex: top.setIndex });

/** Merges a later session into a bucket. */
function merge(a: Part, b: Part): void {
  a.max = a.max === undefined ? b.max : b.max === undefined ? a.max : Math.max(a.max, b.max);
  a.sum = a.sum === undefined ? b.sum : a.sum + (b.sum ?? 0);
  a.n = (a.n ?? 0) + (b.n ?? 0);
  a.last = b.last ?? a.last;
  a.set = !a.set ? b.set : !b.set ? a.set : b.set.rank > a.set.rank ? b.set : a.set;
}

function valueOf(part: Part, agg: Aggregate): number | null {
  switch (agg) {
    case 'max':
      return part.max ?? null;
    case 'sum':
    case 'yield':
      return part.sum ?? null;
    case 'average':
      return part.n ? (part.sum ?? 0) / part.n : null;
    case 'last':
      return part.last ?? null;
    case 'top_set':
      return part.set?.value ?? null;
  }
}

function pointOf(date: string, start: number, end: number | null, part: Part, sessionIds: string[], agg: Aggregate): SeriesPoint {
  const point: SeriesPoint = { date, start: new Date(start).toISOString(), end: end === null ? null : new Date(end).toISOString(), value: valueOf(part, agg), sessionIds };
  if (agg === 'top_set' && part.set) point.set = { instanceId: part.set.instanceId, setIndex: part.set.setIndex };
  return point;
}

interface Bucketed {
  /** The first day of the bucket, and the first day after it. */
  date: string;
  until: string;
  /** Its instants, in milliseconds: [start, end). */
  start: number;
  end: number;
  part: Part;
  sessionIds: string[];
}

export function points(parts: SessionPart[], agg: Aggregate, bucket: Bucket, zone: string): SeriesPoint[] {
  const calendar = calendarOf(zone);
  if (bucket === 'session') return parts.map((p) => pointOf(calendar.day(p.ms), p.ms, null, p, [p.sessionId], agg));
  const buckets = new Map<string, Bucketed>();
  // Sessions come in time order, so most fall in the bucket before them: a comparison of ISO
  // days (four-digit years) tells, without working out the bucket's first day again.
  let current: Bucketed | undefined;
  for (const p of parts) {
    // In UTC a bucket is exactly its instants; elsewhere a fall-back at midnight can read an
    // instant after a day's start as the day before.
    if (calendar.utc && current && p.ms >= current.start && p.ms < current.end) {
      merge(current.part, p);
      current.sessionIds.push(p.sessionId);
      continue;
    }
    const day = calendar.day(p.ms);
    const key = current && day.length === 10 && day >= current.date && day < current.until ? current.date : bucketOf(day, bucket);
    const b = buckets.get(key);
    if (b) {
      merge(b.part, p);
      b.sessionIds.push(p.sessionId);
      current = b;
    } else {
      const until = bucketEnd(key, bucket);
      const part: Part = { max: p.max, sum: p.sum, n: p.n, last: p.last, set: p.set };
      buckets.set(key, (current = { date: key, until, start: calendar.start(key), end: calendar.start(until), part, sessionIds: [p.sessionId] }));
    }
  }
  const out: SeriesPoint[] = [];
  for (const b of buckets.values()) out.push(pointOf(b.date, b.start, b.end, b.part, b.sessionIds, agg));
  return out;
}
