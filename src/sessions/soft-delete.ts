import { RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { TenantRepository } from '../tenancy/tenant-repository';

/** Ids per statement: well under both engines' limits on bound parameters. */
const CHUNK = 500;

/** Soft-deletes the rows under one deletion id, in statements of a bounded size. */
export async function softDeleteAll<T extends TenantEntity>(repo: TenantRepository<T>, ctx: RequestContext, ids: string[], deletionId: string): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) await repo.softDelete(ctx, ids.slice(i, i + CHUNK), deletionId);
}
