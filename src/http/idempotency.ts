import {
  BadRequestException,
  CallHandler,
  ConflictException,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash, randomUUID } from 'node:crypto';
import { from, mergeMap, Observable, of, switchMap } from 'rxjs';
import { EntityManager } from 'typeorm';
import { CONTEXT_KEY, MissingTenantContextError, RequestContext } from '../tenancy/request-context';

/** How long a key and its first response are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Idempotent POSTs, in one line: `@Idempotent()` on the method. With an Idempotency-Key
 * header, the first request runs and its response is stored with the key, in the database and
 * in the same transaction as the work: a retry with the same key and the same body gets the
 * first response again (with `Idempotent-Replayed: true`) and changes nothing; the same key with
 * another body or path answers 422. On PostgreSQL a concurrent duplicate waits on the key's
 * unique index until the first commits, then replays it, on any instance. A request that fails
 * rolls its key back with its work, so it can be retried. Without the header: no change.
 * It needs the request's transaction: put it on the method of a TenantRoute()/UserRoute() controller.
 */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);

/** Key order and whitespace do not change a body's fingerprint. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(sort(value ?? null));
}

interface KeyRow {
  id: string;
  fingerprint: string;
  status_code: number | null;
  response_body: string | null;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const reply = http.getResponse<{ header(name: string, value: string): unknown }>();
    const key: unknown = request.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new BadRequestException({
        message: 'Idempotency-Key must be 1 to 200 visible ASCII characters.',
        details: [{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }],
      });
    }
    const ctx = request[CONTEXT_KEY] as RequestContext | undefined;
    const user = ctx?.requireUser();
    if (!ctx?.manager || !user) throw new MissingTenantContextError('transaction (@Idempotent needs the request transaction)');
    const manager = ctx.manager;
    const path: string = request.url;
    const fingerprint = createHash('sha256').update(canonical([request.method, path, request.body])).digest('hex');
    const status: number =
      Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const store = new KeyStore(manager);

    return from(store.claim(user.id, key, request.method, path, fingerprint)).pipe(
      switchMap((claim) => {
        if (claim.mine) {
          return next.handle().pipe(
            mergeMap(async (body) => {
              await store.complete(claim.id, status, body);
              return body;
            }),
          );
        }
        const row = claim.row;
        if (row.fingerprint !== fingerprint) {
          throw new UnprocessableEntityException(
            'This Idempotency-Key was already used with a different request; use a new key for a new request.',
          );
        }
        if (row.status_code === null) throw new ConflictException('A request with this Idempotency-Key is still in progress.');
        reply.header('Idempotent-Replayed', 'true');
        return of(row.response_body === null ? undefined : JSON.parse(row.response_body));
      }),
    );
  }
}

/** The idempotency_keys table, in raw SQL for both engines (it is bookkeeping, not an entity). */
class KeyStore {
  private readonly pg: boolean;
  constructor(private readonly manager: EntityManager) {
    this.pg = manager.connection.options.type === 'postgres';
  }

  private sql(text: string): string {
    let n = 0;
    return this.pg ? text.replace(/\?/g, () => `$${++n}`) : text;
  }

  private ts(d: Date): string {
    return this.pg ? d.toISOString() : d.toISOString().replace('T', ' ').replace('Z', '');
  }

  async claim(userId: string, key: string, method: string, path: string, fingerprint: string): Promise<{ mine: true; id: string } | { mine: false; row: KeyRow }> {
    const now = new Date();
    // Expired keys of this user go first, so that an old key starts afresh.
    await this.manager.query(this.sql(`DELETE FROM idempotency_keys WHERE user_id = ? AND expires_at < ?`), [userId, this.ts(now)]);
    const id = randomUUID();
    const insert = this.pg
      ? `INSERT INTO idempotency_keys (id, user_id, key, method, path, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`
      : `INSERT OR IGNORE INTO idempotency_keys (id, user_id, key, method, path, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
    await this.manager.query(this.sql(insert), [
      id,
      userId,
      key,
      method,
      path.slice(0, 1000),
      fingerprint,
      this.ts(now),
      this.ts(new Date(now.getTime() + IDEMPOTENCY_TTL_MS)),
    ]);
    const rows: KeyRow[] = await this.manager.query(
      this.sql(`SELECT id, fingerprint, status_code, response_body FROM idempotency_keys WHERE user_id = ? AND key = ?`),
      [userId, key],
    );
    const row = rows[0];
    if (!row) throw new Error('idempotency key vanished after insert');
    return row.id === id ? { mine: true, id } : { mine: false, row: { ...row, status_code: row.status_code === null ? null : Number(row.status_code) } };
  }

  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.manager.query(this.sql(`UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE id = ?`), [
      status,
      body === undefined ? null : JSON.stringify(body),
      id,
    ]);
  }
}
