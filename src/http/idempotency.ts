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
import { createHash } from 'node:crypto';
import { from, mergeMap, Observable, of, switchMap } from 'rxjs';
import { CONTEXT_KEY, RequestContext } from '../context/request-context';
import { canonicalJson } from '../database/canonical-json';
import { IdempotencyStore } from '../database/idempotency-store';

/** How long a key and its first response are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Idempotent POSTs, in one line: `@Idempotent()` on the method. With an Idempotency-Key
 * header, the first request runs and its response is stored with the key, in the database and
 * in the same transaction as the work: a retry with the same key and the same body gets the
 * first response again (with `Idempotent-Replayed: true`) and changes nothing; the same key with
 * another body or path answers 422. With concurrent writers, a duplicate waits on the key's
 * unique index until the first commits, then replays it, on any instance. A request that fails
 * rolls its key back with its work, so it can be retried. Without the header: no change.
 * It runs in the request's unit of work: on any authenticated POST.
 */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

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
    const ctx = request[CONTEXT_KEY] as RequestContext;
    ctx.requireManager();
    const path: string = request.url;
    const fingerprint = createHash('sha256').update(canonicalJson([request.method, path, request.body])).digest('hex');
    const status: number =
      Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return from(this.store.claim(ctx, key, request.method, path, fingerprint, IDEMPOTENCY_TTL_MS)).pipe(
      switchMap((claim) => {
        if (claim.mine) {
          return next.handle().pipe(
            mergeMap(async (body) => {
              await this.store.complete(ctx, claim.id, status, body);
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
