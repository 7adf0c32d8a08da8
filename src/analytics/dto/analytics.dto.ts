import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, IsTimeZone } from 'class-validator';
import { IsId } from '../../http/ids';

export const AGGREGATES = ['last', 'max', 'sum', 'average', 'top_set', 'yield'] as const;
export type Aggregate = (typeof AGGREGATES)[number];
export const BUCKETS = ['session', 'day', 'week', 'month'] as const;
export const CALENDAR_BUCKETS = ['day', 'week', 'month'] as const;
export type CalendarBucket = (typeof CALENDAR_BUCKETS)[number];

/** Years 1000 to 2999: every engine and Date read them alike. */
const DAY = /^[12]\d{3}-\d{2}-\d{2}$/;
/** A local day, YYYY-MM-DD, that exists in the calendar. */
const IsDay = () =>
  applyDecorators(
    IsString(),
    Matches(DAY, { message: '$property must be a day, YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a day that exists' }),
  );

/** `tz`, `from` and `to`, shared by every analytics route that reads dates. */
export class TimeZoneQuery {
  @ApiPropertyOptional({ example: 'Europe/Paris', description: "An IANA time zone; else the user's setting (PATCH /api/auth/me), else UTC." })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone({ message: 'tz must be an IANA time zone, such as Europe/Paris' })
  tz?: string;
}

export class RangeQuery extends TimeZoneQuery {
  @ApiPropertyOptional({ format: 'date', description: 'The first local day included.' })
  @IsOptional()
  @IsDay()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'The last local day included.' })
  @IsOptional()
  @IsDay()
  to?: string;
}

export class SeriesQuery extends RangeQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "One of the activity's metrics; by default its first (top_set: its top-set metric; yield takes none)." })
  @IsOptional()
  @IsId()
  metricId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only the values of this split of the activity." })
  @IsOptional()
  @IsId()
  splitId?: string;

  @ApiPropertyOptional({ enum: AGGREGATES, default: 'max' })
  @IsOptional()
  @IsIn(AGGREGATES)
  agg?: Aggregate;

  @ApiPropertyOptional({ enum: BUCKETS, default: 'session' })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: (typeof BUCKETS)[number];
}

export class SessionSummaryQuery extends RangeQuery {
  @ApiPropertyOptional({ enum: CALENDAR_BUCKETS, default: 'week' })
  @IsOptional()
  @IsIn(CALENDAR_BUCKETS)
  bucket?: CalendarBucket;
}
