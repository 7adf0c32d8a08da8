import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { MetricValue } from '../sessions/metric-value.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { instantReader, SESSION_AT, timestampParam } from './analytics-dates';
import { ActivityStatsView, MetricTrendView } from './activity-stats.view';

const TREND_DAYS = 30;
const LIVE_SESSION = `g.id = i.practice_session_id AND g.type = 'PracticeSession' AND g.deleted_at IS NULL`;

/**
 * GET /analytics/activities: every live activity of the root with what its practice says,
 * in five grouped reads whatever the number of activities: usage, the latest instance of each
 * (a correlated sub-query on the activity's index), that instance's values, the extremes per
 * metric, and the per-session bests of the last 30 days.
 */
@Injectable()
export class ActivityStatsService {
  constructor(private readonly data: TenantData) {}

  async list(ctx: RequestContext, now = new Date()): Promise<ActivityStatsView[]> {
    const activities = await this.data.repo(ActivityDefinition).find(ctx);
    if (activities.length === 0) return [];
    const metrics = await this.data.repo(MetricDefinition).find(ctx, { order: { sortOrder: 'ASC', createdAt: 'ASC' } });
    const instant = instantReader(ctx);

    const usage = await this.instances(ctx)
      .select('i.activity_definition_id', 'a')
      .addSelect('COUNT(DISTINCT g.id)', 'sessions')
      .addSelect(`MAX(${SESSION_AT})`, 'last_at')
      .groupBy('i.activity_definition_id')
      .getRawMany<{ a: string; sessions: unknown; last_at: unknown }>();
    const used = new Map(usage.map((u) => [u.a, { sessions: Number(u.sessions), lastAt: instant(u.last_at) }]));

    const latest = used.size === 0 ? [] : await this.data
      .repo(ActivityDefinition)
      .createQueryBuilder(ctx, 'a')
      .select('a.id', 'a')
      .addSelect(
        (sub) =>
          sub
            .select('i.id')
            .from(ActivityInstance, 'i')
            .innerJoin(Goal, 'g', LIVE_SESSION)
            .where('i.activity_definition_id = a.id')
            .andWhere('i.deleted_at IS NULL')
            .orderBy(SESSION_AT, 'DESC')
            .addOrderBy('i.created_at', 'DESC')
            .addOrderBy('i.id', 'DESC')
            .limit(1),
        'last_instance',
      )
      .andWhere('a.id IN (:...ids)', { ids: [...used.keys()] })
      .getRawMany<{ a: string; last_instance: string | null }>();
    const lastIds = latest.map((l) => l.last_instance).filter((x): x is string => !!x);
    const lastValues = lastIds.length
      ? await this.data.repo(MetricValue).find(ctx, { where: { activityInstanceId: In(lastIds) }, order: { setIndex: 'ASC' } })
      : [];
    const lastOf = new Map(latest.map((l) => [l.a, l.last_instance]));

    const extremes = await this.values(ctx)
      .select('i.activity_definition_id', 'a')
      .addSelect('v.metric_definition_id', 'm')
      .addSelect('MAX(v.value)', 'mx')
      .addSelect('MIN(v.value)', 'mn')
      .groupBy('i.activity_definition_id')
      .addGroupBy('v.metric_definition_id')
      .getRawMany<{ a: string; m: string; mx: unknown; mn: unknown }>();

    const since = new Date(now.getTime() - TREND_DAYS * 86400_000);
    const recent = await this.values(ctx)
      .select('v.metric_definition_id', 'm')
      .addSelect('g.id', 'sid')
      .addSelect(SESSION_AT, 'at')
      .addSelect('MAX(v.value)', 'mx')
      .addSelect('MIN(v.value)', 'mn')
      .andWhere('g.session_start >= :since', { since: timestampParam(ctx, since) })
      .groupBy('v.metric_definition_id')
      .addGroupBy('g.id')
      .addGroupBy('g.session_start')
      .addGroupBy('g.created_at')
      .getRawMany<{ m: string; sid: string; at: unknown; mx: unknown; mn: unknown }>();

    const metricById = new Map(metrics.map((m) => [m.id, m]));
    const order = (metricId: string) => metrics.indexOf(metricById.get(metricId)!);
    const best = (m: MetricDefinition | undefined, mx: unknown, mn: unknown) => Number(m && !m.higherIsBetter ? mn : mx);
    const views = activities.map((a): ActivityStatsView & { at: number } => {
      const u = used.get(a.id);
      const own = metrics.filter((m) => m.activityId === a.id);
      const lastInstance = lastOf.get(a.id);
      return {
        id: a.id,
        name: a.name,
        groupId: a.groupId,
        sessions: u?.sessions ?? 0,
        lastUsedAt: u?.lastAt.toISOString() ?? null,
        lastValues: lastValues
          .filter((v) => v.activityInstanceId === lastInstance)
          .map((v) => ({ metricId: v.metricDefinitionId, splitId: v.splitDefinitionId, setIndex: v.setIndex, value: v.value }))
          .sort((x, y) => x.setIndex - y.setIndex || order(x.metricId) - order(y.metricId)),
        personalBests: extremes
          .filter((e) => e.a === a.id)
          .map((e) => ({ metricId: e.m, higherIsBetter: metricById.get(e.m)?.higherIsBetter ?? true, value: best(metricById.get(e.m), e.mx, e.mn) })),
        trend: own.map((m) => trendOf(m, recent.filter((r) => r.m === m.id).map((r) => ({ at: instant(r.at).getTime(), value: best(m, r.mx, r.mn) })))).filter((t) => t.sessions > 0),
        at: u?.lastAt.getTime() ?? -Infinity,
      };
    });
    views.sort((x, y) => y.at - x.at || x.name.localeCompare(y.name));
    return views.map(({ at: _at, ...view }) => view);
  }

  private instances(ctx: RequestContext) {
    return this.data.repo(ActivityInstance).createQueryBuilder(ctx, 'i').innerJoin(Goal, 'g', LIVE_SESSION).andWhere('i.deleted_at IS NULL');
  }

  private values(ctx: RequestContext) {
    return this.instances(ctx).innerJoin(MetricValue, 'v', 'v.activity_instance_id = i.id AND v.deleted_at IS NULL');
  }
}

/** The metric over the last 30 days: its best per session, first and last of them, and the change. */
function trendOf(metric: MetricDefinition, sessions: { at: number; value: number }[]): MetricTrendView {
  sessions.sort((a, b) => a.at - b.at);
  const first = sessions[0]?.value ?? null;
  const last = sessions[sessions.length - 1]?.value ?? null;
  return { metricId: metric.id, sessions: sessions.length, first, last, change: first !== null && last !== null ? last - first : null };
}
