import { Injectable } from '@nestjs/common';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { invalid, missingReference, notFound } from '../activities/references';
import { SplitDefinition } from '../activities/split-definition.entity';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { MetricValue } from '../sessions/metric-value.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { AnalyticsDates, inWindow, instantReader, SESSION_AT, Window } from './analytics-dates';
import { Aggregate, SeriesQuery } from './dto/analytics.dto';
import { Bucket, bucketEnd, bucketOf, localDay, startOfDay } from './time-zone';
import { SeriesPoint, SeriesView } from './series.view';

/** What one session gives its bucket; buckets merge these in time order. */
interface Part {
  max?: number;
  sum?: number;
  n?: number;
  last?: number;
  /** top_set: the best set so far, by the top-set metric. */
  set?: { rank: number; value: number | null; instanceId: string; setIndex: number };
}

interface SessionPart {
  sessionId: string;
  at: Date;
  part: Part;
}


/**
 * GET /analytics/activities/:activityId/series: one indexed read of the activity's values
 * (its instances by (root_id, activity_definition_id), their sessions by key, their values by
 * (root_id, activity_instance_id)), aggregated per session in SQL where the aggregate allows
 * (max, sum, average) and per set in TypeScript where it does not (last, top_set, yield); the
 * sessions then fall into local days, weeks or months of the time zone.
 */
@Injectable()
export class SeriesService {
  constructor(
    private readonly data: TenantData,
    private readonly dates: AnalyticsDates,
  ) {}

  async series(ctx: RequestContext, activityId: string, query: SeriesQuery): Promise<SeriesView> {
    const activity = await this.data.repo(ActivityDefinition).findById(ctx, activityId);
    if (!activity) throw notFound('Activity');
    const agg: Aggregate = query.agg ?? 'max';
    const bucket: Bucket = query.bucket ?? 'session';
    const metrics = (await this.data.repo(MetricDefinition).find(ctx, { where: { activityId }, order: { sortOrder: 'ASC', createdAt: 'ASC' } }));
    if (query.splitId && !(await this.data.repo(SplitDefinition).findOne(ctx, { id: query.splitId, activityId }))) throw missingReference('splitId', 'Split');
    const metric = query.metricId ? metrics.find((m) => m.id === query.metricId) : undefined;
    if (query.metricId && !metric) throw missingReference('metricId', 'Metric');
    const window = await this.dates.window(ctx, query);

    let metricId: string | null;
    let parts: SessionPart[];
    if (agg === 'yield') {
      const factors = metrics.filter((m) => m.isMultiplicative && m.isActive);
      if (factors.length === 0) throw invalid('agg', 'yield needs an activity with multiplicative metrics');
      metricId = null;
      parts = await this.yields(ctx, activityId, factors.map((m) => m.id), query.splitId, window);
    } else if (agg === 'top_set') {
      const top = metrics.find((m) => m.isTopSetMetric);
      if (!top) throw invalid('agg', 'top_set needs an activity with a top-set metric');
      metricId = metric?.id ?? top.id;
      parts = await this.topSets(ctx, activityId, top, metricId, query.splitId, window);
    } else {
      const chosen = metric ?? metrics.find((m) => m.isActive) ?? metrics[0];
      if (!chosen) throw invalid('metricId', 'the activity has no metric');
      metricId = chosen.id;
      parts = agg === 'last' ? await this.lasts(ctx, activityId, metricId, query.splitId, window) : await this.totals(ctx, activityId, metricId, query.splitId, window);
    }
    parts.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.sessionId < b.sessionId ? -1 : 1));
    return { activityId, metricId, splitId: query.splitId ?? null, agg, bucket, timeZone: window.zone, points: points(parts, agg, bucket, window.zone) };
  }

  /** Values of the activity's live instances in live sessions of the window, for the given metrics. */
  private values(ctx: RequestContext, activityId: string, metricIds: string[], splitId: string | undefined, window: Window) {
    const qb = this.data
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'i')
      .innerJoin(Goal, 'g', `g.id = i.practice_session_id AND g.type = 'PracticeSession' AND g.deleted_at IS NULL`)
      .innerJoin(MetricValue, 'v', 'v.activity_instance_id = i.id AND v.deleted_at IS NULL')
      .select('g.id', 'sid')
      .addSelect(SESSION_AT, 'at')
      .andWhere('i.activity_definition_id = :activityId', { activityId })
      .andWhere('i.deleted_at IS NULL')
      .andWhere('v.metric_definition_id IN (:...metricIds)', { metricIds });
    if (splitId) qb.andWhere('v.split_definition_id = :splitId', { splitId });
    return inWindow(ctx, qb, window);
  }

  /** max, sum and average: one row per session, aggregated by the engine. */
  private async totals(ctx: RequestContext, activityId: string, metricId: string, splitId: string | undefined, window: Window): Promise<SessionPart[]> {
    const rows: { sid: string; at: unknown; mx: unknown; sm: unknown; n: unknown }[] = await this.values(ctx, activityId, [metricId], splitId, window)
      .addSelect('MAX(v.value)', 'mx')
      .addSelect('SUM(v.value)', 'sm')
      .addSelect('COUNT(v.value)', 'n')
      .groupBy('g.id')
      .addGroupBy('g.session_start')
      .addGroupBy('g.created_at')
      .getRawMany();
    const instant = instantReader(ctx);
    return rows.map((r) => ({ sessionId: r.sid, at: instant(r.at), part: { max: Number(r.mx), sum: Number(r.sm), n: Number(r.n) } }));
  }

  /** One row per value, in the order they were recorded: instance by instance, set by set. */
  private async valueRows(ctx: RequestContext, activityId: string, metricIds: string[], splitId: string | undefined, window: Window) {
    const rows: { sid: string; at: unknown; iid: string; si: unknown; m: string; sp: string | null; val: unknown }[] = await this.values(ctx, activityId, metricIds, splitId, window)
      .addSelect('i.id', 'iid')
      .addSelect('v.set_index', 'si')
      .addSelect('v.metric_definition_id', 'm')
      .addSelect('v.split_definition_id', 'sp')
      .addSelect('v.value', 'val')
      .orderBy('i.created_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .addOrderBy('v.set_index', 'ASC')
      .getRawMany();
    const instant = instantReader(ctx);
    return rows.map((r) => ({ sessionId: r.sid, at: instant(r.at), instanceId: r.iid, setIndex: Number(r.si), metricId: r.m, splitId: r.sp, value: Number(r.val) }));
  }

  private async lasts(ctx: RequestContext, activityId: string, metricId: string, splitId: string | undefined, window: Window): Promise<SessionPart[]> {
    const bySession = new Map<string, SessionPart>();
    for (const r of await this.valueRows(ctx, activityId, [metricId], splitId, window)) {
      const s = bySession.get(r.sessionId) ?? { sessionId: r.sessionId, at: r.at, part: {} };
      s.part.last = r.value;
      bySession.set(r.sessionId, s);
    }
    return [...bySession.values()];
  }

  /** Per session, the set whose top-set metric is best (the first of equals), and its value of the metric asked. */
  private async topSets(ctx: RequestContext, activityId: string, top: MetricDefinition, metricId: string, splitId: string | undefined, window: Window): Promise<SessionPart[]> {
    const sets = new Map<string, { sessionId: string; at: Date; instanceId: string; setIndex: number; top?: number; value?: number }>();
    for (const r of await this.valueRows(ctx, activityId, [...new Set([top.id, metricId])], splitId, window)) {
      const key = `${r.instanceId}/${r.setIndex}`;
      const set = sets.get(key) ?? { sessionId: r.sessionId, at: r.at, instanceId: r.instanceId, setIndex: r.setIndex };
      // With splits, a set has a value per split: its best counts.
      if (r.metricId === top.id) set.top = set.top === undefined ? r.value : top.higherIsBetter ? Math.max(set.top, r.value) : Math.min(set.top, r.value);
      if (r.metricId === metricId) set.value = set.value === undefined ? r.value : top.higherIsBetter ? Math.max(set.value, r.value) : Math.min(set.value, r.value);
      sets.set(key, set);
    }
    const bySession = new Map<string, SessionPart>();
    for (const set of sets.values()) {
      if (set.top === undefined) continue;
      const rank = top.higherIsBetter ? set.top : -set.top;
      const s = bySession.get(set.sessionId) ?? { sessionId: set.sessionId, at: set.at, part: {} };
      if (!s.part.set || rank > s.part.set.rank) s.part.set = { rank, value: set.value ?? null, instanceId: set.instanceId, setIndex: set.setIndex };
      bySession.set(set.sessionId, s);
    }
    return [...bySession.values()];
  }

  /** Per session, the sum over its sets (per split) of the product of the multiplicative metrics; a set missing one of them gives nothing. */
  private async yields(ctx: RequestContext, activityId: string, factorIds: string[], splitId: string | undefined, window: Window): Promise<SessionPart[]> {
    const sets = new Map<string, { sessionId: string; at: Date; product: number; factors: number }>();
    for (const r of await this.valueRows(ctx, activityId, factorIds, splitId, window)) {
      const key = `${r.instanceId}/${r.setIndex}/${r.splitId ?? ''}`;
      const set = sets.get(key) ?? { sessionId: r.sessionId, at: r.at, product: 1, factors: 0 };
      set.product *= r.value;
      set.factors += 1;
      sets.set(key, set);
    }
    const bySession = new Map<string, SessionPart>();
    for (const set of sets.values()) {
      const s = bySession.get(set.sessionId) ?? { sessionId: set.sessionId, at: set.at, part: { sum: 0 } };
      if (set.factors === factorIds.length) s.part.sum = (s.part.sum ?? 0) + set.product;
      bySession.set(set.sessionId, s);
    }
    return [...bySession.values()];
  }
}

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

function points(parts: SessionPart[], agg: Aggregate, bucket: Bucket, zone: string): SeriesPoint[] {
  const buckets = new Map<string, { date: string; start: Date; end: Date | null; part: Part; sessionIds: string[] }>();
  for (const p of parts) {
    const day = localDay(p.at, zone);
    const key = bucket === 'session' ? p.sessionId : bucketOf(day, bucket);
    const b = buckets.get(key);
    if (b) {
      b.part = merge(b.part, p.part);
      b.sessionIds.push(p.sessionId);
    } else if (bucket === 'session') {
      buckets.set(key, { date: day, start: p.at, end: null, part: p.part, sessionIds: [p.sessionId] });
    } else {
      buckets.set(key, { date: key, start: startOfDay(key, zone), end: startOfDay(bucketEnd(key, bucket), zone), part: p.part, sessionIds: [p.sessionId] });
    }
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
