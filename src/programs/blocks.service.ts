import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context/request-context';
import { TenantPatch } from '../tenancy/tenant-repository';
import { dateOfTimestamp } from './dates';
import { CreateBlockDto, UpdateBlockDto } from './dto/program.dto';
import { GoalLinks } from './goal-links';
import { ProgramBlockGoal } from './program-block-goal.entity';
import { ProgramBlock } from './program-block.entity';
import { conflict, invalid } from './program-errors';
import { ProgramReads } from './program-reads';
import { ProgramStore } from './program-store';
import { Program } from './program.entity';
import { BlockView } from './program.view';
import { checkSpan, ProgramsService } from './programs.service';

/** Blocks of a program: inside its dates, working towards goals in its goals' subtrees. */
@Injectable()
export class BlocksService {
  constructor(
    private readonly store: ProgramStore,
    private readonly links: GoalLinks,
    private readonly reads: ProgramReads,
    private readonly programs: ProgramsService,
  ) {}

  async create(ctx: RequestContext, programId: string, dto: CreateBlockDto): Promise<BlockView> {
    const program = await this.store.program(ctx, programId);
    this.checkDates(program, dto.startDate, dto.endDate);
    const goalIds = dto.goalIds ?? [];
    await this.checkGoals(ctx, program.id, goalIds);
    const block = await this.store.blocks.insert(ctx, {
      programId: program.id,
      name: dto.name,
      startDate: dto.startDate,
      endDate: dto.endDate,
      color: dto.color ?? null,
    });
    if (goalIds.length) await this.store.data.repo(ProgramBlockGoal).insert(ctx, goalIds.map((goalId, sortOrder) => ({ blockId: block.id, goalId, sortOrder })));
    return this.view(ctx, program.id, block.id);
  }

  /** New dates must hold the block's dated days (409). */
  async update(ctx: RequestContext, programId: string, blockId: string, dto: UpdateBlockDto): Promise<BlockView> {
    const program = await this.store.program(ctx, programId);
    const block = await this.store.block(ctx, program.id, blockId);
    const patch: TenantPatch<ProgramBlock> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.color !== undefined) patch.color = dto.color;
    if (dto.startDate !== undefined || dto.endDate !== undefined) {
      const start = dto.startDate ?? block.startDate;
      const end = dto.endDate ?? block.endDate;
      const field = dto.startDate !== undefined ? 'startDate' : 'endDate';
      if (!start || !end) throw invalid(start ? 'endDate' : 'startDate', 'a block needs both its dates');
      this.checkDates(program, start, end);
      const days = await this.store.daysOf(ctx, [block.id]);
      const stray = days.find((d) => d.date && (d.date < start || d.date > end));
      if (stray) throw conflict(field, `Day ${stray.name ? `"${stray.name}" ` : ''}(${stray.id}) on ${stray.date} would lie outside ${start} to ${end}: move it first.`);
      patch.startDate = start;
      patch.endDate = end;
    }
    if (dto.goalIds !== undefined) {
      await this.checkGoals(ctx, program.id, dto.goalIds);
      await this.links.replaceBlockGoals(ctx, block.id, dto.goalIds);
      patch.name ??= block.name;
    }
    if (Object.keys(patch).length) await this.store.blocks.update(ctx, { id: block.id }, patch);
    return this.view(ctx, program.id, block.id);
  }

  /** Soft-deletes the block with its days, their templates and session links, and its goal links, under one deletion id. */
  async remove(ctx: RequestContext, programId: string, blockId: string): Promise<void> {
    const block = await this.store.block(ctx, programId, blockId);
    const deletionId = randomUUID();
    const days = await this.store.daysOf(ctx, [block.id]);
    await this.programs.takeDays(ctx, days.map((d) => d.id), deletionId);
    const links = await this.store.data.repo(ProgramBlockGoal).find(ctx, { where: { blockId: block.id } });
    await this.store.data.repo(ProgramBlockGoal).softDelete(ctx, links.map((l) => l.id), deletionId);
    await this.store.blocks.softDelete(ctx, [block.id], deletionId);
  }

  async view(ctx: RequestContext, programId: string, blockId: string): Promise<BlockView> {
    const program = await this.reads.view(ctx, programId);
    return program.blocks.find((b) => b.id === blockId)!;
  }

  private checkDates(program: Program, start: string, end: string): void {
    checkSpan(start, end);
    const from = dateOfTimestamp(program.startDate);
    const to = dateOfTimestamp(program.endDate);
    if (start < from) throw invalid('startDate', `startDate (${start}) must not be before the program's startDate (${from})`);
    if (end > to) throw invalid('endDate', `endDate (${end}) must not be after the program's endDate (${to})`);
  }

  /** Live goals of this root (404 naming goalIds.k) in the subtrees of the program's goals (400 naming goalIds.k). */
  private async checkGoals(ctx: RequestContext, programId: string, goalIds: string[]): Promise<void> {
    await this.links.check(ctx, goalIds, 'goalIds');
    const tops = (await this.links.programGoals(ctx, [programId])).get(programId) ?? [];
    const stray = await this.links.outside(ctx, goalIds, tops);
    if (stray.length) {
      const k = goalIds.indexOf(stray[0]);
      throw invalid(`goalIds.${k}`, `goalIds.${k} lies outside the subtrees of the program's goals`);
    }
  }
}
