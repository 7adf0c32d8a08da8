import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { Goal } from '../goals/goal.entity';
import { PracticeSessionGoal } from '../goals/practice-session-goal.entity';
import { NotesService } from '../notes/notes.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';
import { ActivitySet } from './activity-set.entity';
import { compare, Extremes, Recorded } from './comparisons';
import { MetricValue } from './metric-value.entity';
import { MetricRules, rulesOf } from './metric-rules';
import { instanceNotFound, sessionNotFound } from './session-errors';
import { SessionSection } from './session-section.entity';
import { InstanceView, SectionView, SessionView, toSessionSummary, ValueView } from './session.view';
import { activeSeconds, timerState } from './timer';

export const PRACTICE_SESSION = 'PracticeSession';

/**
 * Reads sessions and instances, and builds their views. A view takes the same dozen queries
 * whatever the number of instances: the session, its goals, sections and instances, then for
 * all instances at once their activities, metrics, splits, sets and values, and their
 * comparisons (previous instances, their values, the earlier extremes).
 */
@Injectable()
export class SessionReader {
  constructor(
    private readonly data: TenantData,
    private readonly notes: NotesService,
  ) {}

  /** A live session of the root; `lock` holds its row until the request's transaction ends. */
  async session(ctx: RequestContext, id: string, lock = false): Promise<Goal> {
    const qb = this.data.repo(Goal).createQueryBuilder(ctx, 's').andWhere('s.id = :id AND s.type = :type', { id, type: PRACTICE_SESSION });
    const row = await (lock ? dialectOf(ctx.requireManager().connection).lockForUpdate(qb) : qb).getOne();
    if (!row) throw sessionNotFound();
    return row;
  }

  /** A live instance of the root; `lock` holds its row until the request's transaction ends. */
  async instance(ctx: RequestContext, id: string, lock = false): Promise<ActivityInstance> {
    const qb = this.data.repo(ActivityInstance).createQueryBuilder(ctx, 'i').andWhere('i.id = :id', { id });
    const row = await (lock ? dialectOf(ctx.requireManager().connection).lockForUpdate(qb) : qb).getOne();
    if (!row) throw instanceNotFound();
    return row;
  }

  /** The live instances of a session, in order. */
  instancesOf(ctx: RequestContext, sessionId: string): Promise<ActivityInstance[]> {
    return this.data.repo(ActivityInstance).find(ctx, { where: { practiceSessionId: sessionId }, order: { sortOrder: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  sectionsOf(ctx: RequestContext, sessionId: string): Promise<SessionSection[]> {
    return this.data.repo(SessionSection).find(ctx, { where: { sessionId }, order: { position: 'ASC' } });
  }

  /** The hot read: the session with its goals, sections and instances, each instance whole. */
  async view(ctx: RequestContext, session: Goal | string): Promise<SessionView> {
    const s = typeof session === 'string' ? await this.session(ctx, session) : session;
    const now = new Date();
    const goals = await this.data
      .repo(Goal)
      .createQueryBuilder(ctx, 'g')
      .innerJoin(PracticeSessionGoal, 'l', 'l.short_term_goal_id = g.id AND l.deleted_at IS NULL')
      .andWhere('l.practice_session_id = :id', { id: s.id })
      .orderBy('g.created_at', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .getMany();
    // Its parent in the tree first, then the other goals it serves in the tree's order.
    goals.sort((a, b) => Number(b.id === s.parentId) - Number(a.id === s.parentId));
    const immediate = await this.data.repo(Goal).find(ctx, { where: { parentId: s.id }, order: { sortOrder: 'ASC', createdAt: 'ASC', id: 'ASC' } });
    const sections = await this.sectionsOf(ctx, s.id);
    const instances = await this.views(ctx, await this.instancesOf(ctx, s.id), now);
    const sectionViews: SectionView[] = sections.map((x) => {
      const own = instances.filter((i) => i.sectionId === x.id);
      return {
        id: x.id,
        position: x.position,
        name: x.name,
        durationMinutes: x.durationMinutes,
        instanceIds: own.map((i) => i.id),
        activeSeconds: own.reduce((n, i) => n + i.activeSeconds, 0),
      };
    });
    return {
      ...toSessionSummary(s),
      goals: goals.map((g) => ({ id: g.id, type: g.type, name: g.name, completed: g.completed })),
      immediateGoals: immediate.map((g) => ({ id: g.id, name: g.name, description: g.description, completed: g.completed })),
      sections: sectionViews,
      instances,
      activeSeconds: instances.reduce((n, i) => n + i.activeSeconds, 0),
      noteCount: await this.notes.countOf(ctx, s.id),
    };
  }

  async instanceView(ctx: RequestContext, instance: ActivityInstance | string): Promise<InstanceView> {
    const i = typeof instance === 'string' ? await this.instance(ctx, instance) : instance;
    return (await this.views(ctx, [i], new Date()))[0];
  }

  /** Views of instances, all at once. */
  private async views(ctx: RequestContext, instances: ActivityInstance[], now: Date): Promise<InstanceView[]> {
    if (instances.length === 0) return [];
    const ids = instances.map((i) => i.id);
    const activityIds = [...new Set(instances.map((i) => i.activityDefinitionId))];
    const activities = await this.data.repo(ActivityDefinition).find(ctx, { where: { id: In(activityIds) }, withDeleted: true });
    const metrics = await this.data.repo(MetricDefinition).find(ctx, { where: { activityId: In(activityIds) }, withDeleted: true });
    const splits = await this.data.repo(SplitDefinition).find(ctx, { where: { activityId: In(activityIds) }, withDeleted: true });
    const sets = await this.data.repo(ActivitySet).find(ctx, { where: { activityInstanceId: In(ids) }, order: { position: 'ASC' } });
    const values = await this.data.repo(MetricValue).find(ctx, { where: { activityInstanceId: In(ids) } });
    const previous = await this.previousInstances(ctx, ids);
    const previousIds = [...new Set([...previous.values()].map((p) => p.id))];
    const previousValues = previousIds.length ? await this.data.repo(MetricValue).find(ctx, { where: { activityInstanceId: In(previousIds) } }) : [];
    const earlier = await this.earlierExtremes(ctx, ids);

    const activityById = new Map(activities.map((a) => [a.id, a]));
    const metricById = new Map(metrics.map((m) => [m.id, m]));
    const splitById = new Map(splits.map((x) => [x.id, x]));
    const rules = (metricId: string): MetricRules => {
      const m = metricById.get(metricId);
      return m ? rulesOf(m) : { min: null, max: null, higherIsBetter: true };
    };
    const metricOrder = (v: MetricValue) => metricById.get(v.metricDefinitionId)?.sortOrder ?? 0;
    const splitOrder = (v: MetricValue) => (v.splitDefinitionId ? (splitById.get(v.splitDefinitionId)?.order ?? 0) : -1);
    const valueView = (v: MetricValue): ValueView => {
      const m = metricById.get(v.metricDefinitionId);
      const x = v.splitDefinitionId ? splitById.get(v.splitDefinitionId) : undefined;
      return {
        id: v.id,
        metricId: v.metricDefinitionId,
        metricName: m?.name ?? '',
        unit: m?.unit ?? '',
        splitId: v.splitDefinitionId,
        splitName: x?.name ?? null,
        setIndex: v.setIndex,
        value: Number(v.value),
      };
    };
    const recorded = (list: MetricValue[]): Recorded[] => list.map((v) => ({ metricId: v.metricDefinitionId, splitId: v.splitDefinitionId, value: Number(v.value) }));
    const sorted = (list: MetricValue[]) =>
      [...list].sort((a, b) => a.setIndex - b.setIndex || metricOrder(a) - metricOrder(b) || splitOrder(a) - splitOrder(b) || a.id.localeCompare(b.id));

    return instances.map((i) => {
      const activity = activityById.get(i.activityDefinitionId);
      const hasSets = activity?.hasSets ?? false;
      const own = sorted(values.filter((v) => v.activityInstanceId === i.id));
      const ownSets = sets.filter((x) => x.activityInstanceId === i.id);
      // Sets are positions 0..n-1: rows carry their notes; values of adopted files may name a set without a row.
      const setCount = Math.max(0, ...ownSets.map((x) => x.position + 1), ...(hasSets ? own.map((v) => v.setIndex + 1) : []));
      const prev = previous.get(i.id);
      return {
        id: i.id,
        sessionId: i.practiceSessionId,
        activityId: i.activityDefinitionId,
        activityName: activity?.name ?? '',
        hasSets,
        sectionId: i.sectionId,
        position: i.sortOrder,
        notes: i.notes,
        completed: i.completed,
        timer: timerState(i),
        timeStart: i.timeStart,
        timeStop: i.timeStop,
        pausedAt: i.pausedAt,
        totalPausedSeconds: i.totalPausedSeconds ?? 0,
        durationSeconds: i.durationSeconds,
        activeSeconds: activeSeconds(i, now),
        sets: hasSets
          ? Array.from({ length: setCount }, (_, position) => ({
              position,
              notes: ownSets.find((x) => x.position === position)?.notes ?? null,
              values: own.filter((v) => v.setIndex === position).map(valueView),
            }))
          : [],
        values: hasSets ? [] : own.map(valueView),
        comparison: {
          previousInstanceId: prev?.id ?? null,
          previousSessionId: prev?.sessionId ?? null,
          previousAt: prev?.at ?? null,
          metrics: compare(
            recorded(own),
            prev ? recorded(previousValues.filter((v) => v.activityInstanceId === prev.id)) : [],
            earlier.get(i.id) ?? [],
            rules,
          ),
        },
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
        version: i.version,
      };
    });
  }

  /**
   * For each instance, the latest live instance of the same activity in another session,
   * added before it: one correlated sub-query, answered from the activity's index.
   */
  private async previousInstances(ctx: RequestContext, ids: string[]): Promise<Map<string, { id: string; sessionId: string; at: Date }>> {
    const rows: { id: string; previous_id: string | null }[] = await this.data
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'cur')
      .select('cur.id', 'id')
      .addSelect(
        (sub) =>
          sub
            .select('p.id')
            .from(ActivityInstance, 'p')
            .where('p.activity_definition_id = cur.activity_definition_id')
            .andWhere('p.practice_session_id <> cur.practice_session_id')
            .andWhere('p.created_at < cur.created_at')
            .orderBy('p.created_at', 'DESC')
            .addOrderBy('p.id', 'DESC')
            .limit(1),
        'previous_id',
      )
      .andWhere('cur.id IN (:...ids)', { ids })
      .getRawMany();
    const previousIds = [...new Set(rows.map((r) => r.previous_id).filter((x): x is string => !!x))];
    if (previousIds.length === 0) return new Map();
    const found = await this.data.repo(ActivityInstance).find(ctx, { where: { id: In(previousIds) } });
    const byId = new Map(found.map((p) => [p.id, { id: p.id, sessionId: p.practiceSessionId, at: p.timeStart ?? p.createdAt }]));
    const out = new Map<string, { id: string; sessionId: string; at: Date }>();
    for (const r of rows) {
      const p = r.previous_id ? byId.get(r.previous_id) : undefined;
      if (p) out.set(r.id, p);
    }
    return out;
  }

  /** For each instance, the extremes of every value of its activity recorded earlier in other sessions. */
  private async earlierExtremes(ctx: RequestContext, ids: string[]): Promise<Map<string, Extremes[]>> {
    const rows: { instance_id: string; metric_id: string; split_id: string | null; max: unknown; min: unknown }[] = await this.data
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'cur')
      .innerJoin(
        ActivityInstance,
        'p',
        'p.activity_definition_id = cur.activity_definition_id AND p.practice_session_id <> cur.practice_session_id AND p.created_at < cur.created_at AND p.deleted_at IS NULL',
      )
      .innerJoin(MetricValue, 'v', 'v.activity_instance_id = p.id AND v.deleted_at IS NULL')
      .select('cur.id', 'instance_id')
      .addSelect('v.metric_definition_id', 'metric_id')
      .addSelect('v.split_definition_id', 'split_id')
      .addSelect('MAX(v.value)', 'max')
      .addSelect('MIN(v.value)', 'min')
      .andWhere('cur.id IN (:...ids)', { ids })
      .groupBy('cur.id')
      .addGroupBy('v.metric_definition_id')
      .addGroupBy('v.split_definition_id')
      .getRawMany();
    const out = new Map<string, Extremes[]>();
    for (const r of rows) {
      const list = out.get(r.instance_id) ?? [];
      list.push({ metricId: r.metric_id, splitId: r.split_id, max: Number(r.max), min: Number(r.min) });
      out.set(r.instance_id, list);
    }
    return out;
  }
}
