import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGGREGATES, BUCKETS } from './dto/analytics.dto';

export class SeriesSetView {
  @ApiProperty({ format: 'uuid' })
  instanceId: string;

  @ApiProperty()
  setIndex: number;
}

export class SeriesPoint {
  @ApiProperty({ format: 'date', description: 'The local day of the session, or the first day of the bucket' })
  date: string;

  @ApiProperty({ format: 'date-time', description: "The session's start, or the bucket's first instant" })
  start: string;

  @ApiProperty({ format: 'date-time', nullable: true, description: "The first instant after the bucket (null for bucket=session)" })
  end: string | null;

  @ApiProperty({ nullable: true, type: Number })
  value: number | null;

  @ApiProperty({ type: [String], description: 'The sessions the point comes from, in time order' })
  sessionIds: string[];

  @ApiPropertyOptional({ type: SeriesSetView, description: 'top_set: the set the value comes from' })
  set?: SeriesSetView;
}

export class SeriesView {
  @ApiProperty({ format: 'uuid' })
  activityId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  metricId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  splitId: string | null;

  @ApiProperty({ enum: AGGREGATES })
  agg: string;

  @ApiProperty({ enum: BUCKETS })
  bucket: string;

  @ApiProperty({ example: 'Europe/Paris' })
  timeZone: string;

  @ApiProperty({ type: [SeriesPoint] })
  points: SeriesPoint[];
}
