import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant, PageOf } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { AsOfQuery, CalendarQuery, CreateProgramDto, ProgramListQuery, UpdateProgramDto } from './dto/program.dto';
import { ProgramReads } from './program-reads';
import { Program } from './program.entity';
import { CalendarView, ProgramSummaryView, ProgramView } from './program.view';
import { ProgramsService } from './programs.service';

@ApiTags('programs')
@ApiTenant()
@Controller('api/roots/:rootId/programs')
export class ProgramsController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly reads: ProgramReads,
  ) {}

  @Get()
  @ApiOperation({ summary: "The root's live programs, oldest first" })
  @ApiOkResponse({ type: PageOf(ProgramSummaryView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ProgramListQuery) {
    return this.programs.list(ctx, query);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'A program over dates, working towards goals; 409 naming a program of the root whose dates it overlaps' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ProgramView })
  @ApiErrors(400, 409, 422)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateProgramDto) {
    return this.programs.create(ctx, dto);
  }

  @Get(':programId')
  @Versioned(Program, 'programId')
  @ApiOperation({ summary: 'The program with its blocks, days and progress (occurrences done of due, goals completed of linked)' })
  @ApiOkResponse({ type: ProgramView, description: 'With `ETag: "<version>"`.' })
  @ApiErrors(400)
  get(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Query() query: AsOfQuery) {
    return this.programs.get(ctx, programId, query.asOf);
  }

  @Patch(':programId')
  @Versioned(Program, 'programId')
  @ApiOperation({ summary: 'Change a program; `goalIds` replaces its goal links' })
  @ApiIfMatch()
  @ApiOkResponse({ type: ProgramView })
  @ApiErrors(400, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Body() dto: UpdateProgramDto) {
    return this.programs.update(ctx, programId, dto);
  }

  @Delete(':programId')
  @HttpCode(204)
  @Versioned(Program, 'programId')
  @ApiOperation({ summary: 'Soft-delete a program with its blocks, days and links under one deletion id; its sessions stay' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('programId') programId: string): Promise<void> {
    await this.programs.remove(ctx, programId);
  }

  @Post(':programId/restore')
  @Idempotent()
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Bring back exactly what its delete took; 409 if it is not deleted, or its dates are taken meanwhile' })
  @ApiOkResponse({ type: ProgramView })
  @ApiErrors(400, 409)
  restore(@Ctx() ctx: RequestContext, @Param('programId') programId: string) {
    return this.programs.restore(ctx, programId);
  }

  @Get(':programId/calendar')
  @ApiOperation({ summary: 'The program expanded into dated occurrences, each with its templates, sessions and whether it is complete' })
  @ApiOkResponse({ type: CalendarView })
  @ApiErrors(400)
  calendar(@Ctx() ctx: RequestContext, @Param('programId') programId: string, @Query() query: CalendarQuery) {
    return this.reads.calendar(ctx, programId, query);
  }
}
