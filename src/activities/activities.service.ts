import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { isId } from '../http/ids';
import { Page, PageQuery, paginate } from '../http/pagination';
import { NotesService } from '../notes/notes.service';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityDefinition } from './activity-definition.entity';
import { ActivityGroup } from './activity-group.entity';
import { ActivityGroupsService } from './activity-groups.service';
import { HistoryEntryView } from './activity-history.view';
import { ActivityView, toActivityView } from './activity.view';
import { reconcileParts } from './definition-parts';
import { ActivityListQuery, CreateActivityDto, MetricDto, NewMetricDto, SplitDto, UpdateActivityDto } from './dto/activity.dto';
import { GoalActivity } from './goal-activity.entity';
import { MetricDefinition } from './metric-definition.entity';
import { PracticeRecords } from './practice-records';
import { conflict, invalid, missingReference, notFound } from './references';
import { SplitDefinition } from './split-definition.entity';

/** What a metric item of a body makes of its row: every column for a new one, the sent ones for a kept one. */
function metricColumns(item: NewMetricDto, position: number, row?: MetricDefinition): Partial<MetricDefinition> {
  const keep = <T>(value: T | undefined, current: T | undefined, fallback: T) => (value !== undefined ? value : (current ?? fallback));
  return {
    name: item.name,
    unit: item.unit,
    sortOrder: position,
    isTopSetMetric: keep(item.isTopSetMetric, row?.isTopSetMetric, false),
    isMultiplicative: keep(item.isMultiplicative, row?.isMultiplicative, true),
    higherIsBetter: keep(item.higherIsBetter, row?.higherIsBetter, true),
    minValue: keep(item.min, row?.minValue, null),
    maxValue: keep(item.max, row?.maxValue, null),
  };
}

const splitColumns = (item: { name: string }, position: number): Partial<SplitDefinition> => ({ name: item.name, order: position });

@Injectable()
export class ActivitiesService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly groups: ActivityGroupsService,
    private readonly records: PracticeRecords,
    private readonly notes: NotesService,
  ) {}

  private get activities() {
    return this.tenantData.repo(ActivityDefinition);
  }

  private get metrics() {
    return this.tenantData.repo(MetricDefinition);
  }

  private get splits() {
    return this.tenantData.repo(SplitDefinition);
  }

  async list(ctx: RequestContext, query: ActivityListQuery): Promise<Page<ActivityView>> {
    const qb = this.activities.createQueryBuilder(ctx, 'a');
    if (query.groupId) qb.andWhere('a.group_id = :groupId', { groupId: query.groupId });
    const page = await paginate(qb, 'a', query);
    return { items: await this.views(ctx, page.items), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<ActivityView> {
    const [view] = await this.views(ctx, [await this.load(ctx, id)]);
    return view;
  }

  async create(ctx: RequestContext, dto: CreateActivityDto): Promise<ActivityView> {
    const metrics = dto.metrics ?? [];
    const splits = dto.splits ?? [];
    await this.checkName(ctx, dto.name);
    if (dto.groupId) await this.groups.reference(ctx, dto.groupId, 'groupId');
    const flags = {
      hasSets: dto.hasSets ?? false,
      hasMetrics: dto.hasMetrics ?? metrics.length > 0,
      metricsMultiplicative: dto.metricsMultiplicative ?? false,
      hasSplits: dto.hasSplits ?? splits.length > 0,
    };
    const finalMetrics = metrics.map((m, i) => metricColumns(m, i));
    checkMetrics(finalMetrics);
    checkFlags(flags, finalMetrics.length, splits.length, {
      hasMetrics: dto.hasMetrics !== undefined,
      hasSplits: dto.hasSplits !== undefined,
      metrics: true,
      splits: true,
    });
    checkUniqueNames('metrics', metrics);
    checkUniqueNames('splits', splits);
    const activity = await this.activities.insert(ctx, { name: dto.name, description: dto.description ?? null, groupId: dto.groupId ?? null, ...flags });
    if (finalMetrics.length > 0) await this.metrics.insert(ctx, finalMetrics.map((m) => ({ ...m, activityId: activity.id, isActive: true })));
    if (splits.length > 0) await this.splits.insert(ctx, splits.map((s, i) => ({ ...splitColumns(s, i), activityId: activity.id, isActive: true })));
    return this.get(ctx, activity.id);
  }

  /**
   * Changes fields and flags, and reconciles metrics and splits by id (see reconcileParts).
   * Every check runs before the first write; the request's transaction covers the rest.
   */
  async update(ctx: RequestContext, id: string, dto: UpdateActivityDto): Promise<ActivityView> {
    const activity = await this.load(ctx, id);
    const patch: Partial<ActivityDefinition> = {};
    if (dto.name !== undefined && dto.name !== activity.name) {
      await this.checkName(ctx, dto.name);
      patch.name = dto.name;
    }
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.groupId !== undefined && dto.groupId !== activity.groupId) {
      if (dto.groupId !== null) await this.groups.reference(ctx, dto.groupId, 'groupId');
      patch.groupId = dto.groupId;
    }
    for (const flag of ['hasSets', 'hasMetrics', 'metricsMultiplicative', 'hasSplits'] as const) {
      if (dto[flag] !== undefined) patch[flag] = dto[flag];
    }
    const [metrics, splits] = await Promise.all([this.metricsOf(ctx, [id]), this.splitsOf(ctx, [id])]);
    const flags = { ...activity, ...patch };
    const activeMetrics = dto.metrics ?? metrics.filter((m) => m.isActive);
    const activeSplits = dto.splits ?? splits.filter((s) => s.isActive);
    if (dto.metrics) {
      const byId = new Map(metrics.map((m) => [m.id, m]));
      checkMetrics(dto.metrics.map((m: MetricDto, i) => metricColumns(m, i, m.id ? byId.get(m.id) : undefined)));
      checkUniqueNames('metrics', dto.metrics);
    }
    if (dto.splits) checkUniqueNames('splits', dto.splits);
    checkFlags(flags, activeMetrics.length, activeSplits.length, {
      hasMetrics: dto.hasMetrics !== undefined,
      hasSplits: dto.hasSplits !== undefined,
      metrics: dto.metrics !== undefined,
      splits: dto.splits !== undefined,
    });

    const deletionId = randomUUID();
    if (dto.metrics) {
      await reconcileParts(ctx, {
        field: 'metrics',
        what: 'Metric',
        repo: this.metrics,
        activityId: id,
        current: metrics,
        desired: dto.metrics,
        columns: metricColumns,
        withValues: (ids) => this.records.metricsWithValues(ctx, ids),
        deletionId,
      });
    }
    if (dto.splits) {
      await reconcileParts(ctx, {
        field: 'splits',
        what: 'Split',
        repo: this.splits,
        activityId: id,
        current: splits,
        desired: dto.splits as SplitDto[],
        columns: splitColumns,
        withValues: async (ids) => {
          const everyMetric = await this.metrics.find(ctx, { where: { activityId: id }, withDeleted: true });
          return this.records.splitsWithValues(ctx, everyMetric.map((m) => m.id), ids);
        },
        deletionId,
      });
    }
    // Every PATCH moves the version, even one that only touched metrics or splits.
    await this.activities.update(ctx, { id }, Object.keys(patch).length > 0 ? patch : { name: activity.name });
    return this.get(ctx, id);
  }

  /**
   * Soft-deletes the activity with its goal links, under one deletion. Its metrics, splits,
   * instances and values stay as they are: sessions keep showing what was practised.
   */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.load(ctx, id);
    const deletionId = randomUUID();
    const links = await this.tenantData.repo(GoalActivity).find(ctx, { where: { activityId: id } });
    await this.tenantData.repo(GoalActivity).softDelete(ctx, links.map((l) => l.id), deletionId);
    await this.notes.take(ctx, [id], deletionId);
    await this.activities.softDelete(ctx, [id], deletionId);
  }

  /**
   * Brings back what remove() took (the activity and its goal links), for the trash. 409 when
   * it is not deleted, when its group is deleted (restore that first), or its name is taken.
   */
  async restore(ctx: RequestContext, id: string): Promise<{ activity: ActivityView; restored: Record<string, number> }> {
    const activity = isId(id) ? await this.activities.findById(ctx, id, true) : null;
    if (!activity) throw notFound('Activity');
    if (!activity.deletedAt || !activity.deletionId) throw conflict('activityId', 'This activity is not deleted.');
    if (activity.groupId && !(await this.tenantData.repo(ActivityGroup).findById(ctx, activity.groupId))) {
      throw conflict('groupId', `Its group ${activity.groupId} is deleted: restore the group first.`);
    }
    await this.checkName(ctx, activity.name);
    const restored = {
      activityDefinitions: await this.activities.restore(ctx, activity.deletionId),
      goalActivities: await this.tenantData.repo(GoalActivity).restore(ctx, activity.deletionId),
    };
    return { activity: await this.get(ctx, id), restored };
  }

  /** Its instances, newest first, with their sessions and values (answered by src/sessions). */
  async history(ctx: RequestContext, id: string, page: PageQuery): Promise<Page<HistoryEntryView>> {
    await this.load(ctx, id);
    return this.records.history(ctx, id, page);
  }

  /** Live activities of this root named in a body field (`field.i` on a miss), in the order asked. */
  async references(ctx: RequestContext, ids: string[], field: (index: number) => string): Promise<ActivityDefinition[]> {
    const unique = [...new Set(ids)];
    const found = unique.length > 0 ? await this.activities.find(ctx, { where: { id: In(unique) } }) : [];
    const byId = new Map(found.map((a) => [a.id, a]));
    return ids.map((id, i) => {
      const activity = byId.get(id);
      if (!activity) throw missingReference(field(i), 'Activity');
      return activity;
    });
  }

  /** Activities with their metrics, splits and note counts, in four queries whatever their number. */
  async views(ctx: RequestContext, activities: ActivityDefinition[]): Promise<ActivityView[]> {
    const ids = activities.map((a) => a.id);
    const [metrics, splits] = await Promise.all([this.metricsOf(ctx, ids), this.splitsOf(ctx, ids)]);
    const notes = await this.notes.counts(ctx, ids);
    return activities.map((a) =>
      toActivityView(
        a,
        metrics.filter((m) => m.activityId === a.id),
        splits.filter((s) => s.activityId === a.id),
        notes.get(a.id) ?? 0,
      ),
    );
  }

  async load(ctx: RequestContext, id: string): Promise<ActivityDefinition> {
    const activity = isId(id) ? await this.activities.findById(ctx, id) : null;
    if (!activity) throw notFound('Activity');
    return activity;
  }

  private async metricsOf(ctx: RequestContext, activityIds: string[]): Promise<MetricDefinition[]> {
    return activityIds.length === 0 ? [] : this.metrics.find(ctx, { where: { activityId: In(activityIds) } });
  }

  private async splitsOf(ctx: RequestContext, activityIds: string[]): Promise<SplitDefinition[]> {
    return activityIds.length === 0 ? [] : this.splits.find(ctx, { where: { activityId: In(activityIds) } });
  }

  private async checkName(ctx: RequestContext, name: string): Promise<void> {
    if (await this.activities.findOne(ctx, { name })) throw conflict('name', `This root already has an activity named "${name}".`);
  }
}

function checkUniqueNames(field: string, items: { name: string }[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) throw invalid(`${field}.${i}.name`, `${field} names "${item.name}" twice`);
    seen.add(item.name);
  });
}

/** Bounds in order, and at most one metric that picks the best set. */
function checkMetrics(metrics: Partial<MetricDefinition>[]): void {
  let topSet = -1;
  metrics.forEach((m, i) => {
    if (m.minValue != null && m.maxValue != null && m.minValue > m.maxValue) throw invalid(`metrics.${i}.max`, 'max must be at least min');
    if (m.isTopSetMetric) {
      if (topSet >= 0) throw invalid(`metrics.${i}.isTopSetMetric`, `metrics.${topSet} already picks the best set; only one metric may`);
      topSet = i;
    }
  });
}

/**
 * hasMetrics and hasSplits agree with the lists, checked when the request touches either side
 * (adopted activities may say has_splits without splits; a PATCH of their name must still work).
 */
function checkFlags(
  flags: { hasMetrics: boolean; hasSplits: boolean },
  metricCount: number,
  splitCount: number,
  sentFields: { hasMetrics: boolean; hasSplits: boolean; metrics: boolean; splits: boolean },
): void {
  const pairs = [
    { flag: 'hasMetrics', list: 'metrics', on: flags.hasMetrics, count: metricCount },
    { flag: 'hasSplits', list: 'splits', on: flags.hasSplits, count: splitCount },
  ] as const;
  for (const p of pairs) {
    const touched = sentFields[p.flag] || sentFields[p.list];
    if (!touched) continue;
    const field = sentFields[p.flag] ? p.flag : p.list;
    if (p.on && p.count === 0) throw invalid(field, `${p.flag} is true, so ${p.list} needs at least one item`);
    if (!p.on && p.count > 0) throw invalid(field, `${p.flag} is false, so ${p.list} must be empty`);
  }
}
