import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';

interface Entry {
  version: string;
  value: unknown;
  bytes: number;
}

/**
 * Answers computed from a root's rows, kept in this process while the root's version token holds.
 * Every write to a tenant row replaces its root's token in the writing transaction, by trigger
 * (migration RootVersions), whoever writes: this service, another instance, a tool. So an answer
 * kept under the token that is current is the answer the rows give now, and one request
 * reads one row to know it.
 *
 * An entry is the root's and the caller's key: the key must name every input of the answer that
 * is not the root's rows (the route's parameters, the time zone resolved). Only answers go in;
 * errors are thrown before. A root without a token (none written since it was made, or the
 * table emptied by hand) is never served from here, nor a unit that has written on an engine
 * whose token moves at the commit. Entries are dropped, least recently used first, beyond
 * ANSWER_CACHE_MB. An answer handed out is shared, and nobody may change it.
 */
@Injectable()
export class RootAnswers {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly budget: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.budget = config.answerCacheBytes;
  }

  async get<T>(ctx: RequestContext, key: string, compute: () => Promise<T>): Promise<T> {
    if (this.budget === 0) return compute();
    const version = await this.version(ctx);
    if (version === undefined) return compute();
    const id = `${ctx.requireRoot()}\u0000${key}`;
    const kept = this.entries.get(id);
    if (kept?.version === version) {
      // A Map keeps insertion order: moved to the end, the entry is the most recently used.
      this.entries.delete(id);
      this.entries.set(id, kept);
      return kept.value as T;
    }
    const value = await compute();
    this.keep(id, { version, value, bytes: sizeOf(value) });
    return value;
  }

  /** The bytes held, for tests and diagnostics. */
  get size(): number {
    return this.bytes;
  }

  /** The root's token, unless the unit's own writes are not in it yet (Dialect.rootVersion). */
  private async version(ctx: RequestContext): Promise<string | undefined> {
    const rootId = ctx.requireRoot();
    const manager = ctx.requireManager();
    const dialect = dialectOf(manager.connection);
    manager.connection.logger.logQuery(dialect.sql(dialect.rootVersion), [rootId], manager.queryRunner);
    const [row] = (await dialect.prepared(manager, { sql: dialect.rootVersion, params: [rootId] })) as { version: string; settled: unknown }[];
    return row && dialect.isTrue(row.settled) ? row.version : undefined;
  }

  private keep(id: string, entry: Entry): void {
    const old = this.entries.get(id);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(id);
    }
    if (entry.bytes > this.budget) return;
    this.entries.set(id, entry);
    this.bytes += entry.bytes;
    for (const [oldest, e] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= e.bytes;
    }
  }
}

/** About what the answer holds in memory: its JSON, two bytes a character. */
const sizeOf = (value: unknown): number => 2 * (JSON.stringify(value)?.length ?? 0);
