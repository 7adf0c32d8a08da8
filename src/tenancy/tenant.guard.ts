import { CanActivate, ExecutionContext, Injectable, NotFoundException, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONTEXT_KEY, MissingTenantContextError, RequestContext } from './request-context';
import { RootAccess } from './root-access';

const ALLOW_DELETED_ROOT = 'tenancy:allowDeletedRoot';
/** For the restore route only: the guard also admits the owner's soft-deleted root. */
export const AllowDeletedRoot = () => SetMetadata(ALLOW_DELETED_ROOT, true);

export const ROOT_NOT_FOUND = 'Root not found';

export const TENANT_ROUTE = 'tenancy:tenantRoute';
/** Marks the routes that the tenant guard protects (TenantRoute() sets it with the guard). */
export const MarkTenantRoute = () => SetMetadata(TENANT_ROUTE, true);

/** Where the authentication guard leaves the ownership it checked in its own user query. */
export const ROOT_CHECK_KEY = 'fgRootCheck';
export interface RootCheck {
  userId: string;
  rootId: string;
  withDeleted: boolean;
  owned: boolean;
}

/**
 * PostgreSQL: what the authentication guard left unchecked on a tenant route, for the
 * transaction interceptor to check in its opening statement (TenantData.enterRoot).
 */
export const DEFERRED_ROOT_CHECK_KEY = 'fgDeferredRootCheck';
export interface DeferredRootCheck {
  userId: string;
  /** The access token's, for admitAccount. */
  tokenVersion: number;
  rootId: string;
  withDeleted: boolean;
}

/** The :rootId a request names, as sent, and whether its handler admits a soft-deleted root. */
function rootParams(reflector: Reflector, context: ExecutionContext): { rootId: unknown; withDeleted: boolean } {
  return {
    rootId: context.switchToHttp().getRequest().params?.rootId,
    withDeleted: reflector.get<boolean>(ALLOW_DELETED_ROOT, context.getHandler()) ?? false,
  };
}

/** The root a tenant route asks for, if the route is one and its :rootId can be a root's id. */
export function requestedRoot(reflector: Reflector, context: ExecutionContext): { rootId: string; withDeleted: boolean } | undefined {
  if (!reflector.getAllAndOverride<boolean>(TENANT_ROUTE, [context.getHandler(), context.getClass()])) return undefined;
  const { rootId, withDeleted } = rootParams(reflector, context);
  if (typeof rootId !== 'string' || !isUuid(rootId)) return undefined;
  return { rootId, withDeleted };
}

/**
 * Resolves the authenticated user to the root named by :rootId. Unknown, foreign and deleted
 * roots answer the same 404, so a caller learns nothing about roots that are not theirs.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    private readonly roots: RootAccess,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const { rootId, withDeleted } = rootParams(this.reflector, context);
    const deferred = request[DEFERRED_ROOT_CHECK_KEY] as DeferredRootCheck | undefined;
    if (deferred) {
      // The check happens in the route's transaction; the context stays userless until then.
      if (deferred.rootId !== rootId || deferred.withDeleted !== withDeleted) throw new MissingTenantContextError('checked root');
      return true;
    }
    const ctx = request[CONTEXT_KEY] as RequestContext | undefined;
    if (!ctx?.user) throw new MissingTenantContextError('authenticated user');
    if (typeof rootId !== 'string' || !isUuid(rootId)) throw new NotFoundException(ROOT_NOT_FOUND);
    // The authentication guard usually answered this in its own query; if not, ask here.
    const check = request[ROOT_CHECK_KEY] as RootCheck | undefined;
    const answered = check && check.userId === ctx.user.id && check.rootId === rootId && check.withDeleted === withDeleted;
    const owned = answered ? check.owned : await this.roots.isOwned(ctx, rootId, { withDeleted });
    if (!owned) throw new NotFoundException(ROOT_NOT_FOUND);
    request[CONTEXT_KEY] = ctx.withRoot(rootId);
    return true;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
