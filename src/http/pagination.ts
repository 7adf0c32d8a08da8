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
  /** The leading key's value, for lists ordered by a position first. */
  s?: number;
}

const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2})(:?\d{2})?)?$/;

/**
 * created_at as either engine writes it as text, with a real calendar date: anything else would
 * reach PostgreSQL's CAST and fail there, a 500 instead of a 400.
 */
function isTimestampText(text: string): boolean {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const realDay = year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return realDay && hour < 24 && minute < 60 && second < 60 && (m[9] === undefined || Number(m[9]) <= 15);
}

function decodeCursor(cursor: string, withLead: boolean): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    const valid = typeof key?.c === 'string' && isTimestampText(key.c) && typeof key?.i === 'string' && key.i.length <= 200;
    if (valid && (!withLead || Number.isSafeInteger(key.s))) return key;
  } catch {
    // fall through to the uniform error below
  }
  throw new BadRequestException({
    message: 'Invalid request: cursor',
    details: [{ field: 'cursor', message: 'cursor must be a value returned as nextCursor by this list' }],
  });
}

export interface PageOrder {
  /** An integer column ordered before (created_at, id), such as sort_order. */
  lead?: string;
  /** DESC lists the newest first. */
  direction?: 'ASC' | 'DESC';
}

/**
 * Keyset pagination on (created_at, id), or on (lead, created_at, id). The cursor carries
 * created_at as the database's own text, so microsecond timestamps (legacy rows) compare
 * exactly on both engines.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  page: PageQuery,
  order: PageOrder = {},
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const direction = order.direction ?? 'ASC';
  const after = direction === 'ASC' ? '>' : '<';
  const lead = order.lead ? `${alias}.${order.lead}` : undefined;
  const dialect = dialectOf(qb.connection);
  const createdText = dialect.timestampText(`${alias}.created_at`);
  if (page.cursor) {
    const key = decodeCursor(page.cursor, lead !== undefined);
    const created = dialect.timestampFromText(':__cc');
    const rest = `(${alias}.created_at ${after} ${created} OR (${alias}.created_at = ${created} AND ${alias}.id ${after} :__ci))`;
    const params = { __cc: key.c, __ci: key.i };
    if (lead) qb.andWhere(`(${lead} ${after} :__cs OR (${lead} = :__cs AND ${rest}))`, { ...params, __cs: key.s });
    else qb.andWhere(rest, params);
  }
  qb.addSelect(createdText, '__cursor_created');
  if (lead) qb.addSelect(lead, '__cursor_lead').orderBy(lead, direction).addOrderBy(`${alias}.created_at`, direction);
  else qb.orderBy(`${alias}.created_at`, direction);
  qb.addOrderBy(`${alias}.id`, direction).take(undefined).limit(limit + 1);
  const { entities, raw } = await qb.getRawAndEntities();
  const hasMore = entities.length > limit;
  const items = entities.slice(0, limit);
  let nextCursor: string | null = null;
  if (hasMore) {
    const last = items[items.length - 1] as ObjectLiteral;
    const lastRaw = raw.find((r) => r[`${alias}_id`] === last.id) ?? raw[limit - 1];
    const created = lastRaw['__cursor_created'];
    const text = created instanceof Date ? created.toISOString() : String(created);
    const key: CursorKey = { c: text, i: last.id };
    if (lead) key.s = Number(lastRaw['__cursor_lead']);
    nextCursor = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  }
  return { items, nextCursor };
}
