import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { EmptyBody } from './dto/goal.dto';
import { CreateTargetDto, UpdateTargetDto } from './dto/target.dto';
import { EvaluationDto, TargetDeleteDto, TargetPageDto, TargetWriteDto } from './dto/views.dto';
import { Goal } from './goal.entity';
import { GoalTarget } from './goal-target.entity';
import { TargetsService } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@ApiParam({ name: 'rootId', description: 'A root you own' })
@Controller('api/roots/:rootId/goals/:goalId/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Get()
  @ApiOperation({ summary: "The goal's targets, oldest first" })
  @ApiOkResponse({ type: TargetPageDto })
  @ApiErrors(400, 404)
  list(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Query() page: PageQuery) {
    return this.targets.list(ctx, goalId, page);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Adds a target on an activity of this root, with conditions on its metrics; the goal is evaluated' })
  @ApiCreatedResponse({ type: TargetWriteDto })
  @ApiErrors(400, 404, 409)
  @ApiIdempotencyKey()
  create(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() dto: CreateTargetDto) {
    return this.targets.create(ctx, goalId, dto);
  }

  @Post('evaluate')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Goal, 'goalId')
  @ApiOperation({ summary: "Evaluates the goal's targets against its practice now; the cascades follow" })
  @ApiOkResponse({ type: EvaluationDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  @ApiIdempotencyKey()
  evaluate(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Body() _body: EmptyBody) {
    return this.targets.evaluate(ctx, goalId);
  }

  @Patch(':targetId')
  @Versioned(GoalTarget, 'targetId')
  @ApiOperation({ summary: 'Changes a target (conditions are replaced as a whole); the goal is evaluated' })
  @ApiOkResponse({ type: TargetWriteDto })
  @ApiErrors(400, 404, 409)
  @ApiIfMatch()
  update(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Param('targetId') targetId: string, @Body() dto: UpdateTargetDto) {
    return this.targets.update(ctx, goalId, targetId, dto);
  }

  @Delete(':targetId')
  @Versioned(GoalTarget, 'targetId')
  @ApiOperation({ summary: 'Soft-deletes a target; the cascades follow' })
  @ApiOkResponse({ type: TargetDeleteDto })
  @ApiErrors(404, 409)
  @ApiIfMatch()
  remove(@Ctx() ctx: RequestContext, @Param('goalId') goalId: string, @Param('targetId') targetId: string) {
    return this.targets.remove(ctx, goalId, targetId);
  }
}
