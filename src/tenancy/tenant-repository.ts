import { randomUUID } from 'node:crypto';
import {
  DataSource,
  EntityManager,
  EntityTarget,
  FindOptionsOrder,
  FindOptionsWhere,
  In,
  IsNull,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantEntity } from '../database/base.entity';
import { NOW_SQL } from '../database/columns';
import { RequestContext } from './request-context';

/** A write or a filter that names a root other than the context's. */
export class CrossTenantWriteError extends Error {
  constructor(entity: string) {
    super(`Refused: ${entity} row names a root other than the request's.`);
  }
}

const IMMUTABLE = ['id', 'rootId', 'createdAt', 'createdBy', 'deletedAt', 'deletionId'] as const;

export interface FindManyOptions<T> {
  where?: FindOptionsWhere<T> | FindOptionsWhere<T>[];
  order?: FindOptionsOrder<T>;
  take?: number;
  skip?: number;
  withDeleted?: boolean;
}

/**
 * The only way features reach a tenant table. Every read, update, delete and restore
 * carries `root_id = <context root>` in its WHERE clause; every insert is stamped with the
 * context's root and user. A context without a root throws before any SQL is built.
 */
export class TenantRepository<T extends TenantEntity> {
  constructor(
    private readonly dataSource: DataSource,
    readonly target: EntityTarget<T>,
  ) {}

  private get name(): string {
    return this.dataSource.getMetadata(this.target).name;
  }

  private repository(ctx: RequestContext): Repository<T> {
    const manager: EntityManager = ctx.manager ?? this.dataSource.manager;
    return manager.getRepository(this.target);
  }

  /** Adds the context's root to one where-object, refusing a different one. */
  private scopeWhere(ctx: RequestContext, where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    const rootId = ctx.requireRoot();
    const given = (where as { rootId?: unknown }).rootId;
    if (given !== undefined && given !== rootId) throw new CrossTenantWriteError(this.name);
    return { ...where, rootId } as FindOptionsWhere<T>;
  }

  private scopeWheres(ctx: RequestContext, where?: FindOptionsWhere<T> | FindOptionsWhere<T>[]) {
    return Array.isArray(where) ? where.map((w) => this.scopeWhere(ctx, w)) : this.scopeWhere(ctx, where);
  }

  async find(ctx: RequestContext, options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.repository(ctx).find({ ...options, where: this.scopeWheres(ctx, options.where) });
  }

  async findOne(ctx: RequestContext, where: FindOptionsWhere<T>, withDeleted = false): Promise<T | null> {
    return this.repository(ctx).findOne({ where: this.scopeWhere(ctx, where), withDeleted });
  }

  async findById(ctx: RequestContext, id: string, withDeleted = false): Promise<T | null> {
    return this.findOne(ctx, { id } as FindOptionsWhere<T>, withDeleted);
  }

  async count(ctx: RequestContext, where?: FindOptionsWhere<T> | FindOptionsWhere<T>[]): Promise<number> {
    return this.repository(ctx).count({ where: this.scopeWheres(ctx, where) });
  }

  /**
   * A query builder already restricted to the root. Its where() adds to that restriction
   * instead of replacing it, so a later where() cannot widen the query by accident.
   * Joins to other tenant tables through their (root_id, id) keys stay inside the root,
   * because the database refuses rows that link two roots.
   */
  createQueryBuilder(ctx: RequestContext, alias: string): SelectQueryBuilder<T> {
    const rootId = ctx.requireRoot();
    const qb = this.repository(ctx).createQueryBuilder(alias);
    qb.where(`${alias}.root_id = :__tenantRoot`, { __tenantRoot: rootId });
    qb.where = ((...args: Parameters<SelectQueryBuilder<T>['andWhere']>) => qb.andWhere(...args)) as never;
    return qb;
  }

  /** Inserts rows of the context's root, stamped with who made them. */
  async insert(ctx: RequestContext, values: Partial<T>): Promise<T>;
  async insert(ctx: RequestContext, values: Partial<T>[]): Promise<T[]>;
  async insert(ctx: RequestContext, values: Partial<T> | Partial<T>[]): Promise<T | T[]> {
    const rootId = ctx.requireRoot();
    const userId = ctx.user?.id ?? null;
    const rows = (Array.isArray(values) ? values : [values]).map((v) => {
      if (v.rootId !== undefined && v.rootId !== rootId) throw new CrossTenantWriteError(this.name);
      return this.repository(ctx).create({
        ...v,
        id: v.id ?? randomUUID(),
        rootId,
        createdBy: userId,
        updatedBy: userId,
      } as T);
    });
    const saved = await this.repository(ctx).save(rows as T[], { reload: true });
    return Array.isArray(values) ? saved : saved[0];
  }

  /**
   * Updates rows of the context's root; returns how many matched. The root, id and
   * creation stamps cannot be patched. updated_at is set by TypeORM, updated_by here.
   */
  async update(ctx: RequestContext, where: FindOptionsWhere<T>, patch: Partial<T>): Promise<number> {
    for (const key of IMMUTABLE) {
      if ((patch as Record<string, unknown>)[key] !== undefined) {
        throw new CrossTenantWriteError(`${this.name}.${key} cannot be changed;`);
      }
    }
    const result = await this.repository(ctx)
      .createQueryBuilder()
      .update()
      .set({ ...patch, updatedBy: ctx.user?.id ?? null } as QueryDeepPartialEntity<T>)
      .where(this.scopeWhere(ctx, { ...where, deletedAt: IsNull() } as FindOptionsWhere<T>))
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Soft-deletes the given live rows under one deletion id, which restore() takes back.
   * Rows already deleted keep their own deletion, so a restore never revives them.
   */
  async softDelete(ctx: RequestContext, ids: string[], deletionId: string = randomUUID()): Promise<{ deletionId: string; count: number }> {
    if (ids.length === 0) return { deletionId, count: 0 };
    const result = await this.repository(ctx)
      .createQueryBuilder()
      .update()
      .set({ deletedAt: () => NOW_SQL, deletionId, updatedBy: ctx.user?.id ?? null } as never)
      .where(this.scopeWhere(ctx, { id: In(ids), deletedAt: IsNull() } as FindOptionsWhere<T>))
      .execute();
    return { deletionId, count: result.affected ?? 0 };
  }

  /** Brings back exactly the rows one soft delete took. */
  async restore(ctx: RequestContext, deletionId: string): Promise<number> {
    const result = await this.repository(ctx)
      .createQueryBuilder()
      .update()
      .set({ deletedAt: null, deletionId: null, updatedBy: ctx.user?.id ?? null } as never)
      .where(this.scopeWhere(ctx, { deletionId } as FindOptionsWhere<T>))
      .execute();
    return result.affected ?? 0;
  }
}

export type TenantEntityClass<T extends TenantEntity = TenantEntity> = new () => T;
