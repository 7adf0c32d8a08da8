import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { Goal } from './goal.entity';
import { goalNotFound, unknownId } from './goal-errors';
import { GoalTree } from './goal-tree';
import { ROOT_TYPES } from './goal.types';

/** The columns a goal's view and the tree rules read: not the session blobs. */
const COLUMNS: (keyof Goal)[] = [
  'id', 'rootId', 'parentId', 'type', 'name', 'description', 'relevance', 'deadline', 'sortOrder', 'completed', 'completedAt',
  'completionSource', 'completedBySessionId', 'manuallyUncompletedAt', 'pausedAt', 'sessionStart', 'sessionEnd', 'createdAt',
  'updatedAt', 'version',
];

/** Reads of the goal tree shared by the goal, completion and target services. */
@Injectable()
export class GoalReader {
  constructor(private readonly tenantData: TenantData) {}

  get goals() {
    return this.tenantData.repo(Goal);
  }

  /**
   * The root's live goals as a tree: one query on goals by root_id. Without sessions, only the
   * four levels above them (sessions and what hangs below them stay out).
   */
  async tree(ctx: RequestContext, options: { sessions: boolean } = { sessions: true }): Promise<GoalTree<Goal>> {
    const qb = this.goals.createQueryBuilder(ctx, 'g').select(COLUMNS.map((c) => `g.${String(c)}`));
    if (!options.sessions) qb.andWhere('g.type IN (:...treeTypes)', { treeTypes: ROOT_TYPES });
    return new GoalTree(await qb.getMany());
  }

  /** A live goal of the root, or the uniform 404. */
  async live(ctx: RequestContext, id: string): Promise<Goal> {
    const goal = await this.goals.findById(ctx, id);
    if (!goal) throw goalNotFound();
    return goal;
  }

  /** A live goal named in the body: 404 naming the field. */
  async named(ctx: RequestContext, id: string, field: string): Promise<Goal> {
    const goal = await this.goals.findById(ctx, id);
    if (!goal) throw unknownId(field, 'goal');
    return goal;
  }

  /**
   * Locks a goal's row for the rest of the transaction before its children are counted, so
   * that two requests cannot both add the last child a level allows.
   */
  lock(ctx: RequestContext, id: string): Promise<void> {
    return this.goals.lockById(ctx, id);
  }

  async many(ctx: RequestContext, ids: string[]): Promise<Goal[]> {
    const out: Goal[] = [];
    for (const chunk of chunks(ids)) out.push(...(await this.goals.find(ctx, { where: { id: In(chunk) } })));
    return out;
  }
}

/** Id lists in pieces, so that no statement carries more parameters than the engines allow. */
export function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
