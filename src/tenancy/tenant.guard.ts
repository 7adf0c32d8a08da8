import { CanActivate, ExecutionContext, Injectable, NotFoundException, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONTEXT_KEY, MissingTenantContextError, RequestContext } from './request-context';
import { RootAccess } from './root-access';

const ALLOW_DELETED_ROOT = 'tenancy:allowDeletedRoot';
/** For the restore route only: the guard also admits the owner's soft-deleted root. */
export const AllowDeletedRoot = () => SetMetadata(ALLOW_DELETED_ROOT, true);

export const ROOT_NOT_FOUND = 'Root not found';

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
    const ctx = request[CONTEXT_KEY] as RequestContext | undefined;
    if (!ctx?.user) throw new MissingTenantContextError('authenticated user');
    const rootId: unknown = request.params?.rootId;
    if (typeof rootId !== 'string' || !isUuid(rootId)) throw new NotFoundException(ROOT_NOT_FOUND);
    const withDeleted = this.reflector.get<boolean>(ALLOW_DELETED_ROOT, context.getHandler()) ?? false;
    if (!(await this.roots.isOwned(ctx, rootId, { withDeleted }))) throw new NotFoundException(ROOT_NOT_FOUND);
    request[CONTEXT_KEY] = ctx.withRoot(rootId);
    return true;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
