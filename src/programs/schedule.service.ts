import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { CreateSessionDto } from '../sessions/dto/session.dto';
import { SessionView } from '../sessions/session.view';
import { SessionsService } from '../sessions/sessions.service';
import { SessionTemplate } from '../templates/session-template.entity';
import { occursOn } from './calendar';
import { ScheduleDto, UnscheduleDto } from './dto/day.dto';
import { GoalLinks } from './goal-links';
import { invalid, missingReference } from './program-errors';
import { blockPlan, ProgramStore } from './program-store';
import { UnscheduleView } from './program.view';

export class ScheduleView {
  @ApiProperty({ format: 'uuid' })
  dayId: string;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ type: SessionView, description: 'The new session, as GET /sessions/:sessionId answers it.' })
  session: SessionView;
}

/**
 * Scheduling makes the session of an occurrence through the sessions feature (its rules hold:
 * short-term parents, one unfinished session per root) and links it to the day and date.
 */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly store: ProgramStore,
    private readonly links: GoalLinks,
    private readonly sessions: SessionsService,
  ) {}

  async schedule(ctx: RequestContext, programId: string, dayId: string, dto: ScheduleDto, force: boolean): Promise<ScheduleView> {
    await this.store.program(ctx, programId);
    const { day, block } = await this.store.day(ctx, programId, dayId);
    const [plan] = await this.store.dayPlans(ctx, [day]);
    if (!occursOn(plan, blockPlan(block), dto.date)) throw invalid('date', `the day does not occur on ${dto.date}`);
    let templateId: string;
    if (dto.templateId !== undefined) {
      if (!(await this.store.data.repo(SessionTemplate).findById(ctx, dto.templateId))) throw missingReference('templateId', 'Template');
      if (!plan.templates.some((t) => t.templateId === dto.templateId)) throw invalid('templateId', "templateId is not one of the day's templates");
      templateId = dto.templateId;
    } else {
      if (!plan.templates.length) throw invalid('templateId', 'the day has no templates to schedule');
      const existing = await this.store.linkedSessions(ctx, [day.id], dto.date);
      const taken = new Set(existing.map((s) => s.templateId));
      templateId = (plan.templates.find((t) => !taken.has(t.templateId)) ?? plan.templates[0]).templateId;
    }
    const parentGoalIds = dto.parentGoalIds ?? (await this.defaultParents(ctx, programId, block.id));
    const name = `${day.name ?? block.name} (${dto.date})`;
    const input: CreateSessionDto = { parentGoalIds, templateId, name: name.slice(0, 500) };
    const session = await this.sessions.create(ctx, input, force);
    await this.store.links.insert(ctx, { dayId: day.id, sessionId: session.id, date: dto.date });
    return { dayId: day.id, date: dto.date, session };
  }

  /** Soft-deletes the occurrence's unfinished sessions (each as DELETE /sessions/:id does); completed ones stay. */
  async unschedule(ctx: RequestContext, programId: string, dayId: string, dto: UnscheduleDto): Promise<UnscheduleView> {
    await this.store.program(ctx, programId);
    const { day, block } = await this.store.day(ctx, programId, dayId);
    const [plan] = await this.store.dayPlans(ctx, [day]);
    if (!occursOn(plan, blockPlan(block), dto.date)) throw invalid('date', `the day does not occur on ${dto.date}`);
    const open = (await this.store.linkedSessions(ctx, [day.id], dto.date)).filter((s) => !s.completed);
    const removed = [...new Set(open.map((s) => s.id))];
    for (const id of removed) await this.sessions.remove(ctx, id);
    return { dayId: day.id, date: dto.date, removedSessionIds: removed };
  }

  /** The block's short-term goals, else the program's: 400 naming parentGoalIds when neither has one. */
  private async defaultParents(ctx: RequestContext, programId: string, blockId: string): Promise<string[]> {
    const block = (await this.links.blockGoals(ctx, [blockId])).get(blockId) ?? [];
    const program = (await this.links.programGoals(ctx, [programId])).get(programId) ?? [];
    for (const ids of [block, program]) {
      if (!ids.length) continue;
      const short = new Set((await this.store.data.repo(Goal).find(ctx, { where: { id: In(ids), type: 'ShortTermGoal' } })).map((g) => g.id));
      const found = ids.filter((id) => short.has(id)).slice(0, 20);
      if (found.length) return found;
    }
    throw invalid('parentGoalIds', 'neither the block nor the program works towards a short-term goal: name the session\'s parentGoalIds');
  }
}
