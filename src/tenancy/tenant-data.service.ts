import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountRow, admitAccount } from '../auth/account-check';
import { TenantEntity } from '../database/base.entity';
import { UnitOfWork } from '../database/unit-of-work';
import { MissingTenantContextError, RequestContext } from './request-context';
import { RootAccess } from './root-access';
import { TenantEntityClass, TenantRepository } from './tenant-repository';
import { DeferredRootCheck, ROOT_NOT_FOUND } from './tenant.guard';

/** Entry point to tenant data: scoped repositories, and transactions that follow the context. */
@Injectable()
export class TenantData {
  private readonly repos = new Map<Function, TenantRepository<TenantEntity>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly roots: RootAccess,
  ) {}

  repo<T extends TenantEntity>(entity: TenantEntityClass<T>): TenantRepository<T> {
    let repo = this.repos.get(entity);
    if (!repo) {
      repo = new TenantRepository(this.dataSource, entity) as unknown as TenantRepository<TenantEntity>;
      this.repos.set(entity, repo);
    }
    return repo as unknown as TenantRepository<T>;
  }

  /** Runs fn in one transaction scoped to the context; nested calls join the open one. */
  transaction<R>(ctx: RequestContext, fn: (ctx: RequestContext) => Promise<R>): Promise<R> {
    if (ctx.manager?.queryRunner?.isTransactionActive) return fn(ctx);
    return this.unitOfWork.run({ userId: ctx.user?.id, rootId: ctx.rootId }, (manager) => fn(ctx.withManager(manager)));
  }

  /**
   * Scopes the rest of a user route's transaction to a root its user created in it (its
   * per-root rows are written next): on PostgreSQL, app.root_id for row-level security, set
   * only if the user owns that root. Returns the context in that root.
   */
  async enterCreatedRoot(ctx: RequestContext, rootId: string): Promise<RequestContext> {
    const user = ctx.requireUser();
    if (!ctx.manager?.queryRunner?.isTransactionActive) throw new MissingTenantContextError('transaction');
    if (this.unitOfWork.isPostgres) {
      const rows: unknown[] = await ctx.manager.query(
        `SELECT set_config('app.root_id', id, true) FROM goals WHERE id = $1 AND user_id = $2 AND parent_id IS NULL`,
        [rootId, user.id],
      );
      if (rows.length !== 1) throw new NotFoundException(ROOT_NOT_FOUND);
    }
    return ctx.withRoot(rootId);
  }

  /**
   * PostgreSQL, a tenant route: one transaction whose first statement checks what the guards
   * deferred (a live, active user who owns the root) and sets the RLS scope only if so. A
   * refused account is the guard's 401, and a root that is not the user's its 404.
   */
  enterRoot<R>(check: DeferredRootCheck, requestId: string, fn: (ctx: RequestContext) => Promise<R>): Promise<R> {
    const [sql, params] = this.roots.enterStatement(check);
    return this.unitOfWork.runOpenedBy(sql, params, (manager, rows) => {
      const [row] = rows as (AccountRow & { owned: boolean })[];
      const user = admitAccount(row, check.tokenVersion);
      if (row.owned !== true) throw new NotFoundException(ROOT_NOT_FOUND);
      return fn(RequestContext.forUser(requestId, user).withRoot(check.rootId).withManager(manager));
    });
  }
}
