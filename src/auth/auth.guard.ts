import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerAuthError, INVALID_TOKEN, MISSING_TOKEN } from '../context/bearer-auth.error';
import { CONTEXT_KEY, RequestContext } from '../context/request-context';
import { IS_PUBLIC } from './public.decorator';
import { TokenService } from './token.service';

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

interface GuardedRequest {
  id?: string;
  headers: Record<string, string | string[] | undefined>;
  [key: string]: unknown;
}

/** Fastify's id of the request (requestIdFor), which its log line and X-Request-Id carry too. */
export function requestIdOf(request: GuardedRequest): string {
  const id = request.id;
  return id === undefined ? '' : String(id);
}

/**
 * Global (APP_GUARD): every route needs a valid access token unless it is @Public(). It
 * verifies the token and nothing more: no database work. The context it leaves is
 * authenticated, not admitted: the request's unit of work (src/tenancy) reads the account in
 * its first statement, and only then does the context have a user.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
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
    request[CONTEXT_KEY] = RequestContext.authenticated(requestId, { userId: claims.sub, tokenVersion: claims.ver });
    return true;
  }
}
