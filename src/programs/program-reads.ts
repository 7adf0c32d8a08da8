import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { expand, progressOf } from './calendar';
import { dateOfTimestamp, dayNumber, todayUtc } from './dates';
import { CalendarQuery } from './dto/program.dto';
import { GoalLinks } from './goal-links';
import { invalid } from './program-errors';
import { blockPlan, ProgramStore } from './program-store';
import { CalendarView, ProgramView, toBlockView, toDayView, toProgramSummary } from './program.view';

/** The longest calendar one request expands. */
export const MAX_CALENDAR_DAYS = 400;

/**
 * The whole program (blocks, days, templates, progress) and its calendar, computed from the
 * rows at read time: a session completed, deleted or restored through the sessions routes
 * changes both with nothing stored to keep in step.
 */
@Injectable()
export class ProgramReads {
  constructor(
    private readonly store: ProgramStore,
    private readonly links: GoalLinks,
  ) {}

  async view(ctx: RequestContext, programId: string, asOf: string = todayUtc()): Promise<ProgramView> {
    const program = await this.store.program(ctx, programId);
    const blocks = await this.store.blocksOf(ctx, program.id);
    const days = await this.store.daysOf(ctx, blocks.map((b) => b.id));
    const plans = await this.store.dayPlans(ctx, days);
    const sessions = await this.store.linkedSessions(ctx, days.map((d) => d.id));
    const programGoals = (await this.links.programGoals(ctx, [program.id])).get(program.id) ?? [];
    const blockGoals = await this.links.blockGoals(ctx, blocks.map((b) => b.id));
    const occurrences = expand(blocks.map(blockPlan), plans, sessions, dateOfTimestamp(program.startDate), dateOfTimestamp(program.endDate));
    const linked = [...new Set([...programGoals, ...[...blockGoals.values()].flat()])];
    const completed = linked.length ? await this.store.data.repo(Goal).count(ctx, { id: In(linked), completed: true }) : 0;
    const planOf = new Map(plans.map((p) => [p.id, p]));
    return {
      ...toProgramSummary(program, programGoals),
      blocks: blocks.map((b) =>
        toBlockView(
          b,
          blockGoals.get(b.id) ?? [],
          days.filter((d) => d.blockId === b.id).map((d) => toDayView(d, planOf.get(d.id)!.templates)),
        ),
      ),
      progress: { ...progressOf(blocks.map(blockPlan), occurrences, asOf), goals: { completed, linked: linked.length } },
    };
  }

  async calendar(ctx: RequestContext, programId: string, query: CalendarQuery): Promise<CalendarView> {
    const program = await this.store.program(ctx, programId);
    const from = query.from ?? dateOfTimestamp(program.startDate);
    const to = query.to ?? dateOfTimestamp(program.endDate);
    if (to < from) throw invalid('to', `to (${to}) must not be before from (${from})`);
    if (dayNumber(to) - dayNumber(from) >= MAX_CALENDAR_DAYS) throw invalid('to', `a calendar spans at most ${MAX_CALENDAR_DAYS} days: ask for ${from} to ${to} in parts`);
    const blocks = await this.store.blocksOf(ctx, program.id);
    const days = await this.store.daysOf(ctx, blocks.map((b) => b.id));
    const plans = await this.store.dayPlans(ctx, days);
    const sessions = await this.store.linkedSessions(ctx, days.map((d) => d.id));
    return { programId: program.id, from, to, occurrences: expand(blocks.map(blockPlan), plans, sessions, from, to) };
  }
}
