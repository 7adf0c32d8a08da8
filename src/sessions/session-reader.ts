import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { Goal } from '../goals/goal.entity';
import { NotesService } from '../notes/notes.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';
import { compare, Recorded } from './comparisons';
import { MetricRules } from './metric-rules';
import { instanceNotFound, sessionNotFound } from './session-errors';
import { SessionSection } from './session-section.entity';
import { InstanceRow, SessionRows, ValueRow } from './session-rows';
import { InstanceView, SectionView, SessionRow, SessionView, toSessionSummary, ValueView } from './session.view';
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
  async view(ctx: RequestContext, session: SessionRow | string): Promise<SessionView> {
    const rows = new SessionRows(ctx);
    const s = typeof session === 'string' ? await rows.session(session) : session;
    if (!s) throw sessionNotFound();
    const now = new Date();
    const goals = await rows.linkedGoals(s.id);
    // Its parent in the tree first, then the other goals it serves in the tree's order.
    goals.sort((a, b) => Number(b.id === s.parentId) - Number(a.id === s.parentId));
    const immediate = await rows.immediateGoals(s.id);
    const sections = await rows.sections(s.id);
    const instances = await this.views(rows, await rows.instances(s.id), now);
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
      goals,
      immediateGoals: immediate,
      sections: sectionViews,
      instances,
      activeSeconds: instances.reduce((n, i) => n + i.activeSeconds, 0),
      noteCount: await this.notes.countOf(ctx, s.id),
    };
  }

  async instanceView(ctx: RequestContext, instance: InstanceRow | string): Promise<InstanceView> {
    const i = typeof instance === 'string' ? await this.instance(ctx, instance) : instance;
    return (await this.views(new SessionRows(ctx), [i], new Date()))[0];
  }

  /** Views of instances, all at once. */
  private async views(rows: SessionRows, instances: InstanceRow[], now: Date): Promise<InstanceView[]> {
    if (instances.length === 0) return [];
    const ids = instances.map((i) => i.id);
    const activityIds = [...new Set(instances.map((i) => i.activityDefinitionId))];
    const activities = await rows.activities(activityIds);
    const metrics = await rows.metrics(activityIds);
    const splits = await rows.splits(activityIds);
    const sets = await rows.sets(ids);
    const values = await rows.values(ids);
    const previous = await rows.previous(ids);
    const previousValues = await rows.values([...new Set([...previous.values()].map((p) => p.id))]);
    const earlier = await rows.earlierExtremes(previous);

    const activityById = new Map(activities.map((a) => [a.id, a]));
    const metricById = new Map(metrics.map((m) => [m.id, m]));
    const splitById = new Map(splits.map((x) => [x.id, x]));
    const rules = (metricId: string): MetricRules => metricById.get(metricId)?.rules ?? { min: null, max: null, higherIsBetter: true };
    const metricOrder = (v: ValueRow) => metricById.get(v.metricDefinitionId)?.sortOrder ?? 0;
    const splitOrder = (v: ValueRow) => (v.splitDefinitionId ? (splitById.get(v.splitDefinitionId)?.order ?? 0) : -1);
    const valueView = (v: ValueRow): ValueView => {
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
    const recorded = (list: ValueRow[]): Recorded[] => list.map((v) => ({ metricId: v.metricDefinitionId, splitId: v.splitDefinitionId, value: Number(v.value) }));
    const sorted = (list: ValueRow[]) =>
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
}
