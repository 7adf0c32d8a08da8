import { Aggregate } from './dto/analytics.dto';
import { InstancePart, InstanceRow } from './series-values';
import { SeriesPoint } from './series.view';
import { Bucket, bucketEnd, bucketOf, calendarOf } from './time-zone';

/** What one session gives its bucket; buckets merge these in time order. */
export interface Part {
  max?: number;
  sum?: number;
  n?: number;
  last?: number;
  /** top_set: the best set so far, by the top-set metric. */
  set?: { rank: number; value: number | null; instanceId: string; setIndex: number };
}

export interface SessionPart {
  sessionId: string;
  at: Date;
  ms: number;
  part: Part;
}

/**
 * The sessions' parts, in time order: each session merges its instances' parts in the order
 * they were recorded (the last value is the last instance's, the first best set wins).
 */
export function sessionParts(instances: InstanceRow[], byInstance: Map<string, InstancePart>): SessionPart[] {
  const bySession = new Map<string, SessionPart>();
  for (const i of instances) {
    const p = byInstance.get(i.instanceId);
    if (!p) continue;
    const s = bySession.get(i.sessionId);
    if (!s) {
      bySession.set(i.sessionId, { sessionId: i.sessionId, at: i.at, ms: i.ms, part: partOf(i.instanceId, p) });
      continue;
    }
    const part = s.part;
    if (p.max !== undefined) part.max = part.max === undefined ? p.max : Math.max(part.max, p.max);
    if (p.sum !== undefined) part.sum = (part.sum ?? 0) + p.sum;
    if (p.n !== undefined) part.n = (part.n ?? 0) + p.n;
    if (p.last !== undefined) part.last = p.last;
    if (p.top && (!part.set || p.top.rank > part.set.rank)) part.set = setOf(i.instanceId, p.top);
  }
  return [...bySession.values()].sort((a, b) => a.ms - b.ms || (a.sessionId < b.sessionId ? -1 : 1));
}

function partOf(instanceId: string, p: InstancePart): Part {
  const part: Part = {};
  if (p.max !== undefined) part.max = p.max;
  if (p.sum !== undefined) part.sum = p.sum;
  if (p.n !== undefined) part.n = p.n;
  if (p.last !== undefined) part.last = p.last;
  if (p.top) part.set = setOf(instanceId, p.top);
  return part;
}

const setOf = (instanceId: string, top: NonNullable<InstancePart['top']>) => ({ rank: top.rank, value: top.value, instanceId, setIndex: top.setIndex });

/** Merges later into earlier: sessions arrive in time order. */
function merge(a: Part, b: Part): Part {
  return {
    max: a.max === undefined ? b.max : b.max === undefined ? a.max : Math.max(a.max, b.max),
    sum: a.sum === undefined ? b.sum : (a.sum ?? 0) + (b.sum ?? 0),
    n: (a.n ?? 0) + (b.n ?? 0),
    last: b.last ?? a.last,
    set: !a.set ? b.set : !b.set ? a.set : b.set.rank > a.set.rank ? b.set : a.set,
  };
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

interface Bucketed {
  /** The local day of the session, or the first day of the bucket. */
  date: string;
  /** The first day after the bucket ('' for a session). */
  until: string;
  start: Date;
  end: Date | null;
  part: Part;
  sessionIds: string[];
}

export function points(parts: SessionPart[], agg: Aggregate, bucket: Bucket, zone: string): SeriesPoint[] {
  const calendar = calendarOf(zone);
  const buckets = new Map<string, Bucketed>();
  // Sessions come in time order, so most fall in the bucket before them: a comparison of ISO
  // days (four-digit years) tells, without working out the bucket's first day again.
  let current: Bucketed | undefined;
  for (const p of parts) {
    // In UTC a bucket is exactly its instants; elsewhere a fall-back at midnight can read an
    // instant after a day's start as the day before.
    if (calendar.utc && current && bucket !== 'session' && p.ms >= current.start.getTime() && p.ms < current.end!.getTime()) {
      current.part = merge(current.part, p.part);
      current.sessionIds.push(p.sessionId);
      continue;
    }
    const day = calendar.day(p.at);
    const key = bucket === 'session' ? p.sessionId : current && day.length === 10 && day >= current.date && day < current.until ? current.date : bucketOf(day, bucket);
    const b = buckets.get(key);
    if (b) {
      b.part = merge(b.part, p.part);
      b.sessionIds.push(p.sessionId);
    } else if (bucket === 'session') {
      buckets.set(key, { date: day, until: '', start: p.at, end: null, part: p.part, sessionIds: [p.sessionId] });
    } else {
      const until = bucketEnd(key, bucket);
      buckets.set(key, (current = { date: key, until, start: calendar.start(key), end: calendar.start(until), part: p.part, sessionIds: [p.sessionId] }));
    }
    if (b) current = b;
  }
  return [...buckets.values()].map((b) => ({
    date: b.date,
    start: b.start.toISOString(),
    end: b.end?.toISOString() ?? null,
    value: valueOf(b.part, agg),
    sessionIds: b.sessionIds,
    ...(agg === 'top_set' && b.part.set ? { set: { instanceId: b.part.set.instanceId, setIndex: b.part.set.setIndex } } : {}),
  }));
}
