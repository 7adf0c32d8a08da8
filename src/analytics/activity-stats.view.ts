import { ApiProperty } from '@nestjs/swagger';

export class MetricValueView {
  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  splitId: string | null;

  @ApiProperty()
  setIndex: number;

  @ApiProperty()
  value: number;
}

export class PersonalBestView {
  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty({ description: 'The best is the highest value, else the lowest' })
  higherIsBetter: boolean;

  @ApiProperty()
  value: number;
}

export class MetricTrendView {
  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty({ description: 'Sessions of the last 30 days with a value of the metric' })
  sessions: number;

  @ApiProperty({ nullable: true, type: Number, description: 'The best value of the first of them' })
  first: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'The best value of the last of them' })
  last: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'last - first' })
  change: number | null;
}

export class ActivityStatsView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  groupId: string | null;

  @ApiProperty({ description: 'Live sessions with an instance of the activity' })
  sessions: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The start of the latest of them' })
  lastUsedAt: string | null;

  @ApiProperty({ type: [MetricValueView], description: 'The values of its latest instance' })
  lastValues: MetricValueView[];

  @ApiProperty({ type: [PersonalBestView] })
  personalBests: PersonalBestView[];

  @ApiProperty({ type: [MetricTrendView], description: 'Per metric, over the last 30 days' })
  trend: MetricTrendView[];
}
