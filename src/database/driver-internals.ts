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
  all(...params: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  backup(target: string): Promise<unknown>;
}
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
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
  return statement.all(...params);
}

const pgNames = new Map<string, string>();

/**
 * Runs a fixed PostgreSQL statement as a named prepared statement of the transaction's
 * connection. A pooler in front of PostgreSQL must support protocol-level prepared statements
 * (PgBouncer 1.21+ with max_prepared_statements, or session pooling).
 */
export async function runPreparedPg(manager: EntityManager, text: string, values: unknown[]): Promise<unknown[]> {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  if (!client) return manager.query(text, values);
  let name = pgNames.get(text);
  if (!name) pgNames.set(text, (name = `fg_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`));
  return (await client.query({ name, text, values })).rows;
}
