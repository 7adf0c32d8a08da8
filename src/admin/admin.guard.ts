import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { CONTEXT_KEY, MissingTenantContextError, RequestContext } from '../tenancy/request-context';

/** Admin routes answer 403 to everyone else, before any data is touched. */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const ctx = context.switchToHttp().getRequest()[CONTEXT_KEY] as RequestContext | undefined;
    if (!ctx?.user) throw new MissingTenantContextError('authenticated user');
    if (ctx.user.role !== 'admin') throw new ForbiddenException('Administrators only.');
    return true;
  }
}
