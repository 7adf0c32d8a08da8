import { Injectable } from '@nestjs/common';
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

/** The dialect's form of a Date as a parameter compared with timestamp columns. */
export function timestampParam(ctx: RequestContext, value: Date): string {
  return dialectOf(ctx.requireManager().connection).timestamp(value);
}
