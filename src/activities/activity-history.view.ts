import { ApiProperty } from '@nestjs/swagger';

export class HistorySessionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: Date, nullable: true })
  sessionStart: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  sessionEnd: Date | null;

  @ApiProperty()
  completed: boolean;
}

export class HistoryValueView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty({ description: 'As the metric is named now; inactive metrics included.' })
  metricName: string;

  @ApiProperty()
  unit: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  splitId: string | null;

  @ApiProperty({ type: String, nullable: true })
  splitName: string | null;

  @ApiProperty()
  value: number;
}

export class HistoryEntryView {
  @ApiProperty({ format: 'uuid', description: 'The activity instance.' })
  id: string;

  @ApiProperty({ type: HistorySessionView })
  session: HistorySessionView;

  @ApiProperty({ description: 'When it was practised: its start, else its session’s start, else when it was added.' })
  date: Date;

  @ApiProperty({ type: Date, nullable: true })
  timeStart: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  timeStop: Date | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Active seconds, pauses excluded.' })
  durationSeconds: number | null;

  @ApiProperty()
  completed: boolean;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ type: [HistoryValueView] })
  values: HistoryValueView[];
}
