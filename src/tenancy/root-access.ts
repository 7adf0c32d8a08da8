import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { Goal } from '../goals/goal.entity';
import { RequestContext } from './request-context';

/**
 * Ownership of a root: a live (or, if asked, deleted) root whose owner is the user. SQLite
 * reads it inline; PostgreSQL through fg_owns_root (migration RootOwnerCheck), the same rule,
 * which scopes app.user_id for its own query, so that the check needs no transaction.
 */
function ownedSql(sqlite: boolean, root: string, owner: string, withDeleted: boolean): string {
  if (!sqlite) return `fg_owns_root(${root}, ${owner}, ${withDeleted})`;
  const live = withDeleted ? '' : ' AND deleted_at IS NULL';
  return `EXISTS (SELECT 1 FROM goals WHERE id = ${root} AND root_id = id AND user_id = ${owner} AND parent_id IS NULL${live})`;
}

const isTrue = (value: unknown) => value === true || value === 1;

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
    const [root, owner] = this.placeholders();
    const sql = `SELECT ${ownedSql(!this.unitOfWork.isPostgres, root, owner, options.withDeleted ?? false)} AS owned`;
    const [row] = await (ctx.manager ? ctx.manager.query(sql, [rootId, user.id]) : this.unitOfWork.statement<{ owned: unknown }[]>(sql, [rootId, user.id]));
    return isTrue(row.owned);
  }

  /**
   * The authentication guard's one query on a SQLite tenant route (PostgreSQL uses
   * enterStatement instead): the user's row (the columns it names, from "users") and, in the
   * same statement, whether that user owns the root, as `owned`.
   */
  async userWithOwnership<T extends object>(
    userColumns: string,
    userId: string,
    rootId: string,
    withDeleted: boolean,
  ): Promise<(T & { owned: boolean }) | undefined> {
    const [root, user] = this.placeholders();
    const owned = ownedSql(!this.unitOfWork.isPostgres, root, 'users.id', withDeleted);
    const sql = `SELECT ${userColumns}, ${owned} AS owned FROM users WHERE users.id = ${user} AND users.deleted_at IS NULL`;
    const [row] = await this.unitOfWork.statement<(T & { owned: unknown })[]>(sql, [rootId, userId]);
    return row ? { ...row, owned: isTrue(row.owned) } : undefined;
  }

  /** PostgreSQL: the opening statement of a tenant route's transaction (TenantData.enterRoot). */
  enterStatement(check: { userId: string; rootId: string; withDeleted: boolean }): [string, unknown[]] {
    return ['SELECT id, email, role, is_active, token_version, owned FROM fg_enter_root($1, $2, $3)', [check.userId, check.rootId, check.withDeleted]];
  }

  private placeholders(): [string, string] {
    return this.unitOfWork.isPostgres ? ['$1', '$2'] : ['?', '?'];
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
