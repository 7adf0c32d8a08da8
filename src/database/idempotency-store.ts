import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context/request-context';
import { dialectOf } from './dialect';

export interface IdempotencyRow {
  id: string;
  fingerprint: string;
  status_code: number | null;
  response_body: string | null;
}

export type Claim = { mine: true; id: string } | { mine: false; row: IdempotencyRow };

/**
 * The idempotency_keys table (bookkeeping, not an entity), per user, in the request's unit of
 * work, so that a key and the work it covers commit or roll back together. Its row-level
 * security, where the engine has it, reads app.user_id, which the unit's opening statement set.
 */
@Injectable()
export class IdempotencyStore {
  /** Claims the key for this request, or answers the row of the request that claimed it first. */
  async claim(ctx: RequestContext, key: string, method: string, path: string, fingerprint: string, ttlMs: number): Promise<Claim> {
    const manager = ctx.requireManager();
    const userId = ctx.requireUser().id;
    const dialect = dialectOf(manager.connection);
    const now = new Date();
    // Expired keys of this user go first, so that an old key starts afresh.
    await manager.query(dialect.sql(`DELETE FROM idempotency_keys WHERE user_id = ? AND expires_at < ?`), [userId, dialect.timestamp(now)]);
    const id = randomUUID();
    await manager.query(
      dialect.sql(
        `INSERT INTO idempotency_keys (id, user_id, key, method, path, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`,
      ),
      [id, userId, key, method, path.slice(0, 1000), fingerprint, dialect.timestamp(now), dialect.timestamp(new Date(now.getTime() + ttlMs))],
    );
    const rows: IdempotencyRow[] = await manager.query(
      dialect.sql(`SELECT id, fingerprint, status_code, response_body FROM idempotency_keys WHERE user_id = ? AND key = ?`),
      [userId, key],
    );
    const row = rows[0];
    if (!row) throw new Error('idempotency key vanished after insert');
    return row.id === id ? { mine: true, id } : { mine: false, row: { ...row, status_code: row.status_code === null ? null : Number(row.status_code) } };
  }

  async complete(ctx: RequestContext, id: string, status: number, body: unknown): Promise<void> {
    const manager = ctx.requireManager();
    await manager.query(dialectOf(manager.connection).sql(`UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE id = ?`), [
      status,
      body === undefined ? null : JSON.stringify(body),
      id,
    ]);
  }
}
