import { Injectable } from '@nestjs/common';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { invalid, missingReference, notFound } from '../activities/references';
import { SplitDefinition } from '../activities/split-definition.entity';
import { RequestContext } from '../context/request-context';
import { RootAnswers } from '../tenancy/root-answers';
import { TenantData } from '../tenancy/tenant-data.service';
import { AnalyticsDates, instantMsReader, Window } from './analytics-dates';
import { Aggregate, SeriesQuery } from './dto/analytics.dto';
import { points, SessionPart, sessionParts, sessionTotals } from './series-points';
import { InstancePart, SeriesValues } from './series-values';
import { SeriesView } from './series.view';
import { Bucket } from './time-zone';

/**
 * GET /analytics/activities/:activityId/series: the activity's live instances in the window, and
 * per instance the aggregate its values give (series-values.ts: with the instances for max, sum
 * and average, else in a second statement); instances merge into their sessions in the order
 * they were recorded, and sessions into local days, weeks or months. An answer is kept while its
 * root's version holds (RootAnswers): a long history costs tens of milliseconds to read, and
 * charts ask for the same series again and again between two practice sessions.
 */
@Injectable()
export class SeriesService {
  constructor(
    private readonly data: TenantData,
    private readonly dates: AnalyticsDates,
    private readonly answers: RootAnswers,
  ) {}

  async series(ctx: RequestContext, activityId: string, query: SeriesQuery): Promise<SeriesView> {
    const window = await this.dates.window(ctx, query);
    const agg: Aggregate = query.agg ?? 'max';
    const bucket: Bucket = query.bucket ?? 'session';
    // Every input but the root's rows: the zone as resolved, since the user's setting is not a root's row.
    const key = JSON.stringify(['series', activityId, query.metricId, query.splitId, agg, bucket, window.zone, query.from, query.to]);
    return this.answers.get(ctx, key, () => this.compute(ctx, activityId, query, agg, bucket, window));
  }

  private async compute(ctx: RequestContext, activityId: string, query: SeriesQuery, agg: Aggregate, bucket: Bucket, window: Window): Promise<SeriesView> {
    const activity = await this.data.repo(ActivityDefinition).findById(ctx, activityId);
    if (!activity) throw notFound('Activity');
    const metrics = (await this.data.repo(MetricDefinition).find(ctx, { where: { activityId }, order: { sortOrder: 'ASC', createdAt: 'ASC' } }));
    if (query.splitId && !(await this.data.repo(SplitDefinition).findOne(ctx, { id: query.splitId, activityId }))) throw missingReference('splitId', 'Split');
    const metric = query.metricId ? metrics.find((m) => m.id === query.metricId) : undefined;
    if (query.metricId && !metric) throw missingReference('metricId', 'Metric');
    const values = new SeriesValues(ctx, query.splitId);

    let metricId: string | null;
    let read: (() => Promise<Map<string, InstancePart>>) | undefined;
    if (agg === 'yield') {
      const factors = metrics.filter((m) => m.isMultiplicative && m.isActive);
      if (factors.length === 0) throw invalid('agg', 'yield needs an activity with multiplicative metrics');
      metricId = null;
      read = () => values.yields(factors.map((m) => m.id));
    } else if (agg === 'top_set') {
      const top = metrics.find((m) => m.isTopSetMetric);
      if (!top) throw invalid('agg', 'top_set needs an activity with a top-set metric');
      const asked = (metricId = metric?.id ?? top.id);
      read = () => values.topSets(top, asked);
    } else {
      const chosen = metric ?? metrics.find((m) => m.isActive) ?? metrics[0];
      if (!chosen) throw invalid('metricId', 'the activity has no metric');
      const id = (metricId = chosen.id);
      if (agg === 'last') read = () => values.lasts(id);
    }
    const msOf = instantMsReader(ctx);
    let parts: SessionPart[];
    if (!read) {
      // max, sum, average: each instance comes with its aggregate, in one statement.
      parts = sessionTotals(await values.instanceTotals(activityId, window, metricId!, agg as 'max' | 'sum' | 'average'), agg as 'max' | 'sum' | 'average', msOf);
    } else {
      // One after the other: on SQLite both run on the one read connection anyway.
      const instances = await values.instances(activityId, window);
      parts = sessionParts(instances, instances.length ? await read() : new Map(), msOf);
    }
    return { activityId, metricId, splitId: query.splitId ?? null, agg, bucket, timeZone: window.zone, points: points(parts, agg, bucket, window.zone) };
  }
}
