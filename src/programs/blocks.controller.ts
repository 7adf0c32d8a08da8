import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { BlocksService } from './blocks.service';
import { DaysService } from './days.service';
import { CopyDayDto, CreateDayDto, UpdateDayDto } from './dto/day.dto';
import { CreateBlockDto, UpdateBlockDto } from './dto/program.dto';
import { ProgramBlock } from './program-block.entity';
import { ProgramDay } from './program-day.entity';
import { BlockView, DayView } from './program.view';

@ApiTags('programs')
@ApiTenant()
@Controller('api/roots/:rootId/programs/:programId/blocks')
export class BlocksController {
  constructor(
    private readonly blocks: BlocksService,
    private readonly days: DaysService,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: "A block inside the program's dates, its goals in the subtrees of the program's" })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: BlockView })
  @ApiErrors(400, 422)
  create(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Body() dto: CreateBlockDto) {
    return this.blocks.create(ctx, programId, dto);
  }

  @Patch(':blockId')
  @Versioned(ProgramBlock, 'blockId')
  @ApiOperation({ summary: 'Change a block; `goalIds` replaces its goal links' })
  @ApiIfMatch()
  @ApiOkResponse({ type: BlockView })
  @ApiErrors(400, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Param('blockId') blockId: string, @Body() dto: UpdateBlockDto) {
    return this.blocks.update(ctx, programId, blockId, dto);
  }

  @Delete(':blockId')
  @HttpCode(204)
  @Versioned(ProgramBlock, 'blockId')
  @ApiOperation({ summary: 'Soft-delete a block with its days and links under one deletion id; its sessions stay' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Param('blockId') blockId: string): Promise<void> {
    await this.blocks.remove(ctx, programId, blockId);
  }

  @Post(':blockId/days')
  @Idempotent()
  @ApiOperation({ summary: 'A day: one date, or weekdays repeating across the block; with its templates in order' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DayView })
  @ApiErrors(400, 422)
  createDay(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Param('blockId') blockId: string, @Body() dto: CreateDayDto) {
    return this.days.create(ctx, programId, blockId, dto);
  }

  @Patch(':blockId/days/:dayId')
  @Versioned(ProgramDay, 'dayId')
  @ApiOperation({ summary: 'Change a day; `templates` replaces its templates' })
  @ApiIfMatch()
  @ApiOkResponse({ type: DayView })
  @ApiErrors(400, 412)
  updateDay(
    @Ctx() ctx: RequestContext,
    @Param('programId') programId: string,
    @Param('blockId') blockId: string,
    @Param('dayId') dayId: string,
    @Body() dto: UpdateDayDto,
  ) {
    return this.days.update(ctx, programId, blockId, dayId, dto);
  }

  @Delete(':blockId/days/:dayId')
  @HttpCode(204)
  @Versioned(ProgramDay, 'dayId')
  @ApiOperation({ summary: 'Soft-delete a day with its templates and session links; its sessions stay' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(412)
  async removeDay(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Param('blockId') blockId: string, @Param('dayId') dayId: string): Promise<void> {
    await this.days.remove(ctx, programId, blockId, dayId);
  }

  @Post(':blockId/days/:dayId/copy')
  @Idempotent()
  @ApiOperation({ summary: 'Copy a day, into this block or `toBlockId` of the same program' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DayView })
  @ApiErrors(400, 409, 422)
  copyDay(
    @Ctx() ctx: RequestContext,
    @Param('programId') programId: string,
    @Param('blockId') blockId: string,
    @Param('dayId') dayId: string,
    @Body() dto: CopyDayDto,
  ) {
    return this.days.copy(ctx, programId, blockId, dayId, dto);
  }
}
