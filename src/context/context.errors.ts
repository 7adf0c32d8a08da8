/**
 * Programming errors: code ran without what it needs from the request's context. Never a
 * user's mistake, so they surface as 500 and in the log, and nothing runs unscoped.
 */
export abstract class ContextError extends Error {}

export class UserRequiredError extends ContextError {
  constructor() {
    super('No admitted user in the request context: user-scoped code must not run without one.');
  }
}

export class RootRequiredError extends ContextError {
  constructor() {
    super('No root in the request context: tenant-scoped code must not run unscoped.');
  }
}

export class UnitOfWorkRequiredError extends ContextError {
  constructor() {
    super("No unit of work in the request context: data access runs inside the request's unit of work.");
  }
}
