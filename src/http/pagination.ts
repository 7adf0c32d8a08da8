import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf } from '../database/dialect';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** ?limit=&cursor= on every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface CursorKey {
  c: string;
  i: string;
}

function decodeCursor(cursor: string): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (typeof key?.c === 'string' && typeof key?.i === 'string') return key;
  } catch {
    // fall through to the uniform error below
  }
  throw new BadRequestException({
    message: 'Invalid request: cursor',
    details: [{ field: 'cursor', message: 'cursor must be a value returned as nextCursor by this list' }],
  });
}

/**
 * Keyset pagination on (created_at, id). The cursor carries created_at as the database's own
 * text, so microsecond timestamps (legacy rows) compare exactly on both engines.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  page: PageQuery,
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const dialect = dialectOf(qb.connection);
  const createdText = dialect.timestampText(`${alias}.created_at`);
  if (page.cursor) {
    const key = decodeCursor(page.cursor);
    const created = dialect.timestampFromText(':__cc');
    qb.andWhere(`(${alias}.created_at > ${created} OR (${alias}.created_at = ${created} AND ${alias}.id > :__ci))`, {
      __cc: key.c,
      __ci: key.i,
    });
  }
  qb.addSelect(createdText, '__cursor_created')
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(undefined)
    .limit(limit + 1);
  const { entities, raw } = await qb.getRawAndEntities();
  const hasMore = entities.length > limit;
  const items = entities.slice(0, limit);
  let nextCursor: string | null = null;
  if (hasMore) {
    const last = items[items.length - 1] as ObjectLiteral;
    const lastRaw = raw.find((r) => r[`${alias}_id`] === last.id) ?? raw[limit - 1];
    const created = lastRaw['__cursor_created'];
    const text = created instanceof Date ? created.toISOString() : String(created);
    nextCursor = Buffer.from(JSON.stringify({ c: text, i: last.id }), 'utf8').toString('base64url');
  }
  return { items, nextCursor };
}
