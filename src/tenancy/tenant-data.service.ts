import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { UnitOfWork } from '../database/unit-of-work';
import { RequestContext } from './request-context';
import { TenantEntityClass, TenantRepository } from './tenant-repository';

/** Entry point to tenant data: scoped repositories, and transactions that follow the context. */
@Injectable()
export class TenantData {
  private readonly repos = new Map<Function, TenantRepository<TenantEntity>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
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
}
