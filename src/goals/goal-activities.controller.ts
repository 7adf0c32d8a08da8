import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Goal } from './goal.entity';
import { ApiErrors, ApiIfMatch, ApiTenant } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { PutGoalActivitiesDto } from './dto/goal-activities.dto';
import { GoalActivitiesService } from './goal-activities.service';
import { EffectiveActivitiesPage, GoalActivityLinksView } from './goal-activities.view';

/** A goal's activities: its links to activities and groups (src/activities), and the effective list. */
@ApiTags('goal activities')
@ApiTenant()
@Controller('api/roots/:rootId/goals/:goalId/activities')
export class GoalActivitiesController {
  constructor(private readonly goalActivities: GoalActivitiesService) {}

  @Put()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Link activities and whole groups to a goal (the lists replace its links), and say whether it inherits its parent’s' })
  @ApiIfMatch()
  @ApiOkResponse({ type: GoalActivityLinksView, description: 'The goal’s own links, with `ETag: "<goal version>"`.' })
  @ApiErrors(400, 409, 412)
  put(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() dto: PutGoalActivitiesDto) {
    return this.goalActivities.put(ctx, goalId, dto);
  }

  @Get()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'The goal’s effective activities: its links, its groups’ activities and, where it inherits, its parent’s' })
  @ApiOkResponse({ type: EffectiveActivitiesPage })
  @ApiErrors(400)
  get(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Query() page: PageQuery) {
    return this.goalActivities.effective(ctx, goalId, page);
  }
}
