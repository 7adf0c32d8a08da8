import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIfMatch } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { UpdateLevelDto } from './dto/level.dto';
import { LevelDto, LevelPageDto } from './dto/views.dto';
import { GoalLevel } from './goal-level.entity';
import { GOAL_TYPES } from './goal.types';
import { LevelsService } from './levels.service';

@ApiTags('levels')
@ApiBearerAuth()
@ApiParam({ name: 'rootId', description: 'A root you own' })
@Controller('api/roots/:rootId/levels')
export class LevelsController {
  constructor(private readonly levels: LevelsService) {}

  @Get()
  @ApiOperation({ summary: "The root's eight levels, from UltimateGoal down" })
  @ApiOkResponse({ type: LevelPageDto })
  @ApiErrors(400, 404)
  list(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.levels.list(ctx, page);
  }

  @Patch(':type')
  @Versioned(GoalLevel, 'type', 'type')
  @ApiParam({ name: 'type', enum: GOAL_TYPES })
  @ApiOperation({ summary: "Changes a level's settings in this root" })
  @ApiOkResponse({ type: LevelDto })
  @ApiErrors(400, 404)
  @ApiIfMatch()
  update(@Ctx() ctx: RequestContext, @Param('type') type: string, @Body() dto: UpdateLevelDto) {
    return this.levels.update(ctx, type, dto);
  }
}
