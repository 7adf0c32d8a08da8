import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ApiErrors, ApiIdempotencyKey, ApiTenant } from '../http/api-docs';
import { Idempotent } from '../http/idempotency';
import { ForceQuery } from '../sessions/dto/session.dto';
import { ScheduleDto, UnscheduleDto } from './dto/day.dto';
import { UnscheduleView } from './program.view';
import { ScheduleService, ScheduleView } from './schedule.service';

@ApiTags('programs')
@ApiTenant()
@Controller('api/roots/:rootId/programs/:programId/days/:dayId')
export class ScheduleController {
  constructor(private readonly schedule: ScheduleService) {}

  @Post('schedule')
  @Idempotent()
  @ApiOperation({ summary: "Create the session of the day's occurrence on `date`, from its first template (or `templateId`), linked to the day" })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ScheduleView })
  @ApiErrors(400, 409, 422)
  create(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Param('dayId') dayId: string, @Body() dto: ScheduleDto, @Query() query: ForceQuery) {
    return this.schedule.schedule(ctx, programId, dayId, dto, query.force ?? false);
  }

  @Post('unschedule')
  @HttpCode(200)
  @Idempotent()
  @ApiIdempotencyKey()
  @ApiOperation({ summary: "Soft-delete the unfinished sessions of the day's occurrence on `date`" })
  @ApiOkResponse({ type: UnscheduleView })
  @ApiErrors(400)
  remove(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Param('dayId') dayId: string, @Body() dto: UnscheduleDto) {
    return this.schedule.unschedule(ctx, programId, dayId, dto);
  }
}
