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
