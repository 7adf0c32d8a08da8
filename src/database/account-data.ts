import { Injectable } from '@nestjs/common';
import { EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { UnitOfWork } from './unit-of-work';

/** A repository of an account table, in the context's unit of work. */
export function accountRepo<T extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<T>): Repository<T> {
  const manager = ctx.requireManager();
  const metadata = manager.connection.getMetadata(entity);
  if (metadata.findColumnWithDatabaseName('root_id')) throw new Error(`${metadata.name} is a tenant table: reach it through TenantData.`);
  return manager.getRepository(entity);
}

/**
 * The tables outside any root: accounts and their tokens. Authenticated requests reach them in
 * the request's unit of work (ctx.manager); the public account routes (register, login,
 * refresh, logout) open units of their own here. Tenant tables are refused: they are reached
 * only through src/tenancy.
 */
@Injectable()
export class AccountData {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * Writes of a public route, in a unit of their own (queued on one connection, so that they never land
   * in another request's transaction). Inside a request's unit, they join it.
   */
  write<R>(ctx: RequestContext, fn: (ctx: RequestContext) => Promise<R>): Promise<R> {
    if (ctx.manager) return fn(ctx);
    return this.unitOfWork.write((manager) => fn(ctx.withManager(manager)));
  }

  /** Reads of a public route: committed data only. Inside a request's unit, they join it. */
  read<R>(ctx: RequestContext, fn: (ctx: RequestContext) => Promise<R>): Promise<R> {
    if (ctx.manager) return fn(ctx);
    return this.unitOfWork.read((manager) => fn(ctx.withManager(manager)));
  }
}
