import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ApiErrors, ApiTenant } from '../http/api-docs';
import { ActivityStatsService } from './activity-stats.service';
import { ActivityStatsView } from './activity-stats.view';
import { RangeQuery, SeriesQuery, SessionSummaryQuery } from './dto/analytics.dto';
import { SessionStatsService } from './session-stats.service';
import { HeatmapView, SessionSummaryView } from './session-stats.view';
import { GoalStatsService } from './goal-stats.service';
import { GoalProgressView, GoalsSummaryView } from './goal-stats.view';
import { SeriesService } from './series.service';
import { SeriesView } from './series.view';

@ApiTags('analytics')
@ApiTenant()
@Controller('api/roots/:rootId/analytics')
export class AnalyticsController {
  constructor(
    private readonly series: SeriesService,
    private readonly activityStats: ActivityStatsService,
    private readonly sessionStats: SessionStatsService,
    private readonly goalStats: GoalStatsService,
  ) {}

  @Get('goals/summary')
  @ApiOperation({ summary: 'Completion per level, goals open for more than 90 days, goals with no practice in the last 14 days' })
  @ApiOkResponse({ type: GoalsSummaryView })
  goalsSummary(@Ctx() ctx: RequestContext) {
    return this.goalStats.summary(ctx);
  }

  @Get('goals/:goalId/progress')
  @ApiOperation({ summary: "A goal's subtree completion per level, targets met, linked sessions, time practised, and its timeline" })
  @ApiOkResponse({ type: GoalProgressView })
  goalProgress(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string) {
    return this.goalStats.progress(ctx, goalId);
  }

  @Get('sessions/summary')
  @ApiOperation({ summary: 'Sessions of a range: counts, active time, time per section and activity group, start hours, durations, per bucket' })
  @ApiOkResponse({ type: SessionSummaryView })
  @ApiErrors(400)
  sessionSummary(@Ctx() ctx: RequestContext, @Query() query: SessionSummaryQuery) {
    return this.sessionStats.summary(ctx, query);
  }

  @Get('heatmap')
  @ApiOperation({ summary: 'Sessions and active minutes per local day (the last 365 days by default), with the current and longest streaks' })
  @ApiOkResponse({ type: HeatmapView })
  @ApiErrors(400)
  heatmap(@Ctx() ctx: RequestContext, @Query() query: RangeQuery) {
    return this.sessionStats.heatmap(ctx, query);
  }

  @Get('activities')
  @ApiOperation({ summary: 'The activities by last use, with their sessions, last values, personal bests and 30-day trend' })
  @ApiOkResponse({ type: [ActivityStatsView] })
  activities(@Ctx() ctx: RequestContext) {
    return this.activityStats.list(ctx);
  }

  @Get('activities/:activityId/series')
  @ApiOperation({ summary: "An activity's values over time, per session or per local day, week or month" })
  @ApiOkResponse({ type: SeriesView })
  @ApiErrors(400)
  seriesOf(@Ctx() ctx: RequestContext, @Param('activityId') activityId: string, @Query() query: SeriesQuery) {
    return this.series.series(ctx, activityId, query);
  }
}
