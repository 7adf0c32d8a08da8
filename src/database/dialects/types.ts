import type { DataSource, EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { DbEngine } from '../../config/env';

/** A fixed SQL text with `?` placeholders (see Dialect.sql), and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
  /**
   * Planned with each call's values instead of once per connection: on PostgreSQL a named
   * statement's plan may become generic after five calls, planned without the values, and for a
   * statement whose best plan depends on how much the root holds that can be ruinous (the
   * series' generic plan scanned a metric's every value once per instance: BENCHMARKS.md).
   */
  planPerCall?: boolean;
}

/** Who opens a request's unit of work, and on a tenant route which root. */
export interface Admission {
  userId: string;
  root?: { id: string; withDeleted: boolean };
}

/** What an administrator's cross-tenant action says of itself, for the audit log. */
export interface AuditNote {
  actorUserId: string;
  action: string;
  targetRootId: string | null;
  requestId: string;
  details: Record<string, unknown>;
}

/** The account columns an admission answers, and on a tenant route whether the root is the user's (`owned`). */
export const ACCOUNT_COLUMNS = 'id, email, role, is_active, token_version';

/** What the migration runner does differently per engine, around its one transaction. */
export interface MigrationEngine {
  /** Refuses, before the database is opened, a target this code must not touch. */
  checkTarget(location: string): void;
  /** Refuses, once opened, a database this code must not touch (another application's, a newer version's). */
  preflight(ds: DataSource, qr: QueryRunner, legacyTables: string[]): Promise<void>;
  /** A backup before anything changes; answers its path, or undefined when there is nothing to back up. */
  backup(ds: DataSource, qr: QueryRunner, dir: string): Promise<string | undefined>;
  /** Settings around the run's transaction; answers what puts them back. */
  prepare(qr: QueryRunner, options: { switchJournal: boolean; log: (line: string) => void }): Promise<() => Promise<void>>;
  /** The transaction's first statement: keeps other instances from migrating at once. */
  lock(qr: QueryRunner): Promise<void>;
  /**
   * Before the migrations, in the transaction: answers what repairs, after them, what a table
   * rebuild took away (SQLite drops a table's triggers with it), refuses a schema that lost what
   * it cannot repair, and answers what to add to the closing line.
   */
  watch(qr: QueryRunner): Promise<() => Promise<string>>;
  /** Whole-database checks before the commit; answers what to add to the closing line. */
  verify(qr: QueryRunner, log: (line: string) => void): Promise<string>;
}

/**
 * Everything that differs between the two engines, in one place. Features and mechanisms ask
 * the dialect; they never test the engine themselves.
 */
export interface Dialect {
  readonly engine: DbEngine;
  /** The engine gives TypeORM one connection (SQLite): units of work must be queued on it. */
  readonly oneConnection: boolean;
  /**
   * Write units run one at a time (SQLite's queue): what a write unit read cannot change before
   * it ends, so it takes no row locks. False where units run side by side and lock rows.
   */
  readonly serializedWrites: boolean;
  /**
   * The first statement of a writing transaction where the engine must take the write lock up
   * front (SQLite); undefined where row locks do the work (PostgreSQL).
   */
  readonly writeLock?: Statement;
  /**
   * Runs a fixed statement (an opening statement, which runs in every unit of work, or a lean
   * tenant statement of src/tenancy/tenant-sql.ts) prepared once per connection, in the
   * manager's connection and transaction; with planPerCall, planned on each call where the
   * engine would otherwise keep a plan (PostgreSQL).
   */
  prepared(manager: EntityManager, statement: Statement): Promise<unknown[]>;
  /**
   * A second, read-only data source whose reads see committed data only, for engines where the
   * main connection would also see other units' open transactions; undefined where not needed.
   */
  openReader(dataSource: DataSource): Promise<DataSource | undefined>;
  /** Column type of timestamps. */
  readonly timestampType: 'datetime' | 'timestamptz';
  /** The time now, with milliseconds, as an SQL expression (SQLite's CURRENT_TIMESTAMP has whole seconds). */
  readonly now: string;
  /** A fixed SQL text written with `?` placeholders, as the engine takes it. */
  sql(text: string): string;
  /**
   * `IN` a list bound as one parameter, the predicate that follows a column: `x <inList('?')>`;
   * listValue gives the parameter's value. On PostgreSQL `= ANY(array)`, not
   * `IN (SELECT unnest(...))`: a generic plan of the sub-query form hashes every row of the root,
   * planned for a root of average size (EXPLAIN ANALYZE on the heavy root of the bench's M: 57 ms
   * against 0.6), where `= ANY` seeks the index once per element (BENCHMARKS.md, "Fifth pass").
   */
  inList(placeholder: string): string;
  listValue(values: readonly unknown[]): unknown;
  /** A Date as a parameter compared with timestamp columns. */
  timestamp(value: Date): string;
  /** A timestamp column as text that compares exactly (keyset cursors keep microseconds). */
  timestampText(column: string): string;
  /** A timestamp column's value as a raw row returns it (getRawMany), as a Date. */
  instant(value: unknown): Date;
  /** The inverse of timestampText, for a parameter. */
  timestampFromText(parameter: string): string;
  /** Locks the rows a query reads until the transaction ends. SQLite's writers are serialized already. */
  lockForUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T>;
  /** True/false as the engine returns them in raw rows. */
  isTrue(value: unknown): boolean;
  /**
   * The first statement of a request's unit of work: it reads the account and, on a tenant
   * route, whether the root is a live root of that user (`owned`). On PostgreSQL it also sets
   * the row-level-security scope, the root only once the check passed (fg_enter_root).
   */
  admission(who: Admission): Statement;
  /** Moves a unit's row-level-security scope into a root its user owns, if the engine has the scope. */
  rootScope(rootId: string): Statement | undefined;
  /** The first statement of a unit outside a request, if the engine needs one (PostgreSQL's RLS scope). */
  scope(userId: string, rootId: string): Statement | undefined;
  /**
   * Opens an administrator's cross-tenant access for the rest of the unit, and writes its
   * audit row: on PostgreSQL fg_begin_admin_bypass, the only way past row-level security,
   * which refuses an actor who is not an active admin; on SQLite the audit row alone.
   */
  adminBypass(note: AuditNote): Statement;
  /**
   * A query answering `bypass` (true when the connection's role is not held back by row-level
   * security), for cross-tenant commands run without an admin (trash:purge); undefined where the
   * engine has no row-level security.
   */
  readonly rlsBypassCheck?: string;
  /**
   * A query of one root's version token (migration RootVersions), with `?` for the root: answers
   * `version`, and `settled`, false where the unit has written and its own writes have not yet
   * moved the token (PostgreSQL's triggers run at the commit): such a unit must not trust it.
   */
  readonly rootVersion: string;
  readonly migrations: MigrationEngine;
  /** A query answering the engine's version as `server_version`. */
  readonly serverVersion: string;
  /** The kind of constraint a driver error broke, if it is one that input can cause. */
  constraintOf(code: string): ConstraintKind | undefined;
  /** The engine's own DataSource options, for a database at `location` (a file or a URL). */
  connectionOptions(location: string, pg: PgSettings): Record<string, unknown>;
}

export type ConstraintKind = 'unique' | 'foreign-key' | 'check';

export interface PgSettings {
  poolSize: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

