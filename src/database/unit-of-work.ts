import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Dialect, dialectOf, Statement } from './dialect';
import { runPreparedPg, runPreparedSqlite, sqliteConnection } from './driver-internals';

export type UnitKind = 'read' | 'write';

/** Whom a unit outside a request acts for: on PostgreSQL, the scope row-level security reads. */
export interface SessionScope {
  userId?: string;
  rootId?: string;
}

/**
 * Units of work, and the only place that knows how each engine runs them.
 *
 * - PostgreSQL: every unit is a transaction on a pooled connection, opened by a statement that
 *   sets app.user_id / app.root_id for row-level security (local to the transaction).
 * - SQLite: better-sqlite3 gives TypeORM one connection, and a transaction on it is seen by
 *   every statement that runs on it meanwhile. So write units run one at a time, in a queue;
 *   and reads run on a second, read-only connection, which in WAL mode sees only committed
 *   data, never another request's open transaction. Without WAL (an in-memory database), reads
 *   join the queue instead.
 */
@Injectable()
export class UnitOfWork implements OnModuleInit, OnApplicationShutdown {
  readonly dialect: Dialect;
  private queue: Promise<unknown> = Promise.resolve();
  private reader?: DataSource;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
  }

  async onModuleInit(): Promise<void> {
    if (!this.dialect.oneConnection || this.reader) return;
    const options = this.dataSource.options as { database?: string };
    const journal = sqliteConnection(this.dataSource).pragma('journal_mode', { simple: true });
    if (journal !== 'wal' || !options.database || options.database === ':memory:') return;
    this.reader = new DataSource({
      ...this.dataSource.options,
      readonly: true,
      fileMustExist: true,
      enableWAL: false,
      migrations: [],
      prepareDatabase: (db: { pragma(s: string): unknown }) => db.pragma('busy_timeout = 5000'),
    } as typeof this.dataSource.options);
    await this.reader.initialize();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.reader?.isInitialized) await this.reader.destroy();
    this.reader = undefined;
  }

  /**
   * A request's unit of work. `opening` runs first, in the unit; fn gets the unit's manager and
   * the opening's rows. A write is one transaction, all or nothing. A read sees committed data
   * only.
   */
  request<R>(kind: UnitKind, opening: Statement, fn: (manager: EntityManager, opened: unknown[]) => Promise<R>): Promise<R> {
    if (!this.dialect.oneConnection) {
      return this.dataSource.transaction(async (m) => fn(m, await runPreparedPg(m, this.dialect.sql(opening.sql), opening.params)));
    }
    const reader = this.reader;
    if (kind === 'read' && reader) return fn(reader.manager, runPreparedSqlite(reader, opening.sql, opening.params));
    return this.queued(() => this.dataSource.transaction((m) => fn(m, runPreparedSqlite(this.dataSource, opening.sql, opening.params))));
  }

  /** A unit outside a request (tools, tests): one transaction, queued on SQLite, scoped on PostgreSQL. */
  run<R>(scope: SessionScope, fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    if (this.dialect.oneConnection) return this.queued(() => this.dataSource.transaction(fn));
    const opening = this.dialect.scope(scope.userId ?? '', scope.rootId ?? '')!;
    return this.request('write', opening, (m) => fn(m));
  }

  /**
   * Writes of the public account routes (register, login, refresh, logout), which scope
   * themselves by account. On SQLite they join the queue, so that they can never land inside,
   * and roll back with, a request's open transaction; on PostgreSQL each statement runs as it is.
   */
  write<R>(fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    return this.dialect.oneConnection ? this.queued(() => this.dataSource.transaction(fn)) : fn(this.dataSource.manager);
  }

  /** Reads of the public account routes: committed data only. */
  read<R>(fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    if (!this.dialect.oneConnection) return fn(this.dataSource.manager);
    return this.reader ? fn(this.reader.manager) : this.queued(() => fn(this.dataSource.manager));
  }

  private queued<R>(work: () => Promise<R>): Promise<R> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
