import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { AppConfig } from '../config/env';
import { createThrottlerStorage } from '../http/throttler-storage';
import { CONTEXT_KEY, RequestContext } from '../context/request-context';
import { normalizeEmail } from './auth.dto';

export const RATE_LIMITED = 'Too many attempts. Try again later.';

/**
 * The account an attempt is about: the body's email, or, for a signed-in user changing their
 * password, the account id of the verified token (the guard runs before the account is read).
 */
function accountOf(req: { body?: unknown; [CONTEXT_KEY]?: RequestContext }): string | undefined {
  const email = normalizeEmail((req.body as { email?: unknown } | undefined)?.email);
  if (typeof email === 'string' && email !== '') return email;
  const userId = req[CONTEXT_KEY]?.claims?.userId;
  return userId ? `user:${userId}` : undefined;
}

/**
 * The storage of the counters: Redis when REDIS_URL is set, so that several instances share
 * the limits; otherwise (undefined) the library's in-memory store, which limits per process.
 */
export function rateLimitStorage(config: AppConfig): ThrottlerStorage | undefined {
  return createThrottlerStorage(config);
}

/**
 * Two limits on login, register and password changes, both counted on every attempt: per
 * client IP, and per account (the normalized email of the body, or the signed-in account), so
 * that neither many addresses nor many accounts get around it. Each route counts apart.
 */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  const ttl = config.authRateLimit.ttlSeconds * 1000;
  return {
    storage: rateLimitStorage(config),
    errorMessage: RATE_LIMITED,
    // The guard sets one plain Retry-After itself; the library would suffix it with the throttler's name.
    setHeaders: false,
    throttlers: [
      { name: 'ip', limit: config.authRateLimit.perIp, ttl },
      {
        name: 'account',
        limit: config.authRateLimit.perAccount,
        ttl,
        skipIf: (context: ExecutionContext) => accountOf(context.switchToHttp().getRequest()) === undefined,
        getTracker: (req) => `account:${accountOf(req)}`,
      },
    ],
  };
}

/** Applied with @UseGuards on the routes it limits. Over the limit: 429, the shared error shape, Retry-After. */
@Injectable()
export class AuthRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>();
    reply.header('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw new ThrottlerException(RATE_LIMITED);
  }
}
