import { applyDecorators, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** OpenAPI pieces every route shares: the error shape, the headers of writes, pages, the root param. */

export class FieldErrorDto {
  @ApiProperty({ example: 'metrics[0].name' })
  field: string;

  @ApiProperty({ example: 'name should not be empty' })
  message: string;
}

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

const ERRORS: Record<number, string> = {
  400: 'Invalid input; `details` names each field. Nothing was written.',
  401: 'No valid access token.',
  404: 'No such row in this root (the same answer for another root’s ids). Nothing was written.',
  409: 'The request conflicts with the current state. Nothing was written.',
  412: 'If-Match does not match the current version. Nothing was written.',
  422: 'This Idempotency-Key was used with another request.',
};

/** The error answers of a route, each with the shared error body. 401 and the root's 404 are always there. */
export const ApiErrors = (...codes: number[]) =>
  applyDecorators(...[...new Set([401, 404, ...codes])].map((status) => ApiResponse({ status, description: ERRORS[status], type: ErrorBodyDto })));

/** A controller under /api/roots/:rootId. */
export const ApiTenant = () => applyDecorators(ApiBearerAuth(), ApiParam({ name: 'rootId', format: 'uuid', description: 'The root goal: the tenant.' }));

export const ApiIfMatch = () =>
  ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the version you read; 412 if the row has changed since.' });

export const ApiIdempotencyKey = () =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retry safe: the same key and body replay the first answer.' });

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
