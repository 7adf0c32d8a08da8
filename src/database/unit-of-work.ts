import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Dialect, dialectOf, Statement } from './dialect';

export type UnitKind = 'read' | 'write';

/** Whom a unit outside a request acts for: the scope row-level security reads, where the engine has it. */
export interface SessionScope {
  userId?: string;
  rootId?: string;
}

/**
 * Units of work. Where the engine has a pool, every unit is a transaction of its own, opened by
 * a statement that also sets the row-level-security scope (local to the transaction). Where it
 * gives TypeORM one connection (Dialect.oneConnection), a transaction on it would be seen by
 * every statement that runs meanwhile: write units run one at a time, in a queue, and reads
 * run on the dialect's read-only reader, which sees committed data only (or join the queue
 * when there is none).
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
    this.reader ??= await this.dialect.openReader(this.dataSource);
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
    const opened = async (m: EntityManager) => fn(m, await this.dialect.prepared(m, opening));
    if (!this.dialect.oneConnection) return this.dataSource.transaction(opened);
    if (kind === 'read' && this.reader) return opened(this.reader.manager);
    return this.queuedTransaction(opened);
  }

  /** A unit outside a request (tools, tests): one transaction, queued or scoped as the engine needs. */
  run<R>(scope: SessionScope, fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    if (this.dialect.oneConnection) return this.queuedTransaction(fn);
    const opening = this.dialect.scope(scope.userId ?? '', scope.rootId ?? '')!;
    return this.request('write', opening, (m) => fn(m));
  }

  /**
   * Writes of the public account routes (register, login, refresh, logout), which scope
   * themselves by account. On one connection they join the queue, so that they can never land
   * inside, and roll back with, a request's open transaction; with a pool each statement runs as it is.
   */
  write<R>(fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    return this.dialect.oneConnection ? this.queuedTransaction(fn) : fn(this.dataSource.manager);
  }

  /** Reads of the public account routes: committed data only. */
  read<R>(fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    if (!this.dialect.oneConnection) return fn(this.dataSource.manager);
    return this.reader ? fn(this.reader.manager) : this.queued(() => fn(this.dataSource.manager));
  }

  /** A transaction on the one connection, in the queue, holding the write lock from its start. */
  private queuedTransaction<R>(fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    const lock = this.dialect.writeLock;
    return this.queued(() =>
      this.dataSource.transaction(async (m) => {
        if (lock) await this.dialect.prepared(m, lock);
        return fn(m);
      }),
    );
  }

  private queued<R>(work: () => Promise<R>): Promise<R> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
