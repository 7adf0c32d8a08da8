import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { ActivityInstance } from './activity-instance.entity';
import { PutSetsDto, PutValuesDto, ResumeTimerQuery, StartTimerQuery, UpdateInstanceDto } from './dto/instance.dto';
import { EmptyBody, EmptyQuery } from './dto/session.dto';
import { InstancesService } from './instances.service';
import { SessionReader } from './session-reader';
import { InstanceView, RecordedInstanceView } from './session.view';
import { TimersService } from './timers.service';
import { ValuesService } from './values.service';

const InstanceParam = () => ApiParam({ name: 'instanceId', format: 'uuid' });

/** A timer route: a POST without a body, answering the instance. */
const TimerRoute = (summary: string) =>
  applyDecorators(
    HttpCode(200),
    Idempotent(),
    Versioned(ActivityInstance, 'instanceId'),
    InstanceParam(),
    ApiOperation({ summary }),
    ApiOkResponse({ type: InstanceView }),
    ApiIfMatch(),
    ApiIdempotencyKey(),
    ApiErrors(400, 409, 412, 422),
  );

@ApiTags('activity instances')
@ApiTenant()
@Controller('api/roots/:rootId/activity-instances')
export class InstancesController {
  constructor(
    private readonly reader: SessionReader,
    private readonly instances: InstancesService,
    private readonly timers: TimersService,
    private readonly values: ValuesService,
  ) {}

  @Get(':instanceId')
  @Versioned(ActivityInstance, 'instanceId')
  @InstanceParam()
  @ApiOperation({ summary: 'An instance with its timer, sets, values and comparison' })
  @ApiOkResponse({ type: InstanceView })
  @ApiErrors()
  get(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string) {
    return this.reader.instanceView(ctx, instanceId);
  }

  @Patch(':instanceId')
  @Versioned(ActivityInstance, 'instanceId')
  @InstanceParam()
  @ApiOperation({ summary: 'Notes, completed, section, and manual times (both, in order)' })
  @ApiOkResponse({ type: InstanceView })
  @ApiIfMatch()
  @ApiErrors(400, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Body() dto: UpdateInstanceDto) {
    return this.instances.update(ctx, instanceId, dto);
  }

  @Delete(':instanceId')
  @HttpCode(204)
  @Versioned(ActivityInstance, 'instanceId')
  @InstanceParam()
  @ApiOperation({ summary: 'Soft-delete the instance with its sets and values' })
  @ApiNoContentResponse()
  @ApiIfMatch()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string): Promise<void> {
    await this.instances.remove(ctx, instanceId);
  }

  @Post(':instanceId/timer/start')
  @TimerRoute('Start the timer; 409 if it has one (unless ?restart=true) or another of the session runs (unless ?switch=true)')
  start(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Query() query: StartTimerQuery, @Body() _body: EmptyBody) {
    return this.timers.start(ctx, instanceId, query);
  }

  @Post(':instanceId/timer/pause')
  @TimerRoute('Pause the running timer; 409 otherwise')
  pause(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Query() _query: EmptyQuery, @Body() _body: EmptyBody) {
    return this.timers.pause(ctx, instanceId);
  }

  @Post(':instanceId/timer/resume')
  @TimerRoute('Resume the paused timer; 409 if another of the session runs (unless ?switch=true)')
  resume(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Query() query: ResumeTimerQuery, @Body() _body: EmptyBody) {
    return this.timers.resume(ctx, instanceId, query);
  }

  @Post(':instanceId/timer/stop')
  @TimerRoute('Stop the timer: its duration is its active time, pauses excluded')
  stop(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Query() _query: EmptyQuery, @Body() _body: EmptyBody) {
    return this.timers.stop(ctx, instanceId);
  }

  @Put(':instanceId/sets')
  @Versioned(ActivityInstance, 'instanceId')
  @InstanceParam()
  @ApiOperation({ summary: 'Replace the sets and their values as a whole (activities with sets)' })
  @ApiOkResponse({ type: RecordedInstanceView })
  @ApiIfMatch()
  @ApiErrors(400, 412)
  putSets(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Body() dto: PutSetsDto) {
    return this.values.putSets(ctx, instanceId, dto);
  }

  @Put(':instanceId/metrics')
  @Versioned(ActivityInstance, 'instanceId')
  @InstanceParam()
  @ApiOperation({ summary: 'Upsert one value per (metric, split, set); a null value removes it' })
  @ApiOkResponse({ type: RecordedInstanceView })
  @ApiIfMatch()
  @ApiErrors(400, 412)
  putValues(@Ctx() ctx: RequestContext, @Param('instanceId') instanceId: string, @Body() dto: PutValuesDto) {
    return this.values.putValues(ctx, instanceId, dto);
  }
}
