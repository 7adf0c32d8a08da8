import { runPreparedPg } from './driver-internals';
import { postgresMigrations } from './postgres-migrations';
import { ACCOUNT_COLUMNS, ConstraintKind, Dialect } from './types';

/** SQLSTATE codes of the constraints that input can break. */
const PG_CONSTRAINTS: Record<string, ConstraintKind> = { '23505': 'unique', '23503': 'foreign-key', '23514': 'check' };

/** PostgreSQL: a pool of connections, row-level security scoped per transaction. */
export const postgresDialect: Dialect = {
  engine: 'postgres',
  migrations: postgresMigrations,
  serverVersion: 'SHOW server_version',
  rlsBypassCheck: 'SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user',
  // A transaction with an id has written: its root's token moves only at its commit.
  rootVersion: 'SELECT "version", txid_current_if_assigned() IS NULL AS "settled" FROM "root_versions" WHERE "root_id" = ?',
  constraintOf: (code) => PG_CONSTRAINTS[code],
  connectionOptions: (url, pg) => ({
    type: 'postgres',
    url,
    poolSize: pg.poolSize,
    extra: { statement_timeout: pg.statementTimeoutMs, idle_in_transaction_session_timeout: pg.idleInTransactionTimeoutMs },
  }),
  oneConnection: false,
  serializedWrites: false,
  prepared: (manager, { sql, params, planPerCall }) => runPreparedPg(manager, postgresDialect.sql(sql), params, planPerCall),
  openReader: async () => undefined,
  timestampType: 'timestamptz',
  now: 'now()',
  sql: (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  },
  inList: (placeholder) => `= ANY(CAST(${placeholder} AS varchar[]))`,
  listValue: (values) => values,
  timestamp: (value) => value.toISOString(),
  timestampText: (column) => `CAST(${column} AS text)`,
  timestampFromText: (parameter) => `CAST(${parameter} AS timestamptz)`,
  // node-postgres parses timestamptz into a Date already.
  instant: (value) => (value instanceof Date ? value : new Date(String(value))),
  lockForUpdate: (qb) => qb.setLock('pessimistic_write'),
  isTrue: (value) => value === true,
  admission: ({ userId, root }) =>
    root
      ? { sql: `SELECT ${ACCOUNT_COLUMNS}, owned FROM fg_enter_root(?, ?, ?)`, params: [userId, root.id, root.withDeleted] }
      : { sql: `SELECT ${ACCOUNT_COLUMNS}, set_config('app.user_id', id, true) AS scoped FROM users WHERE id = ? AND deleted_at IS NULL`, params: [userId] },
  scope: (userId, rootId) => ({ sql: `SELECT set_config('app.user_id', ?, true), set_config('app.root_id', ?, true)`, params: [userId, rootId] }),
  rootScope: (rootId) => ({ sql: `SELECT set_config('app.root_id', ?, true)`, params: [rootId] }),
  adminBypass: (note) => ({
    sql: 'SELECT fg_begin_admin_bypass(?, ?, ?, ?, ?)',
    params: [note.actorUserId, note.action, note.targetRootId, note.requestId, JSON.stringify(note.details)],
  }),
};

