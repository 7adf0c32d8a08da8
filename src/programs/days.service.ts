import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { SessionTemplate } from '../templates/session-template.entity';
import { TenantPatch } from '../tenancy/tenant-repository';
import { weekdaysText } from './dates';
import { CopyDayDto, CreateDayDto, DayTemplateDto, UpdateDayDto } from './dto/day.dto';
import { ProgramBlock } from './program-block.entity';
import { ProgramDay } from './program-day.entity';
import { conflict, invalid, missingReference } from './program-errors';
import { ProgramStore } from './program-store';
import { DayView, toDayView } from './program.view';
import { ProgramsService } from './programs.service';

interface DayShape {
  date: string | null;
  weekdays: string[] | null;
  minTemplates: number | null;
  templateCount: number;
  /** A Flask-era day placed by its number in the block (neither a date nor weekdays). */
  dayNumber: number | null;
}

/** Days of a block: one date, or weekdays repeating across the block; each with its templates in order. */
@Injectable()
export class DaysService {
  constructor(
    private readonly store: ProgramStore,
    private readonly programs: ProgramsService,
  ) {}

  async create(ctx: RequestContext, programId: string, blockId: string, dto: CreateDayDto): Promise<DayView> {
    await this.store.program(ctx, programId);
    const block = await this.store.block(ctx, programId, blockId);
    const shape = { date: dto.date ?? null, weekdays: dto.weekdays ?? null, minTemplates: dto.minTemplates ?? null, templateCount: dto.templates.length, dayNumber: null };
    checkShape(block, shape, { date: dto.date !== undefined, weekdays: dto.weekdays !== undefined });
    await this.checkTemplates(ctx, dto.templates);
    const day = await this.store.days.insert(ctx, {
      blockId: block.id,
      name: dto.name ?? null,
      date: shape.date,
      weekdays: shape.weekdays ? weekdaysText(shape.weekdays) : null,
      minTemplates: shape.minTemplates,
    });
    await this.plantTemplates(ctx, day.id, dto.templates.map((t) => ({ templateId: t.templateId, required: t.required ?? true })));
    return this.view(ctx, day.id);
  }

  async update(ctx: RequestContext, programId: string, blockId: string, dayId: string, dto: UpdateDayDto): Promise<DayView> {
    const { day, block } = await this.store.day(ctx, programId, dayId, blockId);
    const current = await this.store.slotsOf(ctx, [day.id]);
    const shape: DayShape = {
      date: dto.date !== undefined ? dto.date : day.date,
      weekdays: dto.weekdays !== undefined ? dto.weekdays : day.weekdays ? day.weekdays.split(',') : null,
      minTemplates: dto.minTemplates !== undefined ? dto.minTemplates : day.minTemplates,
      templateCount: dto.templates?.length ?? current.length,
      dayNumber: dto.date !== undefined || dto.weekdays !== undefined ? null : day.dayNumber,
    };
    checkShape(block, shape, { date: dto.date !== undefined, weekdays: dto.weekdays !== undefined });
    if (dto.templates) await this.checkTemplates(ctx, dto.templates);
    const patch: TenantPatch<ProgramDay> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.date !== undefined || dto.weekdays !== undefined) {
      patch.date = shape.date;
      patch.weekdays = shape.weekdays ? weekdaysText(shape.weekdays) : null;
      // A Flask-era numbered day placed by date or weekdays is no longer numbered.
      patch.dayNumber = null;
    }
    if (dto.minTemplates !== undefined) patch.minTemplates = dto.minTemplates;
    if (dto.templates) {
      await this.store.slots.softDelete(ctx, current.map((s) => s.id), randomUUID());
      await this.plantTemplates(ctx, day.id, dto.templates.map((t) => ({ templateId: t.templateId, required: t.required ?? true })));
      patch.name ??= day.name;
    }
    if (Object.keys(patch).length) await this.store.days.update(ctx, { id: day.id }, patch);
    return this.view(ctx, day.id);
  }

  /** Soft-deletes the day with its templates and session links under one deletion id; its sessions stay. */
  async remove(ctx: RequestContext, programId: string, blockId: string, dayId: string): Promise<void> {
    const { day } = await this.store.day(ctx, programId, dayId, blockId);
    await this.programs.takeDays(ctx, [day.id], randomUUID());
  }

  /** A new day like this one (name, date or weekdays, templates), in this block or another of the program. */
  async copy(ctx: RequestContext, programId: string, blockId: string, dayId: string, dto: CopyDayDto): Promise<DayView> {
    const { day, block } = await this.store.day(ctx, programId, dayId, blockId);
    let target = block;
    if (dto.toBlockId !== undefined && dto.toBlockId !== block.id) {
      const other = await this.store.blocks.findOne(ctx, { id: dto.toBlockId, programId });
      if (!other) throw missingReference('toBlockId', 'Block');
      target = other;
    }
    if (day.date && target.startDate && target.endDate && (day.date < target.startDate || day.date > target.endDate)) {
      throw conflict('toBlockId', `The day falls on ${day.date}, outside that block (${target.startDate} to ${target.endDate}): copy it into a block that holds its date.`);
    }
    const slots = await this.store.slotsOf(ctx, [day.id]);
    const copy = await this.store.days.insert(ctx, {
      blockId: target.id,
      name: day.name,
      date: day.date,
      weekdays: day.weekdays,
      dayNumber: day.dayNumber,
      notes: day.notes,
      minTemplates: day.minTemplates,
    });
    await this.plantTemplates(ctx, copy.id, slots.filter((s) => s.sessionTemplateId).map((s) => ({ templateId: s.sessionTemplateId!, required: s.required })));
    return this.view(ctx, copy.id);
  }

  async view(ctx: RequestContext, dayId: string): Promise<DayView> {
    const day = (await this.store.days.findById(ctx, dayId))!;
    const [plan] = await this.store.dayPlans(ctx, [day]);
    return toDayView(day, plan.templates);
  }

  private async plantTemplates(ctx: RequestContext, dayId: string, templates: { templateId: string; required: boolean }[]): Promise<void> {
    if (!templates.length) return;
    await this.store.slots.insert(
      ctx,
      templates.map((t, sortOrder) => ({ dayId, sessionTemplateId: t.templateId, required: t.required, sortOrder, isCompleted: false, completionData: null })),
    );
  }

  /** Live templates of this root (404 naming templates.k.templateId), each once (400). */
  private async checkTemplates(ctx: RequestContext, templates: DayTemplateDto[]): Promise<void> {
    const ids = templates.map((t) => t.templateId);
    const found = new Set((await this.store.data.repo(SessionTemplate).find(ctx, { where: { id: In(ids) } })).map((t) => t.id));
    for (const [k, id] of ids.entries()) {
      if (!found.has(id)) throw missingReference(`templates.${k}.templateId`, 'Template');
      if (ids.indexOf(id) !== k) throw invalid(`templates.${k}.templateId`, `templates.${k}.templateId repeats templates.${ids.indexOf(id)}.templateId`);
    }
  }
}

/** Either one date inside the block, or weekdays on a dated block; minTemplates no more than its templates. */
function checkShape(block: ProgramBlock, s: DayShape, sent: { date: boolean; weekdays: boolean }): void {
  if (s.date && s.weekdays) throw invalid(sent.weekdays ? 'weekdays' : 'date', 'a day is either one date or weekdays that repeat, not both: send the other as null');
  if (!s.date && !s.weekdays && s.dayNumber === null) throw invalid('date', 'a day needs a date, or weekdays that repeat across its block');
  if (s.date && block.startDate && block.endDate && (s.date < block.startDate || s.date > block.endDate)) {
    throw invalid('date', `date (${s.date}) must lie within the block (${block.startDate} to ${block.endDate})`);
  }
  if (s.weekdays && (!block.startDate || !block.endDate)) throw invalid('weekdays', 'the block has no dates to repeat across: give it dates first');
  if (s.minTemplates !== null && s.minTemplates > s.templateCount) {
    throw invalid('minTemplates', `minTemplates (${s.minTemplates}) must not exceed the day's ${s.templateCount} template(s)`);
  }
}
