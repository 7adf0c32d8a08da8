import { CallHandler, ExecutionContext, Injectable, NestInterceptor, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AccountRow, admitAccount } from '../context/account-check';
import { CONTEXT_KEY, RequestContext } from '../context/request-context';
import { Admission } from '../database/dialect';
import { UnitOfWork } from '../database/unit-of-work';
import { ROUTE_KEYS } from './route.decorators';

export const ROOT_NOT_FOUND = 'Root not found';

const READS = new Set(['GET', 'HEAD']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where every authenticated request enters its unit of work, and, on a route with `:rootId`,
 * its root. The authentication guard only verified the token. Here, for reads and writes
 * alike, one unit of work opens (UnitOfWork.request), and its first statement admits the
 * account (live, active, the token's version) and checks that the root is a live root of that
 * user (Dialect.admission; with row-level security, fg_enter_root, which also sets its scope). Then
 * the RequestContext is built, with the user, the root and the unit's manager, and the rest of
 * the route (pipes, interceptors, the handler) runs inside the unit.
 * A refused account is a 401 before any 404; an unknown, foreign, deleted or malformed root is
 * the same 404. Any route whose path has `:rootId` is a tenant route: no marker to forget.
 */
@Injectable()
export class RequestUnitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const ctx = request[CONTEXT_KEY] as RequestContext | undefined;
    const claims = ctx?.claims;
    if (!ctx || !claims) return next.handle(); // a public route: nothing to admit
    const flag = (key: string) => this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) ?? false;
    const admin = flag(ROUTE_KEYS.ADMIN_ROUTE);
    const rootParam: unknown = admin ? undefined : request.params?.rootId;
    const tenant = rootParam !== undefined;
    const rootId = typeof rootParam === 'string' && UUID.test(rootParam) ? rootParam : undefined;
    const who: Admission = { userId: claims.userId, root: rootId ? { id: rootId, withDeleted: flag(ROUTE_KEYS.ALLOW_DELETED_ROOT) } : undefined };
    // Admin reads write their audit row: every admin route is a write unit.
    const kind = READS.has(request.method) && !admin ? 'read' : 'write';
    return from(
      this.unitOfWork.request(kind, this.unitOfWork.dialect.admission(who), (manager, rows) => {
        const row = rows[0] as (AccountRow & { owned?: unknown }) | undefined;
        let admitted = ctx.admit(admitAccount(row, claims)).withManager(manager);
        if (admin) admitted.requireAdmin();
        if (tenant) {
          if (!rootId || !this.unitOfWork.dialect.isTrue(row?.owned)) throw new NotFoundException(ROOT_NOT_FOUND);
          admitted = admitted.withRoot(rootId);
        }
        request[CONTEXT_KEY] = admitted;
        return lastValueFrom(next.handle(), { defaultValue: undefined });
      }),
    );
  }
}
