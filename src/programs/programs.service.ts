import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { Page, paginate } from '../http/pagination';
import { TenantPatch } from '../tenancy/tenant-repository';
import { dateOfTimestamp, dayNumber, timestampOf, todayUtc } from './dates';
import { CreateProgramDto, ProgramListQuery, UpdateProgramDto } from './dto/program.dto';
import { GoalLinks } from './goal-links';
import { ProgramBlockGoal } from './program-block-goal.entity';
import { ProgramGoal } from './program-goal.entity';
import { conflict, invalid, notFound } from './program-errors';
import { ProgramReads } from './program-reads';
import { ProgramStore } from './program-store';
import { Program } from './program.entity';
import { ProgramSummaryView, ProgramView, toProgramSummary } from './program.view';

/** The longest program: three years of days. */
export const MAX_PROGRAM_DAYS = 3 * 366;

/** Dates in order and not too far apart: 400 naming endDate. */
export function checkSpan(start: string, end: string, maxDays = MAX_PROGRAM_DAYS): void {
  if (end < start) throw invalid('endDate', `endDate (${end}) must not be before startDate (${start})`);
  if (dayNumber(end) - dayNumber(start) >= maxDays) throw invalid('endDate', `a program spans at most ${maxDays} days`);
}

/**
 * Programs of a root: plans over dates that never overlap another program of the root. Deleting
 * one soft-deletes its blocks, days, their templates, goal links and session links under one
 * deletion id (its sessions stay); restoring it brings back exactly those rows.
 */
@Injectable()
export class ProgramsService {
  constructor(
    private readonly store: ProgramStore,
    private readonly links: GoalLinks,
    private readonly reads: ProgramReads,
  ) {}

  async list(ctx: RequestContext, query: ProgramListQuery): Promise<Page<ProgramSummaryView>> {
    const page = await paginate(this.store.programs.createQueryBuilder(ctx, 'p'), 'p', query);
    const goals = await this.links.programGoals(ctx, page.items.map((p) => p.id));
    return { items: page.items.map((p) => toProgramSummary(p, goals.get(p.id) ?? [])), nextCursor: page.nextCursor };
  }

  get(ctx: RequestContext, id: string, asOf?: string): Promise<ProgramView> {
    return this.reads.view(ctx, id, asOf ?? todayUtc());
  }

  async create(ctx: RequestContext, dto: CreateProgramDto): Promise<ProgramView> {
    checkSpan(dto.startDate, dto.endDate);
    await this.links.check(ctx, dto.goalIds, 'goalIds');
    await this.checkOverlap(ctx, dto.startDate, dto.endDate, null);
    const program = await this.store.programs.insert(ctx, {
      name: dto.name,
      description: dto.description ?? null,
      startDate: timestampOf(dto.startDate),
      endDate: timestampOf(dto.endDate),
      isActive: true,
      weeklySchedule: {},
    });
    if (dto.goalIds.length) await this.store.data.repo(ProgramGoal).insert(ctx, dto.goalIds.map((goalId, sortOrder) => ({ programId: program.id, goalId, sortOrder })));
    return this.get(ctx, program.id);
  }

  /** New dates must still hold every block (409) and overlap no other program (409); new goals must still hold the blocks' goals (409). */
  async update(ctx: RequestContext, id: string, dto: UpdateProgramDto): Promise<ProgramView> {
    const program = await this.store.program(ctx, id);
    const start = dto.startDate ?? dateOfTimestamp(program.startDate);
    const end = dto.endDate ?? dateOfTimestamp(program.endDate);
    const patch: TenantPatch<Program> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.description !== undefined) patch.description = dto.description;
    const blocks = await this.store.blocksOf(ctx, program.id);
    if (dto.startDate !== undefined || dto.endDate !== undefined) {
      checkSpan(start, end);
      const field = dto.startDate !== undefined ? 'startDate' : 'endDate';
      const outside = blocks.find((b) => b.startDate && b.endDate && (b.startDate < start || b.endDate > end));
      if (outside) throw conflict(field, `Block "${outside.name}" (${outside.startDate} to ${outside.endDate}) would lie outside ${start} to ${end}: move it first.`);
      await this.checkOverlap(ctx, start, end, program.id);
      patch.startDate = timestampOf(start);
      patch.endDate = timestampOf(end);
    }
    if (dto.goalIds !== undefined) {
      await this.links.check(ctx, dto.goalIds, 'goalIds');
      const blockGoals = [...(await this.links.blockGoals(ctx, blocks.map((b) => b.id))).values()].flat();
      const [stray] = await this.links.outside(ctx, [...new Set(blockGoals)], dto.goalIds);
      if (stray) throw conflict('goalIds', `A block of this program works towards goal ${stray}, which would lie outside the subtrees of goalIds: change the block first.`);
      await this.links.replaceProgramGoals(ctx, program.id, dto.goalIds);
      // The links are part of the program: its version moves with them.
      patch.name ??= program.name;
    }
    if (Object.keys(patch).length) await this.store.programs.update(ctx, { id: program.id }, patch);
    return this.get(ctx, program.id);
  }

  async remove(ctx: RequestContext, id: string): Promise<{ deletionId: string }> {
    const program = await this.store.program(ctx, id);
    const deletionId = randomUUID();
    const blocks = await this.store.blocksOf(ctx, program.id);
    const blockIds = blocks.map((b) => b.id);
    const days = await this.store.daysOf(ctx, blockIds);
    const dayIds = days.map((d) => d.id);
    await this.takeDays(ctx, dayIds, deletionId);
    if (blockIds.length) {
      const blockLinks = await this.store.data.repo(ProgramBlockGoal).find(ctx, { where: { blockId: In(blockIds) } });
      await this.store.data.repo(ProgramBlockGoal).softDelete(ctx, blockLinks.map((l) => l.id), deletionId);
    }
    await this.store.blocks.softDelete(ctx, blockIds, deletionId);
    const goalLinks = await this.store.data.repo(ProgramGoal).find(ctx, { where: { programId: program.id } });
    await this.store.data.repo(ProgramGoal).softDelete(ctx, goalLinks.map((l) => l.id), deletionId);
    await this.store.programs.softDelete(ctx, [program.id], deletionId);
    return { deletionId };
  }

  /** Days with their templates and session links, under the caller's deletion. */
  async takeDays(ctx: RequestContext, dayIds: string[], deletionId: string): Promise<void> {
    if (!dayIds.length) return;
    const slots = await this.store.slotsOf(ctx, dayIds);
    await this.store.slots.softDelete(ctx, slots.map((s) => s.id), deletionId);
    const links = await this.store.links.find(ctx, { where: { dayId: In(dayIds) } });
    await this.store.links.softDelete(ctx, links.map((l) => l.id), deletionId);
    await this.store.days.softDelete(ctx, dayIds, deletionId);
  }

  /** Brings back exactly what the delete took; 409 if it is not deleted, or another program took its dates meanwhile. */
  async restore(ctx: RequestContext, id: string): Promise<ProgramView> {
    const program = await this.store.programs.findById(ctx, id, true);
    if (!program) throw notFound('Program');
    if (!program.deletedAt || !program.deletionId) throw conflict('programId', 'This program is not deleted.');
    await this.checkOverlap(ctx, dateOfTimestamp(program.startDate), dateOfTimestamp(program.endDate), program.id);
    const deletionId = program.deletionId;
    await this.store.programs.restore(ctx, deletionId);
    await this.store.data.repo(ProgramGoal).restore(ctx, deletionId);
    await this.store.blocks.restore(ctx, deletionId);
    await this.store.data.repo(ProgramBlockGoal).restore(ctx, deletionId);
    await this.store.days.restore(ctx, deletionId);
    await this.store.slots.restore(ctx, deletionId);
    await this.store.links.restore(ctx, deletionId);
    return this.get(ctx, program.id);
  }

  /** Programs of one root may not share a date: 409 naming the other. */
  private async checkOverlap(ctx: RequestContext, start: string, end: string, self: string | null): Promise<void> {
    // The root's row, locked: two requests cannot both find the dates free (PostgreSQL; SQLite serializes writes).
    await this.store.data.repo(Goal).lockById(ctx, ctx.requireRoot());
    const others = await this.store.programs.find(ctx, {});
    const other = others.find((p) => p.id !== self && dateOfTimestamp(p.startDate) <= end && dateOfTimestamp(p.endDate) >= start);
    if (other) {
      throw conflict(
        'startDate',
        `The dates overlap program "${other.name}" (${other.id}, ${dateOfTimestamp(other.startDate)} to ${dateOfTimestamp(other.endDate)}): programs of a root may not overlap.`,
      );
    }
  }
}
