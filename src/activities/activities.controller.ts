import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant, PageOf } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ActivitiesService } from './activities.service';
import { ActivityDefinition } from './activity-definition.entity';
import { HistoryEntryView } from './activity-history.view';
import { ActivityView } from './activity.view';
import { ActivityListQuery, CreateActivityDto, UpdateActivityDto } from './dto/activity.dto';

@ApiTags('activities')
@ApiTenant()
@Controller('api/roots/:rootId/activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @ApiOperation({ summary: 'The live activities of this root, with their metrics and splits' })
  @ApiOkResponse({ type: PageOf(ActivityView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ActivityListQuery) {
    return this.activities.list(ctx, query);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Define an activity, with up to 3 metrics and up to 5 splits' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ActivityView })
  @ApiErrors(400, 409, 422)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateActivityDto) {
    return this.activities.create(ctx, dto);
  }

  @Get(':activityId')
  @Versioned(ActivityDefinition, 'activityId')
  @ApiOkResponse({ type: ActivityView, description: 'With `ETag: "<version>"`.' })
  @ApiErrors()
  get(@Ctx() ctx: RequestContext, @Param('activityId') activityId: string) {
    return this.activities.get(ctx, activityId);
  }

  @Patch(':activityId')
  @Versioned(ActivityDefinition, 'activityId')
  @ApiOperation({ summary: 'Change an activity; `metrics` and `splits`, when sent, are its new active lists, reconciled by id' })
  @ApiIfMatch()
  @ApiOkResponse({ type: ActivityView })
  @ApiErrors(400, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('activityId') activityId: string, @Body() dto: UpdateActivityDto) {
    return this.activities.update(ctx, activityId, dto);
  }

  @Delete(':activityId')
  @HttpCode(204)
  @Versioned(ActivityDefinition, 'activityId')
  @ApiOperation({ summary: 'Soft-delete an activity; its instances and values stay in their sessions' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('activityId') activityId: string): Promise<void> {
    await this.activities.remove(ctx, activityId);
  }

  @Get(':activityId/history')
  @ApiOperation({ summary: 'Its instances, newest first, each with its session, date and values' })
  @ApiOkResponse({ type: PageOf(HistoryEntryView) })
  @ApiErrors(400)
  historyOf(@Ctx() ctx: RequestContext, @Param('activityId') activityId: string, @Query() page: PageQuery) {
    return this.activities.history(ctx, activityId, page);
  }
}
