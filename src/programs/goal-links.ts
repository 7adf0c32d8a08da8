import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { ProgramBlockGoal } from './program-block-goal.entity';
import { ProgramGoal } from './program-goal.entity';
import { invalid, missingReference } from './program-errors';

/** Goals a plan may work towards: the goal tree above the sessions. */
const PLANNABLE = new Set(['UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal']);

/**
 * The goal links of programs and blocks, as rows of program_goals and program_block_goals
 * (composite keys into the root), and the rule that a block's goals lie in the subtrees of
 * its program's goals.
 */
@Injectable()
export class GoalLinks {
  constructor(private readonly data: TenantData) {}

  private get goals() {
    return this.data.repo(Goal);
  }

  /** Each id must name a live goal of this root above the sessions: 404, or 400, naming `field.k`. */
  async check(ctx: RequestContext, ids: string[], field: string): Promise<void> {
    const found = ids.length ? await this.goals.find(ctx, { where: { id: In(ids) } }) : [];
    for (const [k, id] of ids.entries()) {
      const goal = found.find((g) => g.id === id);
      if (!goal) throw missingReference(`${field}.${k}`, 'Goal');
      if (!PLANNABLE.has(goal.type)) throw invalid(`${field}.${k}`, `${field}.${k} is a ${goal.type}: programs work towards goals from UltimateGoal to ShortTermGoal`);
    }
  }

  /** The ids among `ids` that lie outside the subtrees of `tops` (each goal is in its own subtree). */
  async outside(ctx: RequestContext, ids: string[], tops: string[]): Promise<string[]> {
    const top = new Set(tops);
    const parentOf = new Map<string, string | null>();
    let ask = ids.filter((id) => !top.has(id));
    // Up the tree a level at a time: at most its eight levels.
    while (ask.length) {
      const rows = await this.goals.find(ctx, { where: { id: In(ask) }, withDeleted: true });
      for (const g of rows) parentOf.set(g.id, g.parentId);
      ask = [...new Set(rows.map((g) => g.parentId).filter((p): p is string => !!p && !parentOf.has(p) && !top.has(p)))];
    }
    const within = (id: string): boolean => {
      for (let at: string | null | undefined = id; at; at = parentOf.get(at)) if (top.has(at)) return true;
      return false;
    };
    return ids.filter((id) => !within(id));
  }

  /** Live linked goals of each holder, in order, live goals only. */
  async programGoals(ctx: RequestContext, programIds: string[]): Promise<Map<string, string[]>> {
    const links = programIds.length
      ? await this.data.repo(ProgramGoal).find(ctx, { where: { programId: In(programIds) }, order: { sortOrder: 'ASC', createdAt: 'ASC' } })
      : [];
    return this.group(ctx, links.map((l) => [l.programId, l.goalId]));
  }

  async blockGoals(ctx: RequestContext, blockIds: string[]): Promise<Map<string, string[]>> {
    const links = blockIds.length
      ? await this.data.repo(ProgramBlockGoal).find(ctx, { where: { blockId: In(blockIds) }, order: { sortOrder: 'ASC', createdAt: 'ASC' } })
      : [];
    return this.group(ctx, links.map((l) => [l.blockId, l.goalId]));
  }

  private async group(ctx: RequestContext, pairs: [string, string][]): Promise<Map<string, string[]>> {
    const goalIds = [...new Set(pairs.map(([, g]) => g))];
    const live = new Set(goalIds.length ? (await this.goals.find(ctx, { where: { id: In(goalIds) } })).map((g) => g.id) : []);
    const out = new Map<string, string[]>();
    for (const [holder, goal] of pairs) if (live.has(goal)) out.set(holder, [...(out.get(holder) ?? []), goal]);
    return out;
  }

  /** The links become exactly `goalIds`, in order: the others are soft-deleted, the kept ones re-ordered. */
  async replaceProgramGoals(ctx: RequestContext, programId: string, goalIds: string[]): Promise<void> {
    const repo = this.data.repo(ProgramGoal);
    const current = await repo.find(ctx, { where: { programId } });
    await repo.softDelete(ctx, current.filter((l) => !goalIds.includes(l.goalId)).map((l) => l.id), randomUUID());
    for (const [sortOrder, goalId] of goalIds.entries()) {
      const kept = current.find((l) => l.goalId === goalId);
      if (!kept) await repo.insert(ctx, { programId, goalId, sortOrder });
      else if (kept.sortOrder !== sortOrder) await repo.update(ctx, { id: kept.id }, { sortOrder });
    }
  }

  async replaceBlockGoals(ctx: RequestContext, blockId: string, goalIds: string[]): Promise<void> {
    const repo = this.data.repo(ProgramBlockGoal);
    const current = await repo.find(ctx, { where: { blockId } });
    await repo.softDelete(ctx, current.filter((l) => !goalIds.includes(l.goalId)).map((l) => l.id), randomUUID());
    for (const [sortOrder, goalId] of goalIds.entries()) {
      const kept = current.find((l) => l.goalId === goalId);
      if (!kept) await repo.insert(ctx, { blockId, goalId, sortOrder });
      else if (kept.sortOrder !== sortOrder) await repo.update(ctx, { id: kept.id }, { sortOrder });
    }
  }
}
