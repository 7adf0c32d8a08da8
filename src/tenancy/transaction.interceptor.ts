import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { UnitOfWork } from '../database/unit-of-work';
import { CONTEXT_KEY, MissingTenantContextError, RequestContext, USER_KEY } from './request-context';
import { TenantData } from './tenant-data.service';
import { DEFERRED_ROOT_CHECK_KEY, DeferredRootCheck } from './tenant.guard';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs the handler in one transaction that follows the request's context: all or nothing for
 * writes, and on PostgreSQL the session scope that row-level security reads. SQLite reads
 * need neither, and skip the queue. On PostgreSQL a tenant route's transaction opens with the
 * check the guards deferred to it, before any other interceptor or pipe of the route runs.
 */
@Injectable()
export class TransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly tenantData: TenantData,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const deferred = request[DEFERRED_ROOT_CHECK_KEY] as DeferredRootCheck | undefined;
    if (deferred) {
      return from(
        this.tenantData.enterRoot(deferred, (request[CONTEXT_KEY] as RequestContext).requestId, (txCtx) => {
          request[USER_KEY] = txCtx.requireUser();
          request[CONTEXT_KEY] = txCtx;
          return lastValueFrom(next.handle(), { defaultValue: undefined });
        }),
      );
    }
    const ctx = request[CONTEXT_KEY] as RequestContext | undefined;
    if (!ctx?.user) throw new MissingTenantContextError('authenticated user');
    if (!this.unitOfWork.isPostgres && READS.has(request.method)) return next.handle();
    return from(
      this.tenantData.transaction(ctx, (txCtx) => {
        request[CONTEXT_KEY] = txCtx;
        return lastValueFrom(next.handle(), { defaultValue: undefined });
      }),
    );
  }
}
