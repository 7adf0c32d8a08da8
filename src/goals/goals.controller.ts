import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { CompletionService } from './completion.service';
import { CreateGoalDto, EmptyBody, MoveGoalDto, TreeQuery, UpdateGoalDto } from './dto/goal.dto';
import { CopyResultDto, DeleteResultDto, GoalDetailDto, GoalNodeDto, GoalWriteDto, RestoreResultDto } from './dto/views.dto';
import { Goal } from './goal.entity';
import { GoalDeletionService } from './goal-deletion.service';
import { GoalsService } from './goals.service';

@ApiTags('goals')
@ApiBearerAuth()
@ApiParam({ name: 'rootId', description: 'A root you own' })
@Controller('api/roots/:rootId/goals')
export class GoalsController {
  constructor(
    private readonly goals: GoalsService,
    private readonly deletion: GoalDeletionService,
    private readonly completion: CompletionService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The root's whole tree, nested; each level by sortOrder, then createdAt. Sessions only with ?include=sessions" })
  @ApiOkResponse({ type: GoalNodeDto })
  @ApiErrors(400, 404)
  tree(@Ctx() ctx: RequestContext, @Query() query: TreeQuery) {
    return this.goals.tree(ctx, query);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: "Adds a goal under a parent: its type is the level directly below the parent's" })
  @ApiCreatedResponse({ type: GoalWriteDto })
  @ApiErrors(400, 404, 409)
  @ApiIdempotencyKey()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateGoalDto) {
    return this.goals.create(ctx, dto);
  }

  @Get(':goalId')
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'One goal with its subtree, its ancestors (breadcrumb) and its targets' })
  @ApiOkResponse({ type: GoalDetailDto })
  @ApiErrors(400, 404)
  get(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Query() query: TreeQuery) {
    return this.goals.get(ctx, goalId, query);
  }

  @Patch(':goalId')
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Changes name, description, relevance, deadline or sortOrder; an earlier deadline moves later ones below it' })
  @ApiOkResponse({ type: GoalWriteDto })
  @ApiErrors(400, 404, 409)
  @ApiIfMatch()
  update(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() dto: UpdateGoalDto) {
    return this.goals.update(ctx, goalId, dto);
  }

  @Delete(':goalId')
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Soft-deletes the goal and its whole subtree, sessions and their practice included, under one deletion id' })
  @ApiOkResponse({ type: DeleteResultDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  remove(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string) {
    return this.deletion.remove(ctx, goalId);
  }

  @Post(':goalId/restore')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Brings back exactly what the delete of this goal took' })
  @ApiOkResponse({ type: RestoreResultDto })
  @ApiErrors(404, 409)
  @ApiIdempotencyKey()
  restore(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.deletion.restore(ctx, goalId);
  }

  @Post(':goalId/move')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Moves the goal (and its subtree) under another parent of the level above it, at position' })
  @ApiOkResponse({ type: GoalWriteDto })
  @ApiErrors(400, 404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  move(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() dto: MoveGoalDto) {
    return this.goals.move(ctx, goalId, dto);
  }

  @Post(':goalId/copy')
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Copies the goal and its subtree (not its sessions) under the same parent, named "... (copy)"' })
  @ApiCreatedResponse({ type: CopyResultDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  copy(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.goals.copy(ctx, goalId);
  }

  @Post(':goalId/complete')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Completes the goal by hand (409 if paused, already completed, or its level forbids it); the cascades follow' })
  @ApiOkResponse({ type: GoalWriteDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  complete(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.completion.complete(ctx, goalId);
  }

  @Post(':goalId/uncomplete')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Re-opens the goal by hand: the cascades leave it open until something changes' })
  @ApiOkResponse({ type: GoalWriteDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  uncomplete(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.completion.uncomplete(ctx, goalId);
  }

  @Post(':goalId/pause')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Pauses the goal: it cannot be completed, and practice meanwhile never counts towards it' })
  @ApiOkResponse({ type: GoalWriteDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  pause(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.completion.pause(ctx, goalId);
  }

  @Post(':goalId/resume')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: 'Ends the pause (kept as an interval); the cascades may complete it now' })
  @ApiOkResponse({ type: GoalWriteDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  resume(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.completion.resume(ctx, goalId);
  }
}
