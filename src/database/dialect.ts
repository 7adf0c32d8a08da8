import { randomUUID } from 'node:crypto';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { DbEngine } from '../config/env';

/** A fixed SQL text with `?` placeholders (see Dialect.sql), and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
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
const ACCOUNT_COLUMNS = 'id, email, role, is_active, token_version';

/**
 * Everything that differs between the two engines, in one place. Features and mechanisms ask
 * the dialect; they never test the engine themselves.
 */
export interface Dialect {
  readonly engine: DbEngine;
  /** better-sqlite3 gives TypeORM one connection: units of work must be queued on it. */
  readonly oneConnection: boolean;
  /** Column type of timestamps. */
  readonly timestampType: 'datetime' | 'timestamptz';
  /** The time now, with milliseconds, as an SQL expression (SQLite's CURRENT_TIMESTAMP has whole seconds). */
  readonly now: string;
  /** A fixed SQL text written with `?` placeholders, as the engine takes it. */
  sql(text: string): string;
  /** A Date as a parameter compared with timestamp columns. */
  timestamp(value: Date): string;
  /** A timestamp column as text that compares exactly (keyset cursors keep microseconds). */
  timestampText(column: string): string;
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
  /** The first statement of a unit outside a request, if the engine needs one (PostgreSQL's RLS scope). */
  scope(userId: string, rootId: string): Statement | undefined;
  /**
   * Opens an administrator's cross-tenant access for the rest of the unit, and writes its
   * audit row: on PostgreSQL fg_begin_admin_bypass, the only way past row-level security,
   * which refuses an actor who is not an active admin; on SQLite the audit row alone.
   */
  adminBypass(note: AuditNote): Statement;
}

const sqlite: Dialect = {
  engine: 'sqlite',
  oneConnection: true,
  timestampType: 'datetime',
  now: "strftime('%Y-%m-%d %H:%M:%f','now')",
  sql: (text) => text,
  timestamp: (value) => value.toISOString().replace('T', ' ').replace('Z', ''),
  timestampText: (column) => column,
  timestampFromText: (parameter) => parameter,
  lockForUpdate: (qb) => qb,
  isTrue: (value) => value === 1 || value === true || value === 1n,
  admission: ({ userId, root }) => {
    if (!root) return { sql: `SELECT ${ACCOUNT_COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL`, params: [userId] };
    // The same rule as fg_enter_root on PostgreSQL: a root row (its own root, no parent) owned by the user.
    const live = root.withDeleted ? '' : ' AND g.deleted_at IS NULL';
    const owned = `EXISTS (SELECT 1 FROM goals g WHERE g.id = ? AND g.root_id = g.id AND g.parent_id IS NULL AND g.user_id = u.id${live})`;
    return { sql: `SELECT u.id, u.email, u.role, u.is_active, u.token_version, ${owned} AS owned FROM users u WHERE u.id = ? AND u.deleted_at IS NULL`, params: [root.id, userId] };
  },
  scope: () => undefined,
  adminBypass: (note) => ({
    sql: `INSERT INTO admin_audit_log (id, actor_user_id, action, target_root_id, request_id, details, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      randomUUID(),
      note.actorUserId,
      note.action,
      note.targetRootId,
      note.requestId,
      JSON.stringify({ rls_bypass: false, details: note.details }),
      note.actorUserId,
      note.actorUserId,
    ],
  }),
};

const postgres: Dialect = {
  engine: 'postgres',
  oneConnection: false,
  timestampType: 'timestamptz',
  now: 'now()',
  sql: (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  },
  timestamp: (value) => value.toISOString(),
  timestampText: (column) => `CAST(${column} AS text)`,
  timestampFromText: (parameter) => `CAST(${parameter} AS timestamptz)`,
  lockForUpdate: (qb) => qb.setLock('pessimistic_write'),
  isTrue: (value) => value === true,
  admission: ({ userId, root }) =>
    root
      ? { sql: `SELECT ${ACCOUNT_COLUMNS}, owned FROM fg_enter_root(?, ?, ?)`, params: [userId, root.id, root.withDeleted] }
      : { sql: `SELECT ${ACCOUNT_COLUMNS}, set_config('app.user_id', id, true) AS scoped FROM users WHERE id = ? AND deleted_at IS NULL`, params: [userId] },
  scope: (userId, rootId) => ({ sql: `SELECT set_config('app.user_id', ?, true), set_config('app.root_id', ?, true)`, params: [userId, rootId] }),
  adminBypass: (note) => ({
    sql: 'SELECT fg_begin_admin_bypass(?, ?, ?, ?, ?)',
    params: [note.actorUserId, note.action, note.targetRootId, note.requestId, JSON.stringify(note.details)],
  }),
};

export function dialectFor(engine: DbEngine): Dialect {
  return engine === 'postgres' ? postgres : sqlite;
}

export function dialectOf(dataSource: Pick<DataSource, 'options'>): Dialect {
  return dataSource.options.type === 'postgres' ? postgres : sqlite;
}
