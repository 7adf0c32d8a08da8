import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant, PageOf } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { AddInstanceDto, OrderInstancesDto } from './dto/instance.dto';
import { CreateSessionDto, EmptyBody, EmptyQuery, ForceQuery, SaveTemplateDto, SessionListQuery, UpdateSessionDto } from './dto/session.dto';
import { InstancesService } from './instances.service';
import { SessionCompletionService } from './session-completion.service';
import { ActiveSessionView, CompletedSessionView, InstanceView, SavedTemplateView, SessionSummaryView, SessionView } from './session.view';
import { SessionsService } from './sessions.service';
import { TimersService } from './timers.service';

const SessionParam = () => ApiParam({ name: 'sessionId', format: 'uuid' });

@ApiTags('sessions')
@ApiTenant()
@Controller('api/roots/:rootId/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly instances: InstancesService,
    private readonly timers: TimersService,
    private readonly completion: SessionCompletionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Sessions, newest first, with filters' })
  @ApiOkResponse({ type: PageOf(SessionSummaryView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() query: SessionListQuery) {
    return this.sessions.list(ctx, query);
  }

  @Get('active')
  @ApiOperation({ summary: "The root's unfinished session, or null" })
  @ApiOkResponse({ type: ActiveSessionView })
  @ApiErrors(400)
  active(@Ctx() ctx: RequestContext, @Query() _query: EmptyQuery) {
    return this.sessions.active(ctx);
  }

  @Get(':sessionId')
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: 'A session with its goals, sections and instances, each with its sets, values and comparison' })
  @ApiOkResponse({ type: SessionView })
  @ApiErrors()
  get(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string) {
    return this.sessions.get(ctx, sessionId);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Start a session under short-term goals; 409 while another is unfinished, unless ?force=true' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 422)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateSessionDto, @Query() query: ForceQuery) {
    return this.sessions.create(ctx, dto, query.force ?? false);
  }

  @Patch(':sessionId')
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: 'Change name, description, times or the sections' })
  @ApiOkResponse({ type: SessionView })
  @ApiIfMatch()
  @ApiErrors(400, 412)
  update(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() dto: UpdateSessionDto) {
    return this.sessions.update(ctx, sessionId, dto);
  }

  @Post(':sessionId/pause')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: 'Pause every running timer of the session' })
  @ApiOkResponse({ type: SessionView })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 412, 422)
  pause(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() _body: EmptyBody) {
    return this.timers.pauseSession(ctx, sessionId);
  }

  @Post(':sessionId/resume')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: "Resume the timers the session's pause paused" })
  @ApiOkResponse({ type: SessionView })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 412, 422)
  resume(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() _body: EmptyBody) {
    return this.timers.resumeSession(ctx, sessionId);
  }

  @Post(':sessionId/complete')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: "Stop its timers, end it, total its active time, complete it, and evaluate its goals' targets" })
  @ApiOkResponse({ type: CompletedSessionView })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 412, 422)
  complete(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() _body: EmptyBody) {
    return this.completion.complete(ctx, sessionId);
  }

  @Post(':sessionId/duplicate')
  @Idempotent()
  @SessionParam()
  @ApiOperation({ summary: 'A new session with the same goals and plan, without times or values; 409 while another is unfinished, unless ?force=true' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 422)
  duplicate(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Query() query: ForceQuery, @Body() _body: EmptyBody) {
    return this.sessions.duplicate(ctx, sessionId, query.force ?? false);
  }

  @Post(':sessionId/template')
  @Idempotent()
  @SessionParam()
  @ApiOperation({ summary: "Save the session's plan (sections and activities) as a template" })
  @ApiCreatedResponse({ type: SavedTemplateView })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 422)
  saveTemplate(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() dto: SaveTemplateDto) {
    return this.sessions.saveTemplate(ctx, sessionId, dto);
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: 'Soft-delete the session with its goals, sections, instances, sets and values' })
  @ApiNoContentResponse()
  @ApiIfMatch()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string): Promise<void> {
    await this.sessions.remove(ctx, sessionId);
  }

  @Post(':sessionId/restore')
  @HttpCode(200)
  @Idempotent()
  @SessionParam()
  @ApiOperation({ summary: 'Undo the delete: brings back exactly what it took' })
  @ApiOkResponse({ type: SessionView })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 422)
  restore(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() _body: EmptyBody) {
    return this.sessions.restore(ctx, sessionId);
  }

  @Post(':sessionId/activities')
  @Idempotent()
  @SessionParam()
  @ApiOperation({ summary: 'Add an instance of a live activity of this root' })
  @ApiCreatedResponse({ type: InstanceView })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409, 422)
  addInstance(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() dto: AddInstanceDto) {
    return this.instances.add(ctx, sessionId, dto);
  }

  @Put(':sessionId/activities/order')
  @Versioned(Goal, 'sessionId')
  @SessionParam()
  @ApiOperation({ summary: "Set the order of the session's instances: every one, once" })
  @ApiOkResponse({ type: SessionView })
  @ApiIfMatch()
  @ApiErrors(400, 412)
  order(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Body() dto: OrderInstancesDto) {
    return this.instances.order(ctx, sessionId, dto.ids);
  }
}
