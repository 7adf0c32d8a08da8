import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { keepMilliseconds, runPreparedSqlite, sqliteConnection } from './driver-internals';
import { sqliteMigrations } from './sqlite-migrations';
import { ACCOUNT_COLUMNS, Dialect } from './types';

/**
 * better-sqlite3 gives TypeORM one connection, and a transaction on it is seen by every
 * statement that runs on it meanwhile. In WAL mode a second, read-only connection sees only
 * committed data: reads go there, never into another request's open transaction. An
 * in-memory database has no second connection (its reads join the write queue instead).
 */
async function openReader(dataSource: DataSource): Promise<DataSource | undefined> {
  const file = (dataSource.options as { database?: string }).database;
  if (!file || file === ':memory:' || sqliteConnection(dataSource).pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  const reader = new DataSource({
    ...dataSource.options,
    readonly: true,
    fileMustExist: true,
    enableWAL: false,
    migrations: [],
    prepareDatabase: (db: { pragma(s: string): unknown }) => db.pragma('busy_timeout = 5000'),
  } as typeof dataSource.options);
  return reader.initialize();
}

/** SQLite through better-sqlite3: one connection, text timestamps, no row-level security. */
export const sqliteDialect: Dialect = {
  engine: 'sqlite',
  migrations: sqliteMigrations,
  serverVersion: 'SELECT sqlite_version() AS server_version',
  constraintOf: (code) =>
    code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
      ? 'unique'
      : code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
        ? 'foreign-key'
        : code === 'SQLITE_CONSTRAINT_CHECK'
          ? 'check'
          : undefined,
  connectionOptions: (file) => ({
    type: 'better-sqlite3',
    database: file,
    enableWAL: file !== ':memory:',
    // TypeORM's cache of prepared statements is first-in first-out, 100 by default: the app has
    // more distinct statements than that, and each evicted one is prepared again on its next use.
    statementCacheSize: 1000,
    prepareDatabase: (db: { pragma(s: string): unknown; prepare(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      keepMilliseconds(db);
    },
  }),
  oneConnection: true,
  serializedWrites: true,
  // TypeORM opens a deferred transaction (BEGIN). One that reads first and then writes fails at
  // once with SQLITE_BUSY_SNAPSHOT when another process (a command such as user:set-password or
  // trash:purge) committed in between: busy_timeout cannot help, since the read snapshot is
  // stale. A write as the first statement takes the write lock at the start, waiting through
  // busy_timeout like BEGIN IMMEDIATE; this one changes no row.
  writeLock: { sql: 'UPDATE users SET id = id WHERE 0', params: [] },
  // Triggers move the token with each write, and a token is never used twice (64 random bits):
  // even a write unit's own, uncommitted token names its data only.
  rootVersion: 'SELECT "version", 1 AS "settled" FROM "root_versions" WHERE "root_id" = ?',
  prepared: async (manager, { sql, params }) => runPreparedSqlite(manager.connection, sql, params),
  openReader,
  timestampType: 'datetime',
  now: "strftime('%Y-%m-%d %H:%M:%f','now')",
  sql: (text) => text,
  inList: (placeholder) => `IN (SELECT value FROM json_each(${placeholder}))`,
  listValue: (values) => JSON.stringify(values),
  timestamp: (value) => value.toISOString().replace('T', ' ').replace('Z', ''),
  timestampText: (column) => column,
  timestampFromText: (parameter) => parameter,
  // Stored as UTC text 'YYYY-MM-DD HH:MM:SS.SSS', without a zone.
  instant: (value) => (value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}${/[Zz]|[+-]\d\d:?\d\d$/.test(String(value)) ? '' : 'Z'}`)),
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
  rootScope: () => undefined,
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

