/**
 * Refusals of the scoped layer. Each is a programming error (a request never causes one: the
 * DTOs refuse such input first), so each surfaces as a 500 and in the log, and nothing runs.
 */
export abstract class ScopeError extends Error {}

/** A filter or a row names a root other than the context's. */
export class ForeignRootError extends ScopeError {
  constructor(entity: string) {
    super(`Refused: a ${entity} filter or row names a root other than the request's.`);
  }
}

/** A write names a column that only the server sets (ids, the root, the owner, audit stamps, version, deletion). */
export class ServerColumnError extends ScopeError {
  constructor(entity: string, column: string) {
    super(`Refused: ${entity}.${column} is set by the server, never by a create or a patch.`);
  }
}

/** A write without a filter would touch every row of the root. */
export class UnfilteredWriteError extends ScopeError {
  constructor(entity: string) {
    super(`Refused: an update of ${entity} needs a filter; an empty one would change every row of the root.`);
  }
}

/** A query-builder call that could leave the scope (orWhere, a second FROM, a raw table, a write, the scope's parameter). */
export class ScopeEscapeError extends ScopeError {
  constructor(what: string) {
    super(`Refused: ${what} could take a scoped query out of its scope.`);
  }
}
