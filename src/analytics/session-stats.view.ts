import { ApiProperty } from '@nestjs/swagger';
import { CALENDAR_BUCKETS } from './dto/analytics.dto';

class SessionCountsView {
  @ApiProperty() total: number;
  @ApiProperty() completed: number;
  @ApiProperty() inProgress: number;
}

class ActiveSecondsView {
  @ApiProperty({ description: 'The active duration of the sessions that have one' }) total: number;
  @ApiProperty({ nullable: true, type: Number }) average: number | null;
  @ApiProperty({ description: 'Sessions with an active duration' }) sessionsTimed: number;
}

class SectionTimeView {
  @ApiProperty({ nullable: true, type: String, description: 'null: instances outside any section' }) name: string | null;
  @ApiProperty() seconds: number;
}

class GroupTimeView {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: activities outside any group' }) groupId: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() seconds: number;
}

class StartHourView {
  @ApiProperty({ description: 'Local hour, 0 to 23' }) hour: number;
  @ApiProperty() sessions: number;
}

class DurationBinView {
  @ApiProperty() fromMinutes: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Excluded; null: open' }) toMinutes: number | null;
  @ApiProperty() sessions: number;
}

class SessionBucketView {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty() sessions: number;
  @ApiProperty() completed: number;
  @ApiProperty() activeSeconds: number;
}

export class SessionSummaryView {
  @ApiProperty() timeZone: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) from: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) to: string | null;
  @ApiProperty({ enum: CALENDAR_BUCKETS }) bucket: string;
  @ApiProperty({ type: SessionCountsView }) sessions: SessionCountsView;
  @ApiProperty({ type: ActiveSecondsView }) activeSeconds: ActiveSecondsView;
  @ApiProperty({ type: [SectionTimeView], description: "Instances' active seconds per section name" }) bySection: SectionTimeView[];
  @ApiProperty({ type: [GroupTimeView], description: "Instances' active seconds per activity group" }) byGroup: GroupTimeView[];
  @ApiProperty({ type: [StartHourView] }) startHours: StartHourView[];
  @ApiProperty({ type: [DurationBinView] }) durations: DurationBinView[];
  @ApiProperty({ type: [SessionBucketView] }) buckets: SessionBucketView[];
}

class HeatmapDayView {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() sessions: number;
  @ApiProperty() activeMinutes: number;
}

export class HeatmapView {
  @ApiProperty() timeZone: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ type: [HeatmapDayView], description: 'The days of the range with practice' }) days: HeatmapDayView[];
  @ApiProperty({ description: 'Days with practice in a row, up to today (or yesterday)' }) currentStreak: number;
  @ApiProperty({ description: 'The longest run of days with practice' }) longestStreak: number;
}
