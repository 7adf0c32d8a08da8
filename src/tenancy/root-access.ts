import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { Goal } from '../goals/goal.entity';
import { RequestContext } from './request-context';

/**
 * The one owner-scoped view of goals: a user's roots across root ids. Everything inside a
 * root goes through TenantRepository instead.
 */
@Injectable()
export class RootAccess {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * True if the context's user owns the root; false for unknown, foreign and (unless asked)
   * deleted roots alike. Plain SQL: this runs on every tenant request.
   */
  async isOwned(ctx: RequestContext, rootId: string, options: { withDeleted?: boolean } = {}): Promise<boolean> {
    const user = ctx.requireUser();
    const p = this.unitOfWork.isPostgres ? ['$1', '$2'] : ['?', '?'];
    const live = options.withDeleted ? '' : ' AND deleted_at IS NULL';
    const sql = `SELECT 1 AS owned FROM goals WHERE id = ${p[0]} AND root_id = id AND user_id = ${p[1]} AND parent_id IS NULL${live}`;
    const run = async (manager: EntityManager) => ((await manager.query(sql, [rootId, user.id])) as unknown[]).length > 0;
    return ctx.manager ? run(ctx.manager) : this.unitOfWork.read({ userId: user.id, rootId }, run);
  }

  /** The user's live roots, as a query to paginate. Requires the context's manager for RLS. */
  listQuery(ctx: RequestContext, manager: EntityManager) {
    const user = ctx.requireUser();
    return manager
      .getRepository(Goal)
      .createQueryBuilder('root')
      .where('root.user_id = :userId AND root.parent_id IS NULL AND root.id = root.root_id', { userId: user.id });
  }

  /** Creates a root owned by the context's user: its root_id is its own id. */
  async create(ctx: RequestContext, manager: EntityManager, values: Partial<Goal> & { id: string }): Promise<Goal> {
    const user = ctx.requireUser();
    const repo = manager.getRepository(Goal);
    const root = repo.create({
      ...values,
      rootId: values.id,
      parentId: null,
      userId: user.id,
      createdBy: user.id,
      updatedBy: user.id,
    });
    return repo.save(root, { reload: true });
  }

  /** True when the user already has a live root of that name (names are unique per owner). */
  async nameTaken(ctx: RequestContext, manager: EntityManager, name: string, exceptId?: string): Promise<boolean> {
    const user = ctx.requireUser();
    const where = { userId: user.id, name, parentId: IsNull(), ...(exceptId ? { id: Not(exceptId) } : {}) };
    return (await manager.getRepository(Goal).count({ where })) > 0;
  }
}
