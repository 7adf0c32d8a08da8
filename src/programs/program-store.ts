import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { SessionTemplate } from '../templates/session-template.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { BlockPlan, DayPlan, LinkedSession } from './calendar';
import { weekdaysOf } from './dates';
import { ProgramBlock } from './program-block.entity';
import { ProgramDaySession } from './program-day-session.entity';
import { ProgramDay } from './program-day.entity';
import { notFound } from './program-errors';
import { Program } from './program.entity';
import { ScheduledSession } from './scheduled-session.entity';

/** Reads of a program's rows: the program, its blocks, days, their templates and scheduled sessions. */
@Injectable()
export class ProgramStore {
  constructor(readonly data: TenantData) {}

  get programs() {
    return this.data.repo(Program);
  }
  get blocks() {
    return this.data.repo(ProgramBlock);
  }
  get days() {
    return this.data.repo(ProgramDay);
  }
  /** A day's templates (scheduled_sessions, the Flask app's name). */
  get slots() {
    return this.data.repo(ScheduledSession);
  }
  get links() {
    return this.data.repo(ProgramDaySession);
  }

  async program(ctx: RequestContext, id: string): Promise<Program> {
    const program = await this.programs.findById(ctx, id);
    if (!program) throw notFound('Program');
    return program;
  }

  /** A live block of the program: a block of another program answers as unknown. */
  async block(ctx: RequestContext, programId: string, blockId: string): Promise<ProgramBlock> {
    const block = await this.blocks.findOne(ctx, { id: blockId, programId });
    if (!block) throw notFound('Block');
    return block;
  }

  /** A live day of one of the program's live blocks, with its block. */
  async day(ctx: RequestContext, programId: string, dayId: string, blockId?: string): Promise<{ day: ProgramDay; block: ProgramBlock }> {
    const day = await this.days.findById(ctx, dayId);
    const block = day && (!blockId || day.blockId === blockId) ? await this.blocks.findOne(ctx, { id: day.blockId, programId }) : null;
    if (!day || !block) throw notFound('Day');
    return { day, block };
  }

  /** By start date (undated Flask-era blocks last), then creation. */
  async blocksOf(ctx: RequestContext, programId: string): Promise<ProgramBlock[]> {
    const blocks = await this.blocks.find(ctx, { where: { programId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return blocks.sort((a, b) => (a.startDate ?? '9999').localeCompare(b.startDate ?? '9999'));
  }

  daysOf(ctx: RequestContext, blockIds: string[]): Promise<ProgramDay[]> {
    if (!blockIds.length) return Promise.resolve([]);
    return this.days.find(ctx, { where: { blockId: In(blockIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  slotsOf(ctx: RequestContext, dayIds: string[]): Promise<ScheduledSession[]> {
    if (!dayIds.length) return Promise.resolve([]);
    return this.slots.find(ctx, { where: { dayId: In(dayIds) }, order: { sortOrder: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  /** Each day as the calendar reads it: its templates in order, with their names. */
  async dayPlans(ctx: RequestContext, days: ProgramDay[]): Promise<DayPlan[]> {
    const slots = await this.slotsOf(ctx, days.map((d) => d.id));
    const templateIds = [...new Set(slots.map((s) => s.sessionTemplateId).filter((t): t is string => !!t))];
    const templates = templateIds.length
      ? await this.data.repo(SessionTemplate).find(ctx, { where: { id: In(templateIds) }, withDeleted: true })
      : [];
    const nameOf = new Map(templates.map((t) => [t.id, t.name]));
    return days.map((d) => ({
      id: d.id,
      blockId: d.blockId,
      name: d.name,
      date: d.date,
      weekdays: weekdaysOf(d.weekdays),
      dayNumber: d.dayNumber,
      minTemplates: d.minTemplates,
      templates: slots
        .filter((s) => s.dayId === d.id && s.sessionTemplateId)
        .map((s) => ({ templateId: s.sessionTemplateId!, name: nameOf.get(s.sessionTemplateId!) ?? '', required: s.required })),
    }));
  }

  /** The live sessions scheduled for the days' occurrences (a deleted session counts for nothing until restored). */
  async linkedSessions(ctx: RequestContext, dayIds: string[], date?: string): Promise<LinkedSession[]> {
    if (!dayIds.length) return [];
    const links = await this.links.find(ctx, { where: { dayId: In(dayIds), ...(date ? { date } : {}) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const sessionIds = [...new Set(links.map((l) => l.sessionId))];
    const sessions = sessionIds.length ? await this.data.repo(Goal).find(ctx, { where: { id: In(sessionIds), type: 'PracticeSession' } }) : [];
    const byId = new Map(sessions.map((s) => [s.id, s]));
    return links.flatMap((l) => {
      const s = byId.get(l.sessionId);
      if (!s) return [];
      return [{ id: s.id, dayId: l.dayId, date: l.date, name: s.name, templateId: s.templateId, completed: s.completed, sessionStart: s.sessionStart }];
    });
  }
}

export const blockPlan = (b: ProgramBlock): BlockPlan => ({ id: b.id, name: b.name, startDate: b.startDate, endDate: b.endDate });
