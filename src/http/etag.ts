import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PreconditionFailedException,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, map, Observable, switchMap } from 'rxjs';
import { CONTEXT_KEY, RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { dialectOf } from '../database/dialect';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantEntityClass } from '../tenancy/tenant-repository';

const VERSIONED = 'http:versioned';
const WRITES = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

interface VersionedOptions {
  entity: TenantEntityClass<TenantEntity & { version: number }>;
  param: string;
  /** The entity property the param names: the id, or another key unique in the root. */
  key: string;
}

/** The strong ETag of a row version: `"3"`. */
export const etagOf = (version: number) => `"${version}"`;

/** Parses If-Match: `*`, or the listed entity tags. Weak tags never match (RFC 9110 uses strong comparison). */
export function parseIfMatch(header: string): '*' | string[] {
  if (header.trim() === '*') return '*';
  return (header.match(/(W\/)?"[^"]*"/g) ?? []).filter((t) => !t.startsWith('W/'));
}

/**
 * Optimistic concurrency for one route, in one line: `@Versioned(Goal, 'rootId')`, or with
 * the key the param names when it is not the id: `@Versioned(GoalLevel, 'type', 'type')`.
 * Responses that carry a `version` get `ETag: "<version>"`. A write with If-Match runs only
 * if the row still has that version, else 412. The check locks the row (Dialect.lockForUpdate: FOR
 * UPDATE, or nothing where writers are serialized) inside the request's transaction, so of two
 * writes with the same If-Match exactly one wins, across instances. The row's version must
 * move on every update (TenantRepository.update() increments it).
 * It needs the request's unit of work, which every authenticated route has.
 */
export const Versioned = (entity: VersionedOptions['entity'], param = 'id', key = 'id') =>
  applyDecorators(SetMetadata(VERSIONED, { entity, param, key } satisfies VersionedOptions), UseInterceptors(ETagInterceptor));

@Injectable()
export class ETagInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly tenantData: TenantData,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const reply = http.getResponse<{ header(name: string, value: string): unknown }>();
    const options = this.reflector.get<VersionedOptions>(VERSIONED, context.getHandler());
    const ifMatch: string | undefined = request.headers['if-match'];
    // Without If-Match there is nothing to wait for: the handler runs at once.
    const handled =
      options && ifMatch !== undefined && WRITES.has(request.method)
        ? from(this.checkPrecondition(request, options, ifMatch)).pipe(switchMap(() => next.handle()))
        : next.handle();
    return handled.pipe(
      map((body) => {
        const version = (body as { version?: unknown } | null | undefined)?.version;
        if (typeof version === 'number') reply.header('ETag', etagOf(version));
        return body;
      }),
    );
  }

  private async checkPrecondition(request: Record<string, any>, options: VersionedOptions, ifMatch: string): Promise<void> {
    const ctx = request[CONTEXT_KEY] as RequestContext;
    const id = request.params?.[options.param];
    const qb = this.tenantData
      .repo(options.entity)
      .createQueryBuilder(ctx, 'row')
      .select('row.version', 'version')
      .andWhere(`row.${options.key} = :__versionedId`, { __versionedId: id });
    const row = await dialectOf(ctx.requireManager().connection).lockForUpdate(qb).getRawOne<{ version: number }>();
    if (!row) return; // The handler answers 404 as for any missing row.
    const tags = parseIfMatch(ifMatch);
    if (tags === '*' || tags.includes(etagOf(Number(row.version)))) return;
    throw new PreconditionFailedException(
      `If-Match ${ifMatch} does not match the current version ${etagOf(Number(row.version))}: the resource has changed. Fetch it again, then retry.`,
    );
  }
}
