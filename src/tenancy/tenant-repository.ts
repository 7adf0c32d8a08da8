import { randomUUID } from 'node:crypto';
import { EntityManager, FindOperator, FindOptionsOrder, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { dialectOf } from '../database/dialect';
import { ForeignRootError, ScopeEscapeError, ServerColumnError, UnfilteredWriteError } from './scope.errors';
import { RootScopedQueryBuilder, SCOPE_PARAM } from './scoped-query-builder';

/** Columns only the server sets: never in a create (id aside) or a patch. */
export const SERVER_COLUMNS = ['id', 'rootId', 'userId', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'deletedAt', 'deletionId'] as const;
type ServerColumn = (typeof SERVER_COLUMNS)[number];

/** What a create may give: the entity's own fields, and an id of its choosing. */
export type TenantCreate<T> = Partial<Omit<T, ServerColumn>> & { id?: string };
/** What a patch may change: the entity's own fields. */
export type TenantPatch<T> = Partial<Omit<T, ServerColumn>>;
export type TenantWhere<T> = FindOptionsWhere<T>;

export interface FindManyOptions<T> {
  where?: TenantWhere<T> | TenantWhere<T>[];
  order?: FindOptionsOrder<T>;
  take?: number;
  skip?: number;
  withDeleted?: boolean;
}

/** Rows per INSERT: well under both engines' limits on bound parameters. */
const INSERT_BATCH = 200;

/**
 * The only way features reach a tenant table. Every statement it runs is restricted to the
 * context's root and runs in the context's unit of work; a context without either throws before
 * any SQL is built. Reads go through a RootScopedQueryBuilder, so a caller's condition can
 * never widen them. Writes are plain INSERTs (an id that exists anywhere is a conflict, never
 * an upsert), and UPDATEs whose root term is bracketed apart from the caller's filter.
 */
export class TenantRepository<T extends TenantEntity> {
  constructor(readonly target: TenantEntityClass<T>) {}

  /** A SELECT restricted to the root; see RootScopedQueryBuilder for what it refuses. */
  createQueryBuilder(ctx: RequestContext, alias: string): RootScopedQueryBuilder<T> {
    const rootId = ctx.requireRoot();
    const manager = ctx.requireManager();
    const qb = new RootScopedQueryBuilder<T>(manager.connection, manager.queryRunner).bindScope(rootId);
    qb.select(alias).from(this.target, alias);
    return qb;
  }

  async find(ctx: RequestContext, options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.query(ctx, options).getMany();
  }

  async findOne(ctx: RequestContext, where: TenantWhere<T>, withDeleted = false): Promise<T | null> {
    return this.query(ctx, { where, withDeleted, take: 1 }).getOne();
  }

  async findById(ctx: RequestContext, id: string, withDeleted = false): Promise<T | null> {
    return this.findOne(ctx, { id } as TenantWhere<T>, withDeleted);
  }

  async count(ctx: RequestContext, where?: TenantWhere<T> | TenantWhere<T>[]): Promise<number> {
    return this.query(ctx, { where }).getCount();
  }

  /**
   * Locks a row of the root until the unit of work ends (where writers are serialized already,
   * there is nothing to lock), so that a check and the write it allows cannot interleave with
   * another request's.
   */
  async lockById(ctx: RequestContext, id: string): Promise<void> {
    const qb = this.createQueryBuilder(ctx, 'locked').select('locked.id').andWhere('locked.id = :lockedId', { lockedId: id });
    await dialectOf(ctx.requireManager().connection).lockForUpdate(qb).getRawOne();
  }

  /** Inserts rows of the context's root, stamped with who made them, and answers them as stored. */
  async insert(ctx: RequestContext, values: TenantCreate<T>): Promise<T>;
  async insert(ctx: RequestContext, values: TenantCreate<T>[]): Promise<T[]>;
  async insert(ctx: RequestContext, values: TenantCreate<T> | TenantCreate<T>[]): Promise<T | T[]> {
    const rootId = ctx.requireRoot();
    const manager = ctx.requireManager();
    const userId = ctx.requireUser().id;
    const list = Array.isArray(values) ? values : [values];
    const rows = list.map((v) => {
      this.refuseServerColumns(manager, v as ObjectLiteral, ['id']);
      return { ...v, id: v.id ?? randomUUID(), rootId, createdBy: userId, updatedBy: userId };
    });
    const ids = rows.map((r) => r.id);
    // updateEntity(false): the rows are read back below anyway, and TypeORM's own read-back on
    // SQLite merges the rows it re-selects into the values by position, in no set order, which
    // swaps the ids of a multi-row insert.
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(this.target)
        .values(rows.slice(i, i + INSERT_BATCH) as QueryDeepPartialEntity<T>[])
        .updateEntity(false)
        .execute();
    }
    const stored = new Map((await this.query(ctx, { where: { id: In(ids) } as TenantWhere<T>, withDeleted: true }).getMany()).map((r) => [r.id, r]));
    const saved = ids.map((id) => stored.get(id)!);
    return Array.isArray(values) ? saved : saved[0];
  }

  /**
   * Updates live rows of the context's root that match `where`; returns how many matched.
   * The version goes up by one on versioned tables (TypeORM's update does it), updated_at and
   * updated_by are stamped here.
   */
  async update(ctx: RequestContext, where: TenantWhere<T>, patch: TenantPatch<T>): Promise<number> {
    const manager = ctx.requireManager();
    this.refuseServerColumns(manager, patch as ObjectLiteral);
    if (Object.keys(patch).length === 0) return 0;
    const id = soleId(where);
    if (id !== undefined && manager.queryRunner && !Object.values(patch).some((v) => typeof v === 'function')) return this.updateById(ctx, id, patch);
    return this.write(ctx, where, { ...patch, updatedAt: () => dialectOf(manager.connection).now, updatedBy: ctx.requireUser().id }, true);
  }

  /**
   * update() of one live row by id, as one fixed statement whose values are all bound: TypeORM's
   * SQLite driver writes numbers into the SQL text (AbstractSqliteDriver.escapeQueryWithParameters),
   * so every new value was a new statement to prepare, and each one pushed a prepared statement
   * out of the driver's cache. The same columns as write(): the patch, updated_at, updated_by,
   * the version, under the root and deleted_at IS NULL.
   */
  private async updateById(ctx: RequestContext, id: string, patch: TenantPatch<T>): Promise<number> {
    const rootId = ctx.requireRoot();
    const manager = ctx.requireManager();
    const metadata = manager.connection.getMetadata(this.target);
    const dialect = dialectOf(manager.connection);
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [property, value] of Object.entries(patch as ObjectLiteral)) {
      if (value === undefined) continue;
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new TypeError(`${metadata.name} has no column "${property}"`);
      sets.push(`"${column.databaseName}" = ?`);
      values.push(manager.connection.driver.preparePersistentValue(value, column));
    }
    if (sets.length === 0) return 0;
    sets.push(`"updated_at" = ${dialect.now}`, `"updated_by" = ?`);
    values.push(ctx.requireUser().id);
    if (metadata.versionColumn) sets.push(`"${metadata.versionColumn.databaseName}" = "${metadata.versionColumn.databaseName}" + 1`);
    const sql = `UPDATE "${metadata.tableName}" SET ${sets.join(', ')} WHERE "id" = ? AND "root_id" = ? AND "deleted_at" IS NULL`;
    const result = await manager.queryRunner!.query(dialect.sql(sql), [...values, id, rootId], true);
    return result.affected ?? 0;
  }

  /**
   * Soft-deletes the given live rows under one deletion id, which restore() takes back.
   * Rows already deleted keep their own deletion, so a restore never revives them.
   */
  async softDelete(ctx: RequestContext, ids: string[], deletionId: string = randomUUID()): Promise<{ deletionId: string; count: number }> {
    if (ids.length === 0) return { deletionId, count: 0 };
    const now = dialectOf(ctx.requireManager().connection).now;
    const set = { deletedAt: () => now, updatedAt: () => now, deletionId, updatedBy: ctx.requireUser().id };
    const count = await this.write(ctx, { id: In(ids) } as TenantWhere<T>, set, true);
    return { deletionId, count };
  }

  /** Brings back exactly the rows one soft delete took. */
  async restore(ctx: RequestContext, deletionId: string): Promise<number> {
    const now = dialectOf(ctx.requireManager().connection).now;
    const set = { deletedAt: null, deletionId: null, updatedAt: () => now, updatedBy: ctx.requireUser().id };
    return this.write(ctx, { deletionId } as TenantWhere<T>, set, false);
  }

  private query(ctx: RequestContext, { where, order, take, skip, withDeleted }: FindManyOptions<T>): RootScopedQueryBuilder<T> {
    const qb = this.createQueryBuilder(ctx, this.nameIn(ctx.requireManager()));
    return qb.setFindOptions({ where: this.ownFilter(ctx, where), order, take, skip, withDeleted });
  }

  private nameIn(manager: EntityManager): string {
    return manager.connection.getMetadata(this.target).name;
  }

  /**
   * One UPDATE: the caller's filter, then the root (and, for live rows, deleted_at IS NULL) as
   * a separate bracketed term that TypeORM renders as `WHERE (filter) AND (root ...)`.
   */
  private async write(ctx: RequestContext, where: TenantWhere<T>, set: ObjectLiteral, liveOnly: boolean): Promise<number> {
    const rootId = ctx.requireRoot();
    const manager = ctx.requireManager();
    const filter = this.ownFilter(ctx, where);
    if (filter === undefined || Array.isArray(filter)) throw new UnfilteredWriteError(this.nameIn(manager));
    const qb = manager.createQueryBuilder().update(this.target).set(set as QueryDeepPartialEntity<T>).where(filter);
    qb.expressionMap.extraAppendedAndWhereCondition = `root_id = :${SCOPE_PARAM}${liveOnly ? ' AND deleted_at IS NULL' : ''}`;
    qb.expressionMap.parameters[SCOPE_PARAM] = rootId;
    const result = await qb.execute();
    return result.affected ?? 0;
  }

  /**
   * The caller's filter without the root: a filter that names this root may say so, one that
   * names another is refused. Raw SQL operators are refused: a filter object carries values.
   * An empty filter is undefined.
   */
  private ownFilter(ctx: RequestContext, where?: TenantWhere<T> | TenantWhere<T>[]): TenantWhere<T> | TenantWhere<T>[] | undefined {
    if (where === undefined) return undefined;
    const rootId = ctx.requireRoot();
    const name = this.nameIn(ctx.requireManager());
    const strip = (w: TenantWhere<T>) => {
      const { rootId: given, ...rest } = w as ObjectLiteral;
      if (given !== undefined && given !== rootId) throw new ForeignRootError(name);
      for (const value of Object.values(rest)) refuseRaw(value, name);
      return rest as TenantWhere<T>;
    };
    if (Array.isArray(where)) return where.length === 0 ? undefined : where.map(strip);
    const own = strip(where);
    return Object.values(own).some((v) => v !== undefined) ? own : undefined;
  }

  private refuseServerColumns(manager: EntityManager, values: ObjectLiteral, allowed: readonly string[] = []): void {
    const name = this.nameIn(manager);
    for (const column of SERVER_COLUMNS) {
      if (allowed.includes(column) || values[column] === undefined) continue;
      if (column === 'rootId') throw new ForeignRootError(name);
      throw new ServerColumnError(name, column);
    }
  }
}

/** The id of a filter that names one row by its id and nothing else. */
function soleId(where: ObjectLiteral): string | undefined {
  const keys = Object.keys(where);
  return keys.length === 1 && keys[0] === 'id' && typeof where.id === 'string' ? where.id : undefined;
}

function refuseRaw(value: unknown, entity: string): void {
  if (!(value instanceof FindOperator)) return;
  if (value.type === 'raw') throw new ScopeEscapeError(`a Raw() condition in a ${entity} filter object`);
  if (value.child !== undefined) refuseRaw(value.child, entity);
}

export type TenantEntityClass<T extends TenantEntity = TenantEntity> = new () => T;
