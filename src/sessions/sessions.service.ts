import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { Goal } from '../goals/goal.entity';
import { GoalDeletionService } from '../goals/goal-deletion.service';
import { PracticeSessionGoal } from '../goals/practice-session-goal.entity';
import { Page, paginate } from '../http/pagination';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantPatch } from '../tenancy/tenant-repository';
import { ActivityInstance } from './activity-instance.entity';
import { CreateSessionDto, SaveTemplateDto, SessionListQuery, UpdateSessionDto } from './dto/session.dto';
import { conflict, invalid, sessionNotFound, unknownReference } from './session-errors';
import { SessionCompletionService } from './session-completion.service';
import { PRACTICE_SESSION, SessionReader } from './session-reader';
import { SessionLayout } from './session-layout';
import { ActiveSessionView, SavedTemplateView, SessionSummaryView, SessionView, toSessionSummary } from './session.view';
import { PlannedSection, TemplatePlans } from './template-plans';

/** What a new session is made of: its goals, name, plan and immediate goals. */
interface NewSession {
  parentGoalIds: string[];
  name?: string;
  description: string | null;
  templateId: string | null;
  sessionStart: Date;
  immediateGoals: { name: string; description: string | null }[];
  sections: PlannedSection[];
  /** Activities outside any section, after the sections' ones. */
  looseActivityIds: string[];
}

/**
 * Practice sessions: PracticeSession rows of the goal tree, under a short-term goal and linked
 * to the short-term goals they serve. A root has at most one unfinished session: creating one
 * locks the root's row, so that concurrent creates (on any instance of the API) see each other.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly data: TenantData,
    private readonly reader: SessionReader,
    private readonly layout: SessionLayout,
    private readonly completion: SessionCompletionService,
    private readonly templates: TemplatePlans,
    private readonly deletion: GoalDeletionService,
  ) {}

  private get goals() {
    return this.data.repo(Goal);
  }

  /** Newest first, with the filters; `goalId` and `activityId` must name rows of this root. */
  async list(ctx: RequestContext, query: SessionListQuery): Promise<Page<SessionSummaryView>> {
    const qb = this.goals.createQueryBuilder(ctx, 's').andWhere('s.type = :type', { type: PRACTICE_SESSION });
    const dialect = dialectOf(ctx.requireManager().connection);
    const started = 'COALESCE(s.session_start, s.created_at)';
    if (query.from && query.to && Date.parse(query.to) < Date.parse(query.from)) throw invalid('to', 'to must not be before from');
    if (query.from) qb.andWhere(`${started} >= :from`, { from: dialect.timestamp(new Date(query.from)) });
    if (query.to) qb.andWhere(`${started} <= :to`, { to: dialect.timestamp(new Date(query.to)) });
    if (query.completed !== undefined) qb.andWhere('s.completed = :completed', { completed: query.completed });
    if (query.goalId) {
      if (!(await this.goals.findById(ctx, query.goalId, true))) throw invalid('goalId', 'goalId names no goal of this root');
      const linked = qb
        .subQuery()
        .select('1')
        .from(PracticeSessionGoal, 'l')
        .where('l.practice_session_id = s.id AND l.short_term_goal_id = :goalId')
        .getQuery();
      qb.andWhere(`(s.parent_id = :goalId OR EXISTS ${linked})`, { goalId: query.goalId });
    }
    if (query.activityId) {
      if (!(await this.data.repo(ActivityDefinition).findById(ctx, query.activityId, true))) {
        throw invalid('activityId', 'activityId names no activity of this root');
      }
      const practised = qb
        .subQuery()
        .select('1')
        .from(ActivityInstance, 'i')
        .where('i.practice_session_id = s.id AND i.activity_definition_id = :activityId')
        .getQuery();
      qb.andWhere(`EXISTS ${practised}`, { activityId: query.activityId });
    }
    const page = await paginate(qb, 's', query, { direction: 'DESC' });
    return { items: page.items.map(toSessionSummary), nextCursor: page.nextCursor };
  }

  async active(ctx: RequestContext): Promise<ActiveSessionView> {
    const [open] = await this.openSessions(ctx);
    return { session: open ? await this.reader.view(ctx, open) : null };
  }

  async get(ctx: RequestContext, sessionId: string): Promise<SessionView> {
    return this.reader.view(ctx, sessionId);
  }

  async create(ctx: RequestContext, dto: CreateSessionDto, force: boolean): Promise<SessionView> {
    await this.checkParents(ctx, dto.parentGoalIds);
    let plan: PlannedSection[] = [];
    if (dto.templateId) {
      const found = await this.templates.planOf(ctx, dto.templateId);
      if (!found) throw unknownReference('templateId', 'templateId names no live template of this root');
      plan = found.sections;
    }
    await this.claimOpenSlot(ctx, force);
    const id = await this.insertSession(ctx, {
      parentGoalIds: dto.parentGoalIds,
      name: dto.name,
      description: dto.description ?? null,
      templateId: dto.templateId ?? null,
      sessionStart: dto.sessionStart ? new Date(dto.sessionStart) : new Date(),
      immediateGoals: (dto.immediateGoals ?? []).map((g) => ({ name: g.name, description: g.description ?? null })),
      sections: plan,
      looseActivityIds: [],
    });
    return this.reader.view(ctx, id);
  }

  async update(ctx: RequestContext, sessionId: string, dto: UpdateSessionDto): Promise<SessionView> {
    const session = await this.reader.session(ctx, sessionId, true);
    const start = dto.sessionStart !== undefined ? new Date(dto.sessionStart) : session.sessionStart;
    const end = dto.sessionEnd === undefined ? session.sessionEnd : dto.sessionEnd === null ? null : new Date(dto.sessionEnd);
    if (start && end && end.getTime() < start.getTime()) {
      const field = dto.sessionEnd !== undefined ? 'sessionEnd' : 'sessionStart';
      throw invalid(field, `sessionEnd (${end.toISOString()}) must not be before sessionStart (${start.toISOString()})`);
    }
    const patch: TenantPatch<Goal> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.sessionStart !== undefined) patch.sessionStart = start;
    if (dto.sessionEnd !== undefined) patch.sessionEnd = end;
    if (dto.sections !== undefined) {
      await this.layout.replace(ctx, session.id, dto.sections);
      // The layout is part of the session: its version moves with it.
      patch.name ??= session.name;
    }
    if (Object.keys(patch).length) await this.goals.update(ctx, { id: session.id }, patch);
    return this.reader.view(ctx, session.id);
  }

  /** A new unfinished session with the same goals and plan (sections, activities, immediate goals), without times or values. */
  async duplicate(ctx: RequestContext, sessionId: string, force: boolean): Promise<SessionView> {
    const source = await this.reader.session(ctx, sessionId);
    const links = await this.data.repo(PracticeSessionGoal).find(ctx, { where: { practiceSessionId: source.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const linked = [...new Set([source.parentId, ...links.map((l) => l.shortTermGoalId)].filter((id): id is string => !!id))];
    const parents = linked.length ? await this.goals.find(ctx, { where: { id: In(linked), type: 'ShortTermGoal' } }) : [];
    if (parents.length === 0) throw conflict('The short-term goals of this session are deleted: a copy would serve no goal.');
    const parentGoalIds = linked.filter((id) => parents.some((p) => p.id === id));
    const { sections, loose } = await this.planOf(ctx, source.id);
    const immediate = await this.goals.find(ctx, { where: { parentId: source.id, type: 'ImmediateGoal' }, order: { sortOrder: 'ASC', createdAt: 'ASC' } });
    await this.claimOpenSlot(ctx, force);
    const id = await this.insertSession(ctx, {
      parentGoalIds,
      name: source.name,
      description: source.description,
      templateId: source.templateId,
      sessionStart: new Date(),
      immediateGoals: immediate.map((g) => ({ name: g.name, description: g.description })),
      sections,
      looseActivityIds: loose,
    });
    return this.reader.view(ctx, id);
  }

  /** Saves the session's plan as a template: its sections, and a last one for activities outside any. */
  async saveTemplate(ctx: RequestContext, sessionId: string, dto: SaveTemplateDto): Promise<SavedTemplateView> {
    const session = await this.reader.session(ctx, sessionId);
    const { sections, loose } = await this.planOf(ctx, session.id);
    const plan = loose.length ? [...sections, { name: 'Activities', durationMinutes: null, activityIds: loose }] : sections;
    if (!plan.some((s) => s.activityIds.length)) throw conflict('This session has no live activities: there is no plan to save.');
    const template = await this.templates.save(ctx, dto.name, dto.description ?? null, plan);
    return { id: template.id, name: template.name, description: template.description, sections: plan, createdAt: template.createdAt };
  }

  /**
   * Soft-deletes the session as the goal tree deletes a goal: with everything under it (immediate
   * goals, their targets and pauses, links, sections, instances, sets, values) under one deletion
   * id, and its goals' targets re-evaluated.
   */
  async remove(ctx: RequestContext, sessionId: string): Promise<void> {
    const session = await this.reader.session(ctx, sessionId, true);
    await this.deletion.remove(ctx, session.id);
  }

  async restore(ctx: RequestContext, sessionId: string): Promise<SessionView> {
    const session = await this.goals.findOne(ctx, { id: sessionId, type: PRACTICE_SESSION }, true);
    if (!session) throw sessionNotFound();
    if (!session.deletedAt || !session.deletionId) throw conflict('This session is not deleted.');
    if (session.parentId && !(await this.goals.findById(ctx, session.parentId))) {
      throw conflict('The goal this session is under is deleted: restore that goal (which brings its sessions back) instead.');
    }
    if (!session.completed) await this.claimOpenSlot(ctx, false);
    await this.deletion.restore(ctx, session.id);
    return this.reader.view(ctx, session.id);
  }

  /** The root's unfinished sessions, newest first (an adopted file may hold several). */
  private openSessions(ctx: RequestContext): Promise<Goal[]> {
    return this.goals.find(ctx, { where: { type: PRACTICE_SESSION, completed: false }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /**
   * The one-unfinished-session rule: the root's row is locked (PostgreSQL; SQLite serializes
   * writes), then any unfinished session answers 409 naming it, or with `force` is completed.
   */
  private async claimOpenSlot(ctx: RequestContext, force: boolean): Promise<void> {
    const root = this.goals.createQueryBuilder(ctx, 'r').andWhere('r.id = :id', { id: ctx.requireRoot() });
    await dialectOf(ctx.requireManager().connection).lockForUpdate(root).getOne();
    const open = await this.openSessions(ctx);
    if (open.length === 0) return;
    if (!force) {
      const s = open[0];
      throw conflict(`This root has an unfinished session: "${s.name}" (${s.id}). Complete it first, or ask again with ?force=true to complete it now.`);
    }
    for (const s of open) await this.completion.completeLocked(ctx, await this.reader.session(ctx, s.id, true));
  }

  /** Every parent must be a live short-term goal of this root: another root's (or no) goal is a 404, another level a 400. */
  private async checkParents(ctx: RequestContext, ids: string[]): Promise<void> {
    const found = await this.goals.find(ctx, { where: { id: In(ids) } });
    for (const [k, id] of ids.entries()) {
      const goal = found.find((g) => g.id === id);
      if (!goal) throw unknownReference(`parentGoalIds.${k}`, `parentGoalIds.${k} names no live goal of this root`);
      if (goal.type !== 'ShortTermGoal') throw invalid(`parentGoalIds.${k}`, `parentGoalIds.${k} is a ${goal.type}: sessions hang under short-term goals`);
    }
  }

  private async insertSession(ctx: RequestContext, s: NewSession): Promise<string> {
    const name = s.name ?? (await this.defaultName(ctx, s.sessionStart));
    const session = await this.goals.insert(ctx, {
      type: PRACTICE_SESSION,
      name,
      description: s.description,
      parentId: s.parentGoalIds[0],
      templateId: s.templateId,
      sessionStart: s.sessionStart,
    });
    await this.data.repo(PracticeSessionGoal).insert(
      ctx,
      s.parentGoalIds.map((goalId) => ({ practiceSessionId: session.id, shortTermGoalId: goalId })),
    );
    if (s.immediateGoals.length) {
      await this.goals.insert(
        ctx,
        s.immediateGoals.map((g, sortOrder) => ({ type: 'ImmediateGoal' as const, name: g.name, description: g.description, parentId: session.id, sortOrder })),
      );
    }
    await this.layout.plant(ctx, session.id, s.sections, s.looseActivityIds);
    return session.id;
  }

  /** As the Flask app named them: "Practice Session N - MM/DD/YYYY", N counting the root's live sessions. */
  private async defaultName(ctx: RequestContext, start: Date): Promise<string> {
    const n = (await this.goals.count(ctx, { type: PRACTICE_SESSION })) + 1;
    const pad = (x: number) => String(x).padStart(2, '0');
    return `Practice Session ${n} - ${pad(start.getUTCMonth() + 1)}/${pad(start.getUTCDate())}/${start.getUTCFullYear()}`;
  }

  /** A session's plan: its sections with their live activities in order, and those outside any section. */
  private async planOf(ctx: RequestContext, sessionId: string): Promise<{ sections: PlannedSection[]; loose: string[] }> {
    const sections = await this.reader.sectionsOf(ctx, sessionId);
    const instances = await this.reader.instancesOf(ctx, sessionId);
    const activityIds = [...new Set(instances.map((i) => i.activityDefinitionId))];
    const live = new Set(
      activityIds.length ? (await this.data.repo(ActivityDefinition).find(ctx, { where: { id: In(activityIds) } })).map((a) => a.id) : [],
    );
    const activitiesIn = (sectionId: string | null) =>
      instances.filter((i) => i.sectionId === sectionId && live.has(i.activityDefinitionId)).map((i) => i.activityDefinitionId);
    return {
      sections: sections.map((s) => ({ name: s.name, durationMinutes: s.durationMinutes, activityIds: activitiesIn(s.id) })),
      loose: activitiesIn(null),
    };
  }
}
