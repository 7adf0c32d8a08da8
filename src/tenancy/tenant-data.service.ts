import { Injectable } from '@nestjs/common';
import { TenantEntity } from '../database/base.entity';
import { OwnerRepository, RootRow } from './owner-repository';
import { TenantEntityClass, TenantRepository } from './tenant-repository';

/** Where features get their repositories: one per entity, stateless, scoped by each call's context. */
@Injectable()
export class TenantData {
  private readonly repos = new Map<Function, TenantRepository<TenantEntity>>();
  private readonly owners = new Map<Function, OwnerRepository<RootRow>>();

  repo<T extends TenantEntity>(entity: TenantEntityClass<T>): TenantRepository<T> {
    let repo = this.repos.get(entity);
    if (!repo) this.repos.set(entity, (repo = new TenantRepository(entity) as unknown as TenantRepository<TenantEntity>));
    return repo as unknown as TenantRepository<T>;
  }

  /** Roots by owner, across root ids (list, create, name checks, transfer). */
  owned<T extends RootRow>(entity: TenantEntityClass<T>): OwnerRepository<T> {
    let repo = this.owners.get(entity);
    if (!repo) this.owners.set(entity, (repo = new OwnerRepository(entity) as unknown as OwnerRepository<RootRow>));
    return repo as unknown as OwnerRepository<T>;
  }
}
