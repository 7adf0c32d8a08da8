import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { invalid } from '../activities/references';
import { RangeQuery } from './dto/analytics.dto';
import { addDays, isTimeZone, startOfDay } from './time-zone';

/** A request's time zone and, as instants, the local days it asked for (`to` included). */
export interface Window {
  zone: string;
  fromDay?: string;
  toDay?: string;
  from?: Date;
  /** The first instant after the range. */
  until?: Date;
}

/** Where the analytics read dates: the request's `tz`, else the user's setting, else UTC. */
@Injectable()
export class AnalyticsDates {
  constructor(private readonly auth: AuthService) {}

  async zone(ctx: RequestContext, tz: string | undefined): Promise<string> {
    if (tz) return tz;
    const own = await this.auth.timeZoneOf(ctx);
    return own && isTimeZone(own) ? own : 'UTC';
  }

  async window(ctx: RequestContext, query: RangeQuery): Promise<Window> {
    if (query.from && query.to && query.from > query.to) throw invalid('to', 'to must not be before from');
    const zone = await this.zone(ctx, query.tz);
    return {
      zone,
      fromDay: query.from,
      toDay: query.to,
      from: query.from ? startOfDay(query.from, zone) : undefined,
      until: query.to ? startOfDay(addDays(query.to, 1), zone) : undefined,
    };
  }
}

/** The dialect's reading of a raw timestamp, for services that read raw rows. */
export function instantReader(ctx: RequestContext): (value: unknown) => Date {
  const dialect = dialectOf(ctx.requireManager().connection);
  return (value) => dialect.instant(value);
}

/**
 * The dialect's reading of a raw timestamp, in milliseconds, for rows read by the thousand:
 * SQLite's own text 'YYYY-MM-DD HH:MM:SS.SSS' (UTC) is read digit by digit, without a Date or a
 * parse; anything else (another form, a Date from PostgreSQL) goes through the dialect.
 */
export function instantMsReader(ctx: RequestContext): (value: unknown) => number {
  const instant = instantReader(ctx);
  return (value) => (typeof value === 'string' ? sqliteTextMs(value) : undefined) ?? instant(value).getTime();
}

const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
};

/** SQLite's text of an instant, as Date would read it; undefined for any other form. */
export function sqliteTextMs(s: string): number | undefined {
  if (s.length !== 23 || s[4] !== '-' || s[7] !== '-' || s[10] !== ' ' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.') return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const ms = digits(s, 20, 23);
  // Date.UTC reads years 0-99 as 1900-1999, and rolls over what Date's parser refuses.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The dialect's reading of a raw boolean. */
export function truthReader(ctx: RequestContext): (value: unknown) => boolean {
  const dialect = dialectOf(ctx.requireManager().connection);
  return (value) => dialect.isTrue(value);
}

/** The dialect's form of a Date as a parameter compared with timestamp columns. */
export function timestampParam(ctx: RequestContext, value: Date): string {
  return dialectOf(ctx.requireManager().connection).timestamp(value);
}

/** A session's date: its start, else (legacy rows) when it was made. */
export const SESSION_AT = 'COALESCE(g.session_start, g.created_at)';

/**
 * Restricts a query that joins sessions as `g` to those that start in the window. On the start
 * itself, so that (root_id, session_start) serves the range: a session without a start (legacy
 * rows only) is in no bounded window.
 */
export function inWindow<T extends ObjectLiteral, Q extends SelectQueryBuilder<T>>(ctx: RequestContext, qb: Q, window: Window): Q {
  if (window.from) qb.andWhere('g.session_start >= :from', { from: timestampParam(ctx, window.from) });
  if (window.until) qb.andWhere('g.session_start < :until', { until: timestampParam(ctx, window.until) });
  return qb;
}
