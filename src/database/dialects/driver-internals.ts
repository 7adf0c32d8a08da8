import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The only place that reaches into TypeORM's drivers. TypeORM has no API for driver-level
 * prepared statements ("use the underlying driver": typeorm/typeorm#3349 for SQLite,
 * typeorm/typeorm#4762 for PostgreSQL), and the opening statement of every request's unit of
 * work is worth preparing once: parsing and planning it each time measured a fifth of its
 * cost on PostgreSQL, and TypeORM's query path around it 3 to 4 points of the guards' cost on
 * SQLite (BENCHMARKS.md). Callers pass fixed SQL texts only, so the caches stay small.
 */

interface SqliteStatement {
  /** Whether the statement returns rows (a SELECT); a write is run instead. */
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  backup(target: string): Promise<unknown>;
}
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** better-sqlite3's connection under a SQLite DataSource (TypeORM keeps exactly one). */
export function sqliteConnection(dataSource: DataSource): SqliteConnection {
  return (dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
}

const sqliteStatements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/** Runs a fixed SQLite statement, prepared once per connection (a reconnect prepares it again). */
export function runPreparedSqlite(dataSource: DataSource, sql: string, params: unknown[]): unknown[] {
  const connection = sqliteConnection(dataSource);
  let cache = sqliteStatements.get(connection);
  if (!cache) sqliteStatements.set(connection, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = connection.prepare(sql)));
  if (!statement.reader) {
    statement.run(...params);
    return [];
  }
  return statement.all(...params);
}

const pgNames = new Map<string, string>();

/**
 * Runs a fixed PostgreSQL statement on the transaction's connection: as a named prepared
 * statement, or, with planPerCall, unnamed, so that PostgreSQL plans it with each call's values
 * and never keeps a generic plan. A pooler in front of PostgreSQL must support protocol-level
 * prepared statements (PgBouncer 1.21+ with max_prepared_statements, or session pooling).
 */
export async function runPreparedPg(manager: EntityManager, text: string, values: unknown[], planPerCall = false): Promise<unknown[]> {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  if (!client) return manager.query(text, values);
  if (planPerCall) return (await client.query({ text, values })).rows;
  let name = pgNames.get(text);
  if (!name) pgNames.set(text, (name = `fg_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`));
  return (await client.query({ name, text, values })).rows;
}

const SECONDS_STAMP = /("(?:updated_at|deleted_at)") = CURRENT_TIMESTAMP\b/g;

/**
 * TypeORM's update() and QueryBuilder writes (soft delete included) stamp updated_at and
 * deleted_at with CURRENT_TIMESTAMP, hard-coded (typeorm/typeorm#5002, #10139), which SQLite
 * gives in whole seconds: an update within the second of an insert (whose default has
 * milliseconds) moved updated_at backwards. The scoped layer sets both itself; this keeps the
 * other writes (accounts, tokens) in milliseconds too, by rewriting the statement as it is
 * prepared on the connection.
 */
export function keepMilliseconds(db: { prepare(sql: string): unknown }): void {
  const prepare = db.prepare.bind(db);
  const now = "strftime('%Y-%m-%d %H:%M:%f','now')";
  db.prepare = (sql: string) => prepare(sql.includes('CURRENT_TIMESTAMP') ? sql.replace(SECONDS_STAMP, `$1 = ${now}`) : sql);
}
