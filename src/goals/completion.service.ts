import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { Changes } from './changes';
import { Goal } from './goal.entity';
import { conflict } from './goal-errors';
import { GoalPause } from './goal-pause.entity';
import { GoalReader } from './goal-reader';
import { GoalTarget } from './goal-target.entity';
import { GoalTree } from './goal-tree';
import { toGoalView } from './goal.view';
import { LevelsService } from './levels.service';

/** What set a reconciliation off: the session evaluated, and goals whose hold it lifts. */
export interface Trigger {
  sessionId?: string | null;
  /** Goals with a target newly met: "something changed", so a manual un-complete no longer holds. */
  lifted?: Set<string>;
}

type CompletionFields = Pick<Goal, 'completed' | 'completedAt' | 'completionSource' | 'completedBySessionId' | 'manuallyUncompletedAt'>;

/**
 * Completing and pausing goals, and the cascades, in the request's transaction:
 * - all of a goal's targets met completes it (source `targets`), and one un-met again
 *   re-opens a goal they had completed;
 * - all of its children complete completes it where its level has autoCompleteWhenChildrenDone
 *   (source `children`), up the tree, and a child re-opened re-opens it;
 * - a paused goal is never completed; a goal a user un-completed by hand stays open until one of
 *   its targets is newly met or one of its children newly completes.
 */
@Injectable()
export class CompletionService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly reader: GoalReader,
    private readonly levels: LevelsService,
  ) {}

  private get pauses() {
    return this.tenantData.repo(GoalPause);
  }

  async complete(ctx: RequestContext, goalId: string) {
    return this.byHand(ctx, await this.reader.live(ctx, goalId), true);
  }

  async uncomplete(ctx: RequestContext, goalId: string) {
    return this.byHand(ctx, await this.reader.live(ctx, goalId), false);
  }

  /**
   * What completing (or re-opening) a goal by hand writes, after its checks: not a session,
   * not twice, not while paused, not where the level forbids it. Re-opening is recorded, so
   * that the cascades leave the goal open until something changes.
   */
  async manualFields(ctx: RequestContext, goal: Goal, completed: boolean): Promise<CompletionFields> {
    if (goal.type === 'PracticeSession') throw conflict('A practice session is completed and re-opened through the sessions routes.');
    if (!completed) {
      if (!goal.completed) throw conflict('This goal is not completed.');
      return { completed: false, completedAt: null, completionSource: null, completedBySessionId: null, manuallyUncompletedAt: new Date() };
    }
    if (goal.completed) throw conflict('This goal is already completed.');
    if (goal.pausedAt) throw conflict('This goal is paused: resume it before completing it.');
    const level = await this.levels.of(ctx, goal.type);
    if (!level.allowManualCompletion) {
      throw conflict(`${level.displayName} goals cannot be completed by hand in this root: their targets or children complete them.`);
    }
    return { completed: true, completedAt: new Date(), completionSource: 'manual', completedBySessionId: null, manuallyUncompletedAt: null };
  }

  private async byHand(ctx: RequestContext, goal: Goal, completed: boolean) {
    const fields = await this.manualFields(ctx, goal, completed);
    const changes = new Changes();
    const tree = await this.reader.tree(ctx);
    const node = tree.get(goal.id)!;
    await this.write(ctx, node, fields);
    // A child newly completed lifts its parent's hold: "something changed".
    await this.cascade(ctx, tree, [node.parentId], changes, { lifted: new Set(completed && node.parentId ? [node.parentId] : []) });
    return { ...toGoalView(await this.reader.live(ctx, goal.id)), changed: changes.view(goal.id) };
  }

  async pause(ctx: RequestContext, goalId: string) {
    const goal = await this.reader.live(ctx, goalId);
    if (goal.type === 'PracticeSession') throw conflict('A practice session is paused through the sessions routes.');
    if (goal.pausedAt) throw conflict('This goal is already paused.');
    if (goal.completed) throw conflict('A completed goal cannot be paused: un-complete it first.');
    const now = new Date();
    await this.pauses.insert(ctx, { goalId: goal.id, pausedAt: now, resumedAt: null });
    await this.reader.goals.update(ctx, { id: goal.id }, { pausedAt: now });
    return { ...toGoalView(await this.reader.live(ctx, goal.id)), changed: new Changes().view() };
  }

  async resume(ctx: RequestContext, goalId: string) {
    const goal = await this.reader.live(ctx, goalId);
    if (!goal.pausedAt) throw conflict('This goal is not paused.');
    const now = new Date();
    await this.pauses.update(ctx, { goalId: goal.id, resumedAt: IsNull() }, { resumedAt: now });
    await this.reader.goals.update(ctx, { id: goal.id }, { pausedAt: null });
    // What was met while it was paused may complete it now.
    const changes = new Changes();
    await this.cascade(ctx, await this.reader.tree(ctx), [goal.id], changes, {});
    return { ...toGoalView(await this.reader.live(ctx, goal.id)), changed: changes.view(goal.id) };
  }

  /**
   * Re-applies both completion rules to the given goals, then to the parent of each goal whose
   * completion changed, and so on up the tree. The tree's nodes are updated in place.
   */
  async cascade(ctx: RequestContext, tree: GoalTree<Goal>, start: (string | null)[], changes: Changes, trigger: Trigger): Promise<void> {
    const levels = await this.levels.all(ctx);
    const depth = (id: string) => tree.ancestorsOf(id).length;
    const pending = new Set(start.filter((id): id is string => id !== null && tree.get(id) !== undefined));
    const lifted = new Set(trigger.lifted ?? []);
    const targets = await this.targetsByGoal(ctx);
    while (pending.size > 0) {
      // Deepest first, so that a parent sees its children settled.
      const id = [...pending].sort((a, b) => depth(b) - depth(a))[0];
      pending.delete(id);
      const goal = tree.get(id)!;
      const before = goal.completed;
      const held = goal.manuallyUncompletedAt !== null;
      if (lifted.has(id) && held) goal.manuallyUncompletedAt = null;
      const open = !goal.pausedAt && !goal.manuallyUncompletedAt;
      const own = targets.get(id) ?? [];
      if (own.length > 0) {
        const allMet = own.every((t) => t.met);
        if (goal.completed && goal.completionSource === 'targets' && !allMet) await this.reopen(ctx, goal, changes);
        else if (!goal.completed && allMet && open) {
          const by = trigger.sessionId ?? latest(own)?.metBySessionId ?? null;
          await this.close(ctx, goal, 'targets', by, changes);
        }
      }
      const children = tree.childrenOf(id);
      if (levels[goal.type].autoCompleteWhenChildrenDone && children.length > 0) {
        const allDone = children.every((c) => c.completed);
        if (goal.completed && goal.completionSource === 'children' && !allDone) await this.reopen(ctx, goal, changes);
        else if (!goal.completed && allDone && open) await this.close(ctx, goal, 'children', trigger.sessionId ?? null, changes);
      }
      if (goal.completed !== before || held !== (goal.manuallyUncompletedAt !== null)) await this.write(ctx, goal, {});
      if (goal.completed !== before && goal.parentId && tree.get(goal.parentId)) {
        pending.add(goal.parentId);
        if (goal.completed) lifted.add(goal.parentId);
      }
    }
  }

  private async close(ctx: RequestContext, goal: Goal, source: 'targets' | 'children', sessionId: string | null, changes: Changes) {
    Object.assign(goal, { completed: true, completedAt: new Date(), completionSource: source, completedBySessionId: sessionId });
    changes.goal(goal, 'completed');
  }

  private async reopen(ctx: RequestContext, goal: Goal, changes: Changes) {
    Object.assign(goal, { completed: false, completedAt: null, completionSource: null, completedBySessionId: null });
    changes.goal(goal, 'uncompleted');
  }

  /** Writes a goal's completion fields (after applying `fields` to the tree's node). */
  private async write(ctx: RequestContext, goal: Goal, fields: Partial<CompletionFields>): Promise<void> {
    Object.assign(goal, fields);
    await this.reader.goals.update(
      ctx,
      { id: goal.id },
      {
        completed: goal.completed,
        completedAt: goal.completedAt,
        completionSource: goal.completionSource,
        completedBySessionId: goal.completedBySessionId,
        manuallyUncompletedAt: goal.manuallyUncompletedAt,
      },
    );
  }

  /** The root's live targets by goal: a root has few, so one read of them all. */
  private async targetsByGoal(ctx: RequestContext): Promise<Map<string, GoalTarget[]>> {
    const out = new Map<string, GoalTarget[]>();
    for (const t of await this.tenantData.repo(GoalTarget).find(ctx, {})) out.set(t.goalId, [...(out.get(t.goalId) ?? []), t]);
    return out;
  }
}

function latest(targets: GoalTarget[]): GoalTarget | undefined {
  return [...targets].filter((t) => t.metAt).sort((a, b) => b.metAt!.getTime() - a.metAt!.getTime())[0];
}
