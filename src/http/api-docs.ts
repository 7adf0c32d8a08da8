import { applyDecorators, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'name' })
  field: string;

  @ApiProperty({ example: 'name should not be empty' })
  message: string;
}

/** The one error shape of the API (src/http/error-body.ts), for the OpenAPI document. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'Invalid request: name' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  details?: FieldErrorDto[];
}

const MEANING: Record<number, string> = {
  400: 'A wrong body, query or type; `details` names each field',
  401: 'No valid access token',
  404: 'Unknown, foreign or deleted id: the same answer for each',
  409: 'The request conflicts with the current state (named in `message`)',
  412: 'If-Match names a version that is not the current one',
  422: 'The Idempotency-Key was used with another request',
};

/** The error answers of a route, each with the shared error body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...[...new Set([401, ...statuses])].map((status) => ApiResponse({ status, description: MEANING[status], type: ErrorBodyDto })));

/** A write that takes If-Match (see src/http/etag.ts). */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the version this write applies to; 412 if it is not the current one' }),
    ApiErrors(412),
  );

/** A POST that takes Idempotency-Key (see src/http/idempotency.ts). */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first answer for a retry with the same body; 422 for another body' }),
    ApiErrors(422),
  );

/** A controller under /api/roots/:rootId: the bearer token, and the root, whose 404 every route can answer. */
export const ApiTenant = () =>
  applyDecorators(ApiBearerAuth(), ApiParam({ name: 'rootId', format: 'uuid', description: 'A root you own: the tenant' }), ApiErrors(404));

const pages = new Map<Type<unknown>, Type<unknown>>();

/** The `{items, nextCursor}` schema of a list of `item`. */
export function PageOf(item: Type<unknown>): Type<unknown> {
  let page = pages.get(item);
  if (!page) {
    class Page {
      @ApiProperty({ type: [item] })
      items: unknown[];

      @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
      nextCursor: string | null;
    }
    Object.defineProperty(Page, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
    pages.set(item, Page);
    page = Page;
  }
  return page;
}
