import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { Goal } from './goal.entity';
import { GoalPause } from './goal-pause.entity';
import { chunks } from './goal-reader';
import { GoalTree } from './goal-tree';
import { PracticeSessionGoal } from './practice-session-goal.entity';
import { InstanceEvidence, SessionContent, ValueEvidence } from './session-content';
import { Practice } from './target-evaluation';

/**
 * Which practice counts for each goal: the sessions below it, the sessions linked to it or to a
 * goal below it, the session it hangs under; not while it was paused, not after it was completed.
 */
export async function evidenceOf(tenantData: TenantData, ctx: RequestContext, tree: GoalTree<Goal>, goalIds: string[]) {
  const links = await tenantData.repo(PracticeSessionGoal).find(ctx, {});
  const linkedTo = new Map<string, string[]>();
  for (const l of links) linkedTo.set(l.shortTermGoalId, [...(linkedTo.get(l.shortTermGoalId) ?? []), l.practiceSessionId]);
  const pauses: GoalPause[] = [];
  for (const chunk of chunks(goalIds)) pauses.push(...(await tenantData.repo(GoalPause).find(ctx, { where: { goalId: In(chunk) } })));
  const sessions = new Map<string, Set<string>>();
  for (const goalId of goalIds) {
    const own = new Set<string>();
    for (const g of tree.subtreeOf(goalId)) {
      if (g.type === 'PracticeSession') own.add(g.id);
      for (const s of linkedTo.get(g.id) ?? []) if (tree.get(s)) own.add(s);
    }
    const enclosing = tree.ancestorsOf(goalId).find((a) => a.type === 'PracticeSession');
    if (enclosing) own.add(enclosing.id);
    sessions.set(goalId, own);
  }
  return {
    counts: (goalId: string, p: Practice): boolean => {
      if (!sessions.get(goalId)?.has(p.sessionId)) return false;
      const goal = tree.get(goalId)!;
      const at = p.at.getTime();
      if (goal.completed && goal.completedAt && at > goal.completedAt.getTime()) return false;
      return !pauses.some((x) => x.goalId === goalId && at >= x.pausedAt.getTime() && (x.resumedAt === null || at < x.resumedAt.getTime()));
    },
  };
}

/**
 * The practice of an activity in the root, read once per request and activity: its live
 * instances (by activity_definition_id) and their live values of the metrics asked for (by
 * root_id and metric_definition_id), each instance at its start, else its session's.
 */
export class PracticeCache {
  private readonly instances = new Map<string, Promise<InstanceEvidence[]>>();
  private readonly values = new Map<string, Promise<ValueEvidence[]>>();

  constructor(
    private readonly content: SessionContent,
    private readonly ctx: RequestContext,
    private readonly tree: GoalTree<Goal>,
  ) {}

  async of(activityId: string, metricIds: string[]): Promise<Practice[]> {
    const instances = await this.instancesOf(activityId);
    const values = (await Promise.all([...new Set(metricIds)].map((m) => this.valuesOf(m)))).flat();
    const sessionAt = (id: string) => {
      const s = this.tree.get(id);
      return s?.type === 'PracticeSession' ? (s.sessionStart ?? s.createdAt) : undefined;
    };
    const byInstance = new Map<string, Map<string, number[]>>();
    for (const v of values) {
      const metrics = byInstance.get(v.activityInstanceId) ?? new Map<string, number[]>();
      metrics.set(v.metricDefinitionId, [...(metrics.get(v.metricDefinitionId) ?? []), Number(v.value)]);
      byInstance.set(v.activityInstanceId, metrics);
    }
    return instances
      .filter((i) => sessionAt(i.practiceSessionId) !== undefined)
      .map((i) => ({
        instanceId: i.id,
        sessionId: i.practiceSessionId,
        at: i.timeStart ?? sessionAt(i.practiceSessionId)!,
        values: byInstance.get(i.id) ?? new Map(),
      }));
  }

  private instancesOf(activityId: string): Promise<InstanceEvidence[]> {
    let p = this.instances.get(activityId);
    if (!p) this.instances.set(activityId, (p = this.content.instancesOf(this.ctx, activityId)));
    return p;
  }

  private valuesOf(metricId: string): Promise<ValueEvidence[]> {
    let p = this.values.get(metricId);
    if (!p) this.values.set(metricId, (p = this.content.valuesOf(this.ctx, metricId)));
    return p;
  }
}
