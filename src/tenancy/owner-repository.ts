import { randomUUID } from 'node:crypto';
import { IsNull, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { dialectOf } from '../database/dialect';
import { ForeignRootError, ServerColumnError } from './scope.errors';
import { OwnerScopedQueryBuilder } from './scoped-query-builder';
import { SERVER_COLUMNS, TenantCreate, TenantEntityClass } from './tenant-repository';

/** A root row: its own root, no parent, and an owner. */
export interface RootRow extends TenantEntity {
  userId: string | null;
  parentId: string | null;
  name: string;
}

/**
 * Ownership of roots, across root ids: the one place that reads or writes goals by owner
 * rather than by root. A user lists, creates and names their own roots here; an administrator
 * hands one to another user (inside AdminData's audited door). Everything inside a root goes
 * through TenantRepository instead.
 */
export class OwnerRepository<T extends RootRow> {
  constructor(readonly target: TenantEntityClass<T>) {}

  /** The context user's live roots, as a query to order and paginate. */
  listQuery(ctx: RequestContext, alias: string): OwnerScopedQueryBuilder<T> {
    const userId = ctx.requireUser().id;
    const manager = ctx.requireManager();
    const qb = new OwnerScopedQueryBuilder<T>(manager.connection, manager.queryRunner).bindScope(userId);
    qb.select(alias).from(this.target, alias);
    return qb;
  }

  /** Creates a root of the context's user: its root_id is its own id. Answers it as stored. */
  async create(ctx: RequestContext, values: TenantCreate<T>): Promise<T> {
    const userId = ctx.requireUser().id;
    const manager = ctx.requireManager();
    for (const column of SERVER_COLUMNS) {
      if (column !== 'id' && (values as ObjectLiteral)[column] !== undefined) throw new ServerColumnError(manager.connection.getMetadata(this.target).name, column);
    }
    const id = values.id ?? randomUUID();
    const row = { ...values, id, rootId: id, parentId: null, userId, createdBy: userId, updatedBy: userId };
    await manager.createQueryBuilder().insert().into(this.target).values(row as QueryDeepPartialEntity<T>).execute();
    return this.listQuery(ctx, 'root').andWhere('root.id = :id', { id }).getOneOrFail();
  }

  /** True when the context's user already has a live root of that name (names are unique per owner). */
  async nameTaken(ctx: RequestContext, name: string, exceptId?: string): Promise<boolean> {
    const qb = this.listQuery(ctx, 'root').andWhere('root.name = :name', { name });
    if (exceptId) qb.andWhere('root.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  /**
   * Enters a root the context's user has just created in this unit of work, so that its
   * per-root rows can be written next (on PostgreSQL, row-level security needs app.root_id).
   * Only a live root of that user is entered; answers the context in that root.
   */
  async enterCreated(ctx: RequestContext, rootId: string): Promise<RequestContext> {
    const manager = ctx.requireManager();
    const owned = await this.listQuery(ctx, 'root').andWhere('root.id = :rootId', { rootId }).getCount();
    if (owned !== 1) throw new ForeignRootError(manager.connection.getMetadata(this.target).name);
    const dialect = dialectOf(manager.connection);
    const scope = dialect.rootScope(rootId);
    if (scope) await manager.query(dialect.sql(scope.sql), scope.params);
    return ctx.withRoot(rootId);
  }

  /**
   * An administrator hands a root to another user, such as a legacy file's roots from the
   * placeholder owner to their person. Answers false when that user has a live root of the
   * same name. Needs the admin's unit of work (AdminData.withoutRootScope).
   */
  async transfer(ctx: RequestContext, root: T, toUserId: string): Promise<boolean> {
    const adminId = ctx.requireAdmin().id;
    const manager = ctx.requireManager();
    if (!root.deletedAt) {
      const clash = await manager.getRepository(this.target).count({ where: { userId: toUserId, name: root.name, parentId: IsNull() } as never });
      if (clash > 0) return false;
    }
    const now = dialectOf(manager.connection).now;
    await manager
      .createQueryBuilder()
      .update(this.target)
      .set({ userId: toUserId, updatedBy: adminId, updatedAt: () => now } as QueryDeepPartialEntity<T>)
      .where({ id: root.id, rootId: root.id, parentId: IsNull() } as never)
      .execute();
    return true;
  }
}
