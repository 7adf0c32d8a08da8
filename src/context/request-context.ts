import type { EntityManager } from 'typeorm';
import { ForbiddenException } from '@nestjs/common';
import { RootRequiredError, UnitOfWorkRequiredError, UserRequiredError } from './context.errors';

export interface AuthUser {
  id: string;
  email: string;
  role: 'user' | 'admin';
}

/** What a verified access token says: who, and under which token version it was issued. */
export interface TokenClaims {
  userId: string;
  tokenVersion: number;
}

/**
 * What a request carries through every service and repository call, explicitly, as the first
 * argument: who acts, in which root, and the unit of work it runs in. Immutable; each step
 * returns a new context. Its life:
 *   anonymous -> authenticated (a verified token, nothing read yet) -> admitted (the account
 *   was read and is live, in the request's unit of work) -> rooted (the root is the user's).
 * Only an admitted context has a user, and only a rooted one a root: code that needs either
 * throws without it, so nothing tenant-scoped can run on a context that skipped a step.
 */
export class RequestContext {
  private constructor(
    readonly requestId: string,
    private readonly _claims: TokenClaims | undefined,
    private readonly _user: AuthUser | undefined,
    private readonly _rootId: string | undefined,
    readonly manager: EntityManager | undefined,
  ) {}

  static anonymous(requestId: string): RequestContext {
    return new RequestContext(requestId, undefined, undefined, undefined, undefined);
  }

  /** A verified access token; the account is admitted by the request's unit of work. */
  static authenticated(requestId: string, claims: TokenClaims): RequestContext {
    return new RequestContext(requestId, claims, undefined, undefined, undefined);
  }

  /** An admitted user outside a request: command-line tools, and tests. */
  static forUser(requestId: string, user: AuthUser): RequestContext {
    return new RequestContext(requestId, undefined, user, undefined, undefined);
  }

  /** The account of the claims, read and found live. */
  admit(user: AuthUser): RequestContext {
    if (!this._claims || this._claims.userId !== user.id) throw new UserRequiredError();
    return new RequestContext(this.requestId, this._claims, user, this._rootId, this.manager);
  }

  withRoot(rootId: string): RequestContext {
    return new RequestContext(this.requestId, this._claims, this.requireUser(), rootId, this.manager);
  }

  withManager(manager: EntityManager): RequestContext {
    return new RequestContext(this.requestId, this._claims, this._user, this._rootId, manager);
  }

  get claims(): TokenClaims | undefined {
    return this._claims;
  }

  get user(): AuthUser | undefined {
    return this._user;
  }

  get rootId(): string | undefined {
    return this._rootId;
  }

  requireUser(): AuthUser {
    if (!this._user) throw new UserRequiredError();
    return this._user;
  }

  requireRoot(): string {
    if (!this._rootId) throw new RootRequiredError();
    return this._rootId;
  }

  requireManager(): EntityManager {
    if (!this.manager) throw new UnitOfWorkRequiredError();
    return this.manager;
  }

  /** The one check of the admin role: 403 for everyone else. */
  requireAdmin(): AuthUser {
    const user = this.requireUser();
    if (user.role !== 'admin') throw new ForbiddenException('Administrators only.');
    return user;
  }
}

/** The one slot a request carries: the context, set by the authentication guard and replaced by the unit of work. */
export const CONTEXT_KEY = 'fgContext';
