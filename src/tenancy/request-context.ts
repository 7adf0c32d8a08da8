import type { EntityManager } from 'typeorm';

export interface AuthUser {
  id: string;
  email: string;
  role: 'user' | 'admin';
}

/** Thrown when code that needs a tenant runs without one: a programming error, never a user's. */
export class MissingTenantContextError extends Error {
  constructor(what: string) {
    super(`No ${what} in the request context: tenant-scoped code must not run unscoped.`);
  }
}

/**
 * What a request carries through every service and repository call, explicitly, as the
 * first argument: who acts, in which root, and the transaction if one is open.
 * Immutable; with*() return a new context.
 */
export class RequestContext {
  private constructor(
    readonly requestId: string,
    private readonly _user: AuthUser | undefined,
    private readonly _rootId: string | undefined,
    readonly manager: EntityManager | undefined,
  ) {}

  static anonymous(requestId: string): RequestContext {
    return new RequestContext(requestId, undefined, undefined, undefined);
  }

  static forUser(requestId: string, user: AuthUser): RequestContext {
    return new RequestContext(requestId, user, undefined, undefined);
  }

  withRoot(rootId: string): RequestContext {
    return new RequestContext(this.requestId, this.requireUser(), rootId, this.manager);
  }

  withManager(manager: EntityManager): RequestContext {
    return new RequestContext(this.requestId, this._user, this._rootId, manager);
  }

  get user(): AuthUser | undefined {
    return this._user;
  }

  get rootId(): string | undefined {
    return this._rootId;
  }

  requireUser(): AuthUser {
    if (!this._user) throw new MissingTenantContextError('authenticated user');
    return this._user;
  }

  requireRoot(): string {
    if (!this._rootId) throw new MissingTenantContextError('root');
    return this._rootId;
  }
}

/** Where guards leave the context on the Fastify request. */
export const CONTEXT_KEY = 'fgContext';
/** Where the authentication guard leaves the user on the Fastify request. */
export const USER_KEY = 'user';
