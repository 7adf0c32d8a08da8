import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CONTEXT_KEY, RequestContext, USER_KEY } from '../tenancy/request-context';
import { RootAccess } from '../tenancy/root-access';
import { DEFERRED_ROOT_CHECK_KEY, DeferredRootCheck, requestedRoot, ROOT_CHECK_KEY, RootCheck } from '../tenancy/tenant.guard';
import { AccountRow, admitAccount } from './account-check';
import { BearerAuthError, INVALID_TOKEN, MISSING_TOKEN } from './auth.errors';
import { IS_PUBLIC } from './public.decorator';
import { TokenService } from './token.service';
import { User } from './user.entity';

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

interface GuardedRequest {
  id?: string;
  raw?: { id?: unknown };
  headers: Record<string, string | string[] | undefined>;
  [key: string]: unknown;
}

/** The id pino-http gave the request (on the raw Node request), so that logs and context agree. */
export function requestIdOf(request: GuardedRequest): string {
  const id = request.raw?.id ?? request.id;
  return id === undefined ? '' : String(id);
}

/**
 * Global (APP_GUARD): every route needs a valid access token unless it is @Public().
 * Then one primary-key lookup refuses a disabled or deleted user at once, even while the
 * token is still valid. Leaves request[USER_KEY] (AuthUser) and request[CONTEXT_KEY]
 * (RequestContext.forUser) for the tenant guard and the controllers. On PostgreSQL a tenant
 * route defers that lookup to its transaction's first statement (TransactionInterceptor).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly roots: RootAccess,
  ) {}

  private readonly postgres = this.users.manager.connection.options.type === 'postgres';
  private readonly userSql = `SELECT id, email, role, is_active, token_version FROM users WHERE id = ${this.postgres ? '$1' : '?'} AND deleted_at IS NULL`;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const requestId = requestIdOf(request);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      request[CONTEXT_KEY] = RequestContext.anonymous(requestId);
      return true;
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw new BearerAuthError(MISSING_TOKEN, false);
    const claims = this.tokens.verifyAccess(match[1]);
    if (!claims) throw new BearerAuthError(INVALID_TOKEN, true);
    const root = requestedRoot(this.reflector, context);
    if (root && this.postgres) {
      // The transaction interceptor checks the account and the root in the statement that
      // opens the route's transaction (fg_enter_root). Until then the context has no user,
      // so nothing tenant-scoped can run on it.
      request[DEFERRED_ROOT_CHECK_KEY] = { userId: claims.sub, tokenVersion: claims.ver, ...root } satisfies DeferredRootCheck;
      request[CONTEXT_KEY] = RequestContext.anonymous(requestId);
      return true;
    }
    const authUser = admitAccount(await this.loadUser(request, claims.sub, root), claims.ver);
    request[USER_KEY] = authUser;
    request[CONTEXT_KEY] = RequestContext.forUser(requestId, authUser);
    return true;
  }

  /**
   * Plain SQL on purpose: this runs on every request, and the query builder cost more than the
   * query. On a tenant route the same query also answers whether the user owns the root, for
   * the tenant guard, which then needs no query of its own.
   */
  private async loadUser(request: GuardedRequest, userId: string, root: ReturnType<typeof requestedRoot>): Promise<AccountRow | undefined> {
    if (!root) return ((await this.users.query(this.userSql, [userId])) as AccountRow[])[0];
    const row = await this.roots.userWithOwnership<AccountRow>(USER_COLUMNS, userId, root.rootId, root.withDeleted);
    if (row) request[ROOT_CHECK_KEY] = { userId: row.id, ...root, owned: row.owned } satisfies RootCheck;
    return row;
  }
}

const USER_COLUMNS = 'users.id, users.email, users.role, users.is_active, users.token_version';
