import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { NotesService } from '../notes/notes.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { Goal } from './goal.entity';
import { conflict, goalNotFound } from './goal-errors';
import { GoalPause } from './goal-pause.entity';
import { chunks, GoalReader } from './goal-reader';
import { GoalTarget } from './goal-target.entity';
import { toGoalView } from './goal.view';
import { LevelsService } from './levels.service';
import { PracticeSessionGoal } from './practice-session-goal.entity';
import { ContentCounts, SessionContent } from './session-content';
import { TargetCondition } from './target-condition.entity';
import { TargetsService } from './targets.service';
import { checkRoom, deadlineBound } from './tree-rules';

/** What a delete took, table by table, under one deletion id. */
interface Taken {
  goals: string[];
  sessions: string[];
  sessionLinks: string[];
  targets: string[];
  conditions: string[];
  pauses: string[];
}

const counts = (t: Taken, content: ContentCounts, notes: number) => ({
  goals: t.goals.length - t.sessions.length,
  sessions: t.sessions.length,
  ...content,
  notes,
  sessionLinks: t.sessionLinks.length,
  targets: t.targets.length,
  pauses: t.pauses.length,
});

/**
 * Deleting a goal takes its whole subtree: sessions with their instances, values and links,
 * targets with their conditions, pauses, all soft-deleted under one deletion id. Restoring it
 * brings back exactly those rows, and nothing that an earlier delete took.
 */
@Injectable()
export class GoalDeletionService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly reader: GoalReader,
    private readonly levels: LevelsService,
    private readonly targets: TargetsService,
    private readonly content: SessionContent,
    private readonly notes: NotesService,
  ) {}

  async remove(ctx: RequestContext, goalId: string) {
    const goal = await this.reader.live(ctx, goalId);
    if (goal.parentId === null) throw conflict('The root is deleted through DELETE /api/roots/:rootId.');
    const tree = await this.reader.tree(ctx);
    const subtree = tree.subtreeOf(goal.id);
    const taken = await this.liveRowsBelow(ctx, subtree);
    const deletionId = randomUUID();
    // The content's take takes the notes about its instances under the same id.
    const content = await this.content.take(ctx, taken.sessions, deletionId);
    const notes = (await this.notes.take(ctx, taken.goals, deletionId)) + content.notes;
    await this.tenantData.repo(PracticeSessionGoal).softDelete(ctx, taken.sessionLinks, deletionId);
    await this.tenantData.repo(TargetCondition).softDelete(ctx, taken.conditions, deletionId);
    await this.tenantData.repo(GoalTarget).softDelete(ctx, taken.targets, deletionId);
    await this.tenantData.repo(GoalPause).softDelete(ctx, taken.pauses, deletionId);
    await this.reader.goals.softDelete(ctx, taken.goals, deletionId);
    const changes = await this.targets.reevaluate(ctx, [...tree.ancestorsOf(goal.id).map((a) => a.id), ...(await this.linkedGoals(ctx, taken))]);
    return { id: goal.id, deletionId, removed: counts(taken, content, notes), changed: changes.view(goal.id) };
  }

  async restore(ctx: RequestContext, goalId: string) {
    const goal = await this.reader.goals.findById(ctx, goalId, true);
    if (!goal) throw goalNotFound();
    if (!goal.deletedAt || !goal.deletionId) throw conflict('This goal is not deleted.');
    const parent = goal.parentId ? await this.reader.goals.findById(ctx, goal.parentId, true) : null;
    if (!parent) throw conflict('A deleted root is restored through POST /api/roots/:rootId/restore.');
    if (parent.deletedAt) {
      throw conflict(
        parent.deletionId === goal.deletionId
          ? `This goal was deleted with the goal above it: restore that delete through goal ${topOfDeletion(await this.deletedChain(ctx, goal))}.`
          : `Its parent ${parent.id} is deleted: restore the parent first.`,
      );
    }
    await this.reader.lock(ctx, parent.id);
    const tree = await this.reader.tree(ctx);
    const levels = await this.levels.all(ctx);
    checkRoom(levels[parent.type], tree.childrenOf(parent.id).length);
    const deletionId = goal.deletionId;
    const deleted = await this.reader.goals.find(ctx, { where: { deletionId }, withDeleted: true });
    const bound = deadlineBound(tree, parent.id);
    const late = bound ? deleted.find((g) => g.deadline && g.deadline > bound) : undefined;
    if (late) {
      throw conflict(`"${late.name}" has a deadline (${late.deadline!.toISOString()}) later than its parent's deadline now (${bound!.toISOString()}): move that deadline first.`);
    }
    const restored = {
      goals: await this.reader.goals.restore(ctx, deletionId),
      sessions: deleted.filter((g) => g.type === 'PracticeSession').length,
      ...(await this.content.restore(ctx, deletionId)),
      // Every note this delete took: about its goals and sessions, and about their instances.
      notes: await this.notes.restore(ctx, deletionId),
      sessionLinks: await this.tenantData.repo(PracticeSessionGoal).restore(ctx, deletionId),
      targets: await this.tenantData.repo(GoalTarget).restore(ctx, deletionId),
      conditions: await this.tenantData.repo(TargetCondition).restore(ctx, deletionId),
      pauses: await this.tenantData.repo(GoalPause).restore(ctx, deletionId),
    };
    const back = await this.reader.tree(ctx);
    const linked: string[] = [];
    for (const chunk of chunks(deleted.filter((g) => g.type === 'PracticeSession').map((g) => g.id))) {
      const links = await this.tenantData.repo(PracticeSessionGoal).find(ctx, { where: { practiceSessionId: In(chunk) } });
      linked.push(...links.map((l) => l.shortTermGoalId));
    }
    const changes = await this.targets.reevaluate(ctx, [...back.ancestorsOf(goal.id).map((a) => a.id), ...linked, ...deleted.map((g) => g.id)]);
    const { conditions: _c, ...shown } = restored;
    return {
      ...toGoalView(await this.reader.live(ctx, goal.id)),
      restored: { ...shown, goals: restored.goals - restored.sessions },
      changed: changes.view(goal.id),
    };
  }

  private async liveRowsBelow(ctx: RequestContext, subtree: Goal[]): Promise<Taken> {
    const goals = subtree.map((g) => g.id);
    const sessions = subtree.filter((g) => g.type === 'PracticeSession').map((g) => g.id);
    const ids = async <T extends { id: string }>(entity: new () => T, column: keyof T, values: string[]) => {
      const out: string[] = [];
      for (const chunk of chunks(values)) {
        const rows = await this.tenantData.repo(entity as never).find(ctx, { where: { [column]: In(chunk) } as never });
        out.push(...(rows as unknown as T[]).map((r) => r.id));
      }
      return out;
    };
    const targets = await ids(GoalTarget, 'goalId', goals);
    const links = new Set([...(await ids(PracticeSessionGoal, 'practiceSessionId', sessions)), ...(await ids(PracticeSessionGoal, 'shortTermGoalId', goals))]);
    return {
      goals,
      sessions,
      sessionLinks: [...links],
      targets,
      conditions: await ids(TargetCondition, 'targetId', targets),
      pauses: await ids(GoalPause, 'goalId', goals),
    };
  }

  /** Goals outside a delete that its sessions were linked to: their practice changed. */
  private async linkedGoals(ctx: RequestContext, taken: Taken): Promise<string[]> {
    const out: string[] = [];
    for (const chunk of chunks(taken.sessionLinks)) {
      const rows = await this.tenantData.repo(PracticeSessionGoal).find(ctx, { where: { id: In(chunk) }, withDeleted: true });
      out.push(...rows.map((l) => l.shortTermGoalId));
    }
    return out;
  }

  /** The goal and its ancestors that went in its deletion, bottom up. */
  private async deletedChain(ctx: RequestContext, goal: Goal): Promise<Goal[]> {
    const chain = [goal];
    let current = goal;
    while (current.parentId) {
      const parent = await this.reader.goals.findById(ctx, current.parentId, true);
      if (!parent || parent.deletionId !== goal.deletionId) break;
      chain.push(parent);
      current = parent;
    }
    return chain;
  }
}

function topOfDeletion(chain: Goal[]): string {
  return chain[chain.length - 1].id;
}
