import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface SessionScope {
  userId?: string;
  rootId?: string;
}

/**
 * One transaction per unit of work. better-sqlite3 gives TypeORM a single connection, so
 * two interleaved transactions would silently share it: on SQLite every unit is queued and
 * runs alone. On PostgreSQL each unit first sets app.user_id / app.root_id, which the
 * row-level security policies read.
 */
@Injectable()
export class UnitOfWork {
  private queue: Promise<unknown> = Promise.resolve();
  /** SQLite: statements prepared on `preparedFor`, the connection they belong to. */
  private preparedFor?: object;
  private readonly preparedCache = new Map<string, SqliteStatement>();
  /** PostgreSQL: the name of each statement prepared per connection. */
  private readonly statementNames = new Map<string, string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /**
   * Writes outside a tenant scope (accounts, tokens). On SQLite they join the queue, so that
   * they can never land inside, and roll back with, another request's open transaction.
   * PostgreSQL gives each statement its own connection: fn runs as it is.
   */
  write<R>(fn: () => Promise<R>): Promise<R> {
    return this.isPostgres ? fn() : this.run({}, () => fn());
  }

  /** Reads that need no transaction on SQLite; PostgreSQL still needs the RLS scope set. */
  read<R>(scope: SessionScope, fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    return this.isPostgres ? this.run(scope, fn) : fn(this.dataSource.manager);
  }

  /**
   * One statement on its own, outside any transaction and, on PostgreSQL, outside any RLS
   * scope: only for statements that scope themselves (the tenant guard's ownership check).
   */
  async statement<R = unknown[]>(sql: string, params: unknown[]): Promise<R> {
    if (this.isPostgres) return this.dataSource.query(sql, params);
    return this.prepared(sql).all(...params) as R;
  }

  /**
   * SQLite statements prepared once per connection, straight on better-sqlite3. The guard's
   * statement runs on every request, and TypeORM's query path around it (three awaits per
   * query) was 3 to 4 points of the guards' 10.5% (bench/tenancy-guard.ts, BENCHMARKS.md).
   * Callers pass fixed SQL texts only, so the cache stays small.
   */
  private prepared(sql: string): SqliteStatement {
    const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    if (this.preparedFor !== connection) {
      this.preparedCache.clear();
      this.preparedFor = connection;
    }
    let statement = this.preparedCache.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      this.preparedCache.set(sql, statement);
    }
    return statement;
  }

  run<R>(scope: SessionScope, fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    if (this.isPostgres) {
      const opening = `SELECT set_config('app.user_id', $1, true), set_config('app.root_id', $2, true)`;
      return this.runOpenedBy(opening, [scope.userId ?? '', scope.rootId ?? ''], fn);
    }
    const work = () => this.dataSource.transaction(fn);
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * PostgreSQL only: a transaction whose first statement is `opening`, in place of run()'s
   * plain scope statement, so that a check can share its round trip. The opening statement
   * sets the RLS scope itself; fn gets its rows.
   */
  runOpenedBy<R>(opening: string, params: unknown[], fn: (manager: EntityManager, opened: unknown[]) => Promise<R>): Promise<R> {
    if (!this.isPostgres) throw new Error('runOpenedBy is for PostgreSQL: SQLite units run in the queue (run()).');
    return this.dataSource.transaction(async (manager) => fn(manager, await this.queryPrepared(manager, opening, params)));
  }

  /**
   * Runs a fixed statement as a named prepared statement of the transaction's connection:
   * every transaction opens with one, and parsing and planning it each time was a fifth of
   * its cost (bench/pg-opening-statement.ts). A pooler in front of PostgreSQL must support
   * protocol-level prepared statements (PgBouncer 1.21+, max_prepared_statements).
   */
  private async queryPrepared(manager: EntityManager, text: string, values: unknown[]): Promise<unknown[]> {
    const client = (manager.queryRunner as unknown as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
    if (!client) return manager.query(text, values);
    let name = this.statementNames.get(text);
    if (!name) {
      name = `fg_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
      this.statementNames.set(text, name);
    }
    return (await client.query({ name, text, values })).rows;
  }
}

interface SqliteStatement {
  all(...params: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
