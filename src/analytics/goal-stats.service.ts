import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { GoalPause } from '../goals/goal-pause.entity';
import { GoalTarget } from '../goals/goal-target.entity';
import { Goal } from '../goals/goal.entity';
import { goalNotFound } from '../goals/goal-errors';
import { PracticeSessionGoal } from '../goals/practice-session-goal.entity';
import { GoalType } from '../goals/goal.types';
import { TenantData } from '../tenancy/tenant-data.service';
import { instantReader, SESSION_AT, truthReader } from './analytics-dates';
import { GoalGraph, GoalRow, levelsOf } from './goal-graph';
import { GoalProgressView, GoalsSummaryView, TimelineEventView } from './goal-stats.view';

const OPEN_DAYS = 90;
const IDLE_DAYS = 14;
const RECENT_SESSIONS = 20;
/** The levels that practice sessions serve: a session hangs under a short-term goal, or is linked to one. */
const PRACTISED_TYPES: GoalType[] = ['UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal'];

/**
 * GET /analytics/goals/:goalId/progress and /analytics/goals/summary: the root's live goals
 * (one read of their columns, no JSON), their session links and their targets, assembled into
 * a tree in memory. Every read is of the root, by its index.
 */
@Injectable()
export class GoalStatsService {
  constructor(private readonly data: TenantData) {}

  async progress(ctx: RequestContext, goalId: string): Promise<GoalProgressView> {
    const graph = await this.graph(ctx);
    const goal = graph.byId.get(goalId);
    if (!goal) throw goalNotFound();
    const below = graph.descendants(goalId);
    const ids = new Set([goalId, ...below.map((g) => g.id)]);
    const targets = (await this.data.repo(GoalTarget).find(ctx)).filter((t) => ids.has(t.goalId));
    const sessions = graph.sessionsOf(goalId);
    const pauses = await this.data.repo(GoalPause).find(ctx, { where: { goalId }, order: { pausedAt: 'ASC' } });

    const timeline: TimelineEventView[] = [{ at: goal.createdAt.toISOString(), event: 'created' }];
    for (const p of pauses) {
      timeline.push({ at: p.pausedAt.toISOString(), event: 'paused' });
      if (p.resumedAt) timeline.push({ at: p.resumedAt.toISOString(), event: 'resumed' });
    }
    for (const t of targets) if (t.goalId === goalId && t.met && t.metAt) timeline.push({ at: t.metAt.toISOString(), event: 'target_met', targetId: t.id });
    if (goal.completed && goal.completedAt) timeline.push({ at: goal.completedAt.toISOString(), event: 'completed' });
    timeline.sort((a, b) => a.at.localeCompare(b.at));

    return {
      goalId,
      type: goal.type,
      completed: goal.completed,
      levels: levelsOf(below),
      targets: { total: targets.length, met: targets.filter((t) => t.met).length },
      sessions: {
        total: sessions.length,
        completed: sessions.filter((s) => s.completed).length,
        activeSeconds: sessions.reduce((t, s) => t + (s.seconds ?? 0), 0),
        recent: sessions.slice(0, RECENT_SESSIONS).map((s) => ({ id: s.id, name: s.name, start: s.at.toISOString(), completed: s.completed, activeSeconds: s.seconds })),
      },
      timeline,
    };
  }

  async summary(ctx: RequestContext, now = new Date()): Promise<GoalsSummaryView> {
    const graph = await this.graph(ctx);
    const goals = [...graph.byId.values()];
    const openSince = now.getTime() - OPEN_DAYS * 86400_000;
    const idleSince = now.getTime() - IDLE_DAYS * 86400_000;
    const open = goals.filter((g) => g.type !== 'PracticeSession' && !g.completed);
    const byAge = (a: GoalRow, b: GoalRow) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
    const idle = open
      .filter((g) => PRACTISED_TYPES.includes(g.type) && !g.pausedAt)
      .map((g) => ({ goal: g, last: graph.sessionsOf(g.id)[0]?.at ?? null }))
      .filter(({ last }) => !last || last.getTime() < idleSince);
    return {
      levels: levelsOf(goals),
      openLong: open
        .filter((g) => g.createdAt.getTime() < openSince)
        .sort(byAge)
        .map((g) => ({ id: g.id, name: g.name, type: g.type, createdAt: g.createdAt.toISOString(), openDays: Math.floor((now.getTime() - g.createdAt.getTime()) / 86400_000) })),
      idle: idle
        .sort((a, b) => byAge(a.goal, b.goal))
        .map(({ goal, last }) => ({ id: goal.id, name: goal.name, type: goal.type, lastPracticeAt: last?.toISOString() ?? null })),
    };
  }

  private async graph(ctx: RequestContext): Promise<GoalGraph> {
    const rows = await this.data
      .repo(Goal)
      .createQueryBuilder(ctx, 'g')
      .select('g.id', 'id')
      .addSelect('g.parent_id', 'parent_id')
      .addSelect('g.type', 'type')
      .addSelect('g.name', 'name')
      .addSelect('g.completed', 'completed')
      .addSelect('g.created_at', 'created_at')
      .addSelect('g.completed_at', 'completed_at')
      .addSelect('g.paused_at', 'paused_at')
      .addSelect(SESSION_AT, 'at')
      .addSelect('g.total_duration_seconds', 'seconds')
      .andWhere('g.deleted_at IS NULL')
      .getRawMany<Record<string, unknown>>();
    const instant = instantReader(ctx);
    const isTrue = truthReader(ctx);
    const goals: GoalRow[] = rows.map((r) => ({
      id: r.id as string,
      parentId: (r.parent_id as string | null) ?? null,
      type: r.type as GoalType,
      name: r.name as string,
      completed: isTrue(r.completed),
      createdAt: instant(r.created_at),
      completedAt: r.completed_at == null ? null : instant(r.completed_at),
      pausedAt: r.paused_at == null ? null : instant(r.paused_at),
      at: instant(r.at),
      seconds: r.seconds == null ? null : Number(r.seconds),
    }));
    const links = (await this.data.repo(PracticeSessionGoal).find(ctx)).map((l) => ({ sessionId: l.practiceSessionId, goalId: l.shortTermGoalId }));
    return new GoalGraph(goals, links);
  }
}
