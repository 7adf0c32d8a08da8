import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { Page, PageQuery, paginate } from '../http/pagination';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { live, tenantSql } from '../tenancy/tenant-sql';
import { Changes } from './changes';
import { CompletionService } from './completion.service';
import { ConditionInput, CreateTargetDto, UpdateTargetDto } from './dto/target.dto';
import { Goal } from './goal.entity';
import { badField, goalNotFound, unknownId } from './goal-errors';
import { chunks, GoalReader } from './goal-reader';
import { GoalTarget, TargetKind } from './goal-target.entity';
import { GoalTree } from './goal-tree';
import { PracticeSessionGoal } from './practice-session-goal.entity';
import { SessionContent } from './session-content';
import { TargetCondition } from './target-condition.entity';
import { evaluateTarget } from './target-evaluation';
import { evidenceOf, PracticeCache } from './target-evidence';

/** Whether the root has a live target: the hot write's question, one row at most, as a lean statement. */
const HAS_TARGETS = tenantSql`SELECT 1 AS x FROM ${live(GoalTarget, 't')} LIMIT 1`;

const TARGET_NOT_FOUND = 'Target not found';

/** A date column as YYYY-MM-DD, whatever the driver hands back. */
const day = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

export function toTargetView(target: GoalTarget, conditions: TargetCondition[]) {
  return {
    id: target.id,
    goalId: target.goalId,
    name: target.name,
    activityId: target.activityId,
    kind: target.kind,
    conditions: conditions
      .filter((c) => c.targetId === target.id)
      .sort((a, b) => a.sortOrder - b.sortOrder)
      .map((c) => ({ id: c.id, metricId: c.metricId, operator: c.comparison, value: Number(c.value) })),
    count: target.sessionCount,
    periodDays: target.periodDays,
    from: day(target.startsOn),
    to: day(target.endsOn),
    met: target.met,
    metAt: target.metAt,
    metBySessionId: target.metBySessionId,
    metByInstanceId: target.metByInstanceId,
    createdAt: target.createdAt,
    updatedAt: target.updatedAt,
    version: target.version,
  };
}
export type TargetView = ReturnType<typeof toTargetView>;

interface TargetFields {
  name: string | null;
  activityId: string;
  kind: TargetKind;
  conditions: ConditionInput[];
  count: number | null;
  periodDays: number | null;
  from: string | null;
  to: string | null;
}

/**
 * Targets as rows, and their evaluation. A target counts only practice linked to its goal:
 * sessions below it, sessions linked to it or to a goal below it, and the session it hangs
 * under (an ImmediateGoal's). Practice while the goal was paused, or after it was completed,
 * does not count. Evaluation recomputes a target from that practice, so that an edited or
 * deleted value un-meets what it had met, then runs the completion cascades.
 */
@Injectable()
export class TargetsService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly reader: GoalReader,
    private readonly completion: CompletionService,
    private readonly content: SessionContent,
  ) {}

  private get targets() {
    return this.tenantData.repo(GoalTarget);
  }

  private get conditions() {
    return this.tenantData.repo(TargetCondition);
  }

  async list(ctx: RequestContext, goalId: string, page: PageQuery): Promise<Page<TargetView>> {
    await this.reader.live(ctx, goalId);
    const result = await paginate(this.targets.createQueryBuilder(ctx, 'target').andWhere('target.goal_id = :goalId', { goalId }), 'target', page);
    const conditions = await this.conditionsOf(ctx, result.items.map((t) => t.id));
    return { items: result.items.map((t) => toTargetView(t, conditions)), nextCursor: result.nextCursor };
  }

  /** A goal's live targets with their conditions, oldest first (for a goal's detail). */
  async ofGoal(ctx: RequestContext, goalId: string): Promise<TargetView[]> {
    const targets = await this.targets.find(ctx, { where: { goalId }, order: { sortOrder: 'ASC', createdAt: 'ASC', id: 'ASC' } });
    const conditions = await this.conditionsOf(ctx, targets.map((t) => t.id));
    return targets.map((t) => toTargetView(t, conditions));
  }

  async create(ctx: RequestContext, goalId: string, dto: CreateTargetDto) {
    const goal = await this.reader.live(ctx, goalId);
    const fields = await this.checked(ctx, {
      name: dto.name ?? null,
      activityId: dto.activityId,
      kind: dto.kind,
      conditions: dto.conditions,
      count: dto.count ?? null,
      periodDays: dto.periodDays ?? null,
      from: dto.from ?? null,
      to: dto.to ?? null,
    });
    const sortOrder = await this.targets.count(ctx, { goalId: goal.id });
    const target = await this.targets.insert(ctx, { goalId: goal.id, sortOrder, ...this.columns(fields) });
    await this.insertConditions(ctx, target.id, fields.conditions);
    const changes = await this.evaluateGoals(ctx, [goal.id], {});
    return { ...(await this.view(ctx, target.id)), changed: changes.view() };
  }

  async update(ctx: RequestContext, goalId: string, targetId: string, dto: UpdateTargetDto) {
    const target = await this.owned(ctx, goalId, targetId);
    const current = await this.conditions.find(ctx, { where: { targetId: target.id }, order: { sortOrder: 'ASC' } });
    const pick = <K extends keyof UpdateTargetDto, V>(key: K, fallback: V) => (dto[key] === undefined ? fallback : dto[key]);
    const fields = await this.checked(ctx, {
      name: pick('name', target.name) as string | null,
      activityId: pick('activityId', target.activityId) as string,
      kind: pick('kind', target.kind) as TargetKind,
      conditions: (dto.conditions ?? current.map((c) => ({ metricId: c.metricId, operator: c.comparison, value: Number(c.value) }))) as ConditionInput[],
      count: pick('count', target.sessionCount) as number | null,
      periodDays: pick('periodDays', target.periodDays) as number | null,
      from: pick('from', day(target.startsOn)) as string | null,
      to: pick('to', day(target.endsOn)) as string | null,
    }, dto.conditions === undefined && dto.activityId !== undefined ? 'activityId' : undefined);
    await this.targets.update(ctx, { id: target.id }, this.columns(fields));
    if (dto.conditions !== undefined) {
      await this.conditions.softDelete(ctx, current.map((c) => c.id));
      await this.insertConditions(ctx, target.id, fields.conditions);
    }
    const changes = await this.evaluateGoals(ctx, [goalId], {});
    return { ...(await this.view(ctx, target.id)), changed: changes.view() };
  }

  async remove(ctx: RequestContext, goalId: string, targetId: string) {
    const target = await this.owned(ctx, goalId, targetId);
    const deletionId = randomUUID();
    const conditions = await this.conditions.find(ctx, { where: { targetId: target.id } });
    await this.conditions.softDelete(ctx, conditions.map((c) => c.id), deletionId);
    await this.targets.softDelete(ctx, [target.id], deletionId);
    const changes = new Changes();
    // The goal's remaining targets may all be met now.
    await this.completion.cascade(ctx, await this.reader.tree(ctx), [goalId], changes, {});
    return { id: target.id, changed: changes.view() };
  }

  async evaluate(ctx: RequestContext, goalId: string) {
    await this.reader.live(ctx, goalId);
    const changes = await this.evaluateGoals(ctx, [goalId], {});
    return { targets: await this.ofGoal(ctx, goalId), changed: changes.view() };
  }

  /**
   * For the practice side: after a session completes, or an instance's metric values change,
   * re-evaluates every target that the session's practice counts for (its ancestors, the goals
   * it is linked to and theirs, the goals below it), then the cascades, in the caller's
   * transaction. Returns what changed.
   */
  async evaluateForSession(ctx: RequestContext, sessionId: string) {
    const tree = await this.reader.tree(ctx);
    const session = tree.get(sessionId);
    if (!session || session.type !== 'PracticeSession') throw goalNotFound();
    const links = await this.tenantData.repo(PracticeSessionGoal).find(ctx, { where: { practiceSessionId: sessionId } });
    const goals = new Set<string>();
    for (const id of [sessionId, ...links.map((l) => l.shortTermGoalId)]) {
      for (const g of [...tree.ancestorsOf(id), ...(tree.get(id) ? [tree.get(id)!] : [])]) goals.add(g.id);
    }
    for (const g of tree.subtreeOf(sessionId)) goals.add(g.id);
    return (await this.evaluateGoals(ctx, [...goals], { sessionId }, tree)).view();
  }

  /**
   * After an instance's values or sets changed: only targets can change (completions through
   * children do not depend on values), so a root without live targets answers at once, without
   * reading its tree: the hot write of most roots.
   */
  async evaluateForValues(ctx: RequestContext, sessionId: string) {
    if ((await HAS_TARGETS.run(ctx)).length === 0) return new Changes().view();
    return this.evaluateForSession(ctx, sessionId);
  }

  /** After the tree's shape or its practice changed: the targets of these goals re-evaluated, then the cascades. */
  async reevaluate(ctx: RequestContext, goalIds: (string | null)[]): Promise<Changes> {
    return this.evaluateGoals(ctx, [...new Set(goalIds.filter((id): id is string => id !== null))], {});
  }

  /**
   * Recomputes the targets of the given goals from their practice, writes what changed, and
   * runs the cascades from those goals.
   */
  async evaluateGoals(ctx: RequestContext, goalIds: string[], trigger: { sessionId?: string }, known?: GoalTree<Goal>, changes = new Changes()): Promise<Changes> {
    const tree = known ?? (await this.reader.tree(ctx));
    const targets: GoalTarget[] = [];
    for (const chunk of chunks(goalIds)) targets.push(...(await this.targets.find(ctx, { where: { goalId: In(chunk) } })));
    const lifted = new Set<string>();
    if (targets.length > 0) {
      const conditions = await this.conditionsOf(ctx, targets.map((t) => t.id));
      const evidence = await evidenceOf(this.tenantData, ctx, tree, [...new Set(targets.map((t) => t.goalId))]);
      const practice = new PracticeCache(this.content, ctx, tree);
      const now = new Date();
      for (const target of targets) {
        const own = conditions.filter((c) => c.targetId === target.id);
        const counted = (await practice.of(target.activityId, own.map((c) => c.metricId))).filter((p) => evidence.counts(target.goalId, p));
        const outcome = evaluateTarget(
          { kind: target.kind, sessionCount: target.sessionCount, periodDays: target.periodDays, startsOn: day(target.startsOn), endsOn: day(target.endsOn) },
          own.map((c) => ({ metricId: c.metricId, comparison: c.comparison, value: Number(c.value) })),
          counted,
        );
        if (outcome.met === target.met && outcome.sessionId === target.metBySessionId && outcome.instanceId === target.metByInstanceId) continue;
        const flipped = outcome.met !== target.met;
        Object.assign(target, {
          met: outcome.met,
          metAt: outcome.met ? (flipped ? now : target.metAt) : null,
          metBySessionId: outcome.sessionId,
          metByInstanceId: outcome.instanceId,
        });
        await this.targets.update(ctx, { id: target.id }, { met: target.met, metAt: target.metAt, metBySessionId: target.metBySessionId, metByInstanceId: target.metByInstanceId });
        if (flipped) {
          changes.target(target, outcome.met ? 'met' : 'unmet');
          if (outcome.met) lifted.add(target.goalId);
        }
      }
    }
    await this.completion.cascade(ctx, tree, goalIds, changes, { sessionId: trigger.sessionId ?? null, lifted });
    return changes;
  }

  /** Validates a target's fields together; `activityField` names the field when only the activity changed. */
  private async checked(ctx: RequestContext, f: TargetFields, activityField?: string): Promise<TargetFields> {
    const activity = await this.tenantData.repo(ActivityDefinition).findById(ctx, f.activityId);
    if (!activity) throw unknownId('activityId', 'activity');
    const metricIds = [...new Set(f.conditions.map((c) => c.metricId))];
    const metrics = metricIds.length ? await this.tenantData.repo(MetricDefinition).find(ctx, { where: { id: In(metricIds) } }) : [];
    f.conditions.forEach((c, i) => {
      const metric = metrics.find((m) => m.id === c.metricId);
      if (!metric) throw unknownId(`conditions.${i}.metricId`, 'metric');
      if (metric.activityId !== activity.id) {
        throw badField(activityField ?? `conditions.${i}.metricId`, `metric ${metric.id} is not a metric of activity ${activity.id}`);
      }
    });
    if (f.kind !== 'frequency' && f.conditions.length === 0) throw badField('conditions', `a ${f.kind} target needs at least one condition`);
    if (f.kind === 'frequency') {
      if (f.count === null) throw badField('count', 'a frequency target needs count');
      if (f.periodDays === null) throw badField('periodDays', 'a frequency target needs periodDays');
    } else {
      if (f.count !== null) throw badField('count', 'count is for frequency targets only');
      if (f.periodDays !== null) throw badField('periodDays', 'periodDays is for frequency targets only');
    }
    if (f.from !== null && f.to !== null && f.to < f.from) throw badField('to', 'to must not be before from');
    return f;
  }

  private columns(f: TargetFields): Partial<GoalTarget> {
    return { name: f.name, activityId: f.activityId, kind: f.kind, sessionCount: f.count, periodDays: f.periodDays, startsOn: f.from, endsOn: f.to };
  }

  private async insertConditions(ctx: RequestContext, targetId: string, conditions: ConditionInput[]): Promise<void> {
    if (conditions.length === 0) return;
    await this.conditions.insert(ctx, conditions.map((c, i) => ({ targetId, metricId: c.metricId, comparison: c.operator, value: c.value, sortOrder: i })));
  }

  private async owned(ctx: RequestContext, goalId: string, targetId: string): Promise<GoalTarget> {
    await this.reader.live(ctx, goalId);
    const target = await this.targets.findOne(ctx, { id: targetId, goalId });
    if (!target) throw new NotFoundException(TARGET_NOT_FOUND);
    return target;
  }

  private async view(ctx: RequestContext, targetId: string): Promise<TargetView> {
    const target = await this.targets.findById(ctx, targetId);
    return toTargetView(target!, await this.conditionsOf(ctx, [targetId]));
  }

  private async conditionsOf(ctx: RequestContext, targetIds: string[]): Promise<TargetCondition[]> {
    const out: TargetCondition[] = [];
    for (const chunk of chunks(targetIds)) out.push(...(await this.conditions.find(ctx, { where: { targetId: In(chunk) } })));
    return out;
  }
}
