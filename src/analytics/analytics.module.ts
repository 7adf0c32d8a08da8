import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsDates } from './analytics-dates';
import { ActivityStatsService } from './activity-stats.service';
import { SessionStatsService } from './session-stats.service';
import { GoalStatsService } from './goal-stats.service';
import { SeriesService } from './series.service';

@Module({
  imports: [AuthModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsDates, SeriesService, ActivityStatsService, SessionStatsService, GoalStatsService],
})
export class AnalyticsModule {}
