import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { TargetsService } from '../goals/targets.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';
import { conflict } from './session-errors';
import { SessionReader } from './session-reader';
import { CompletedSessionView, GoalChangesView } from './session.view';
import { activeSeconds, stopped, timerState } from './timer';

/**
 * Completing a session, and what completing or recording practice does to its goals.
 * Everything runs in the request's transaction, with the session's row locked, so a timer
 * cannot start in a session while it completes.
 */
@Injectable()
export class SessionCompletionService {
  constructor(
    private readonly data: TenantData,
    private readonly reader: SessionReader,
    private readonly targets: TargetsService,
  ) {}

  async complete(ctx: RequestContext, sessionId: string): Promise<CompletedSessionView> {
    const session = await this.reader.session(ctx, sessionId, true);
    if (session.completed) throw conflict(`This session was already completed, at ${session.completedAt?.toISOString() ?? 'an unknown time'}.`);
    await this.close(ctx, session, new Date());
    const changed = await this.evaluateGoalTargets(ctx, sessionId);
    return { ...(await this.reader.view(ctx, sessionId)), changed };
  }

  /**
   * Completes a session whose row the caller locked: every running or paused timer stops (its
   * instance is completed with it), the session ends now unless it was given an end, and its
   * total is the active time of its instances. Then its goals' targets are evaluated.
   */
  async completeLocked(ctx: RequestContext, session: Goal): Promise<GoalChangesView> {
    await this.close(ctx, session, new Date());
    return this.evaluateGoalTargets(ctx, session.id);
  }

  /**
   * The goal tree's evaluation after practice changed: a session completed, or an instance's
   * values (or sets) changed or went. The targets of every goal the session's practice counts
   * for are re-evaluated with their cascades, in the caller's transaction.
   */
  evaluateGoalTargets(ctx: RequestContext, sessionId: string): Promise<GoalChangesView> {
    return this.targets.evaluateForSession(ctx, sessionId);
  }

  /** The same after an instance's values or sets changed, where only targets can change. */
  evaluateValueChange(ctx: RequestContext, sessionId: string): Promise<GoalChangesView> {
    return this.targets.evaluateForValues(ctx, sessionId);
  }

  private async close(ctx: RequestContext, session: Goal, now: Date): Promise<void> {
    const instances = this.data.repo(ActivityInstance);
    let timed = 0;
    for (const i of await this.reader.instancesOf(ctx, session.id)) {
      const state = timerState(i);
      if (state === 'running' || state === 'paused') {
        const patch = stopped(i, now);
        await instances.update(ctx, { id: i.id }, { ...patch, completed: true });
        Object.assign(i, patch);
      }
      timed += activeSeconds(i, now);
    }
    // A session that had already ended with a total keeps both: adopted Flask sessions ended
    // and were totalled by the old app's clock, without being marked complete.
    const total = session.sessionEnd && session.totalDurationSeconds !== null ? session.totalDurationSeconds : timed;
    const start = session.sessionStart;
    // An end it has stays as stored (a Date would drop an adopted timestamp's microseconds).
    const end = session.sessionEnd ? {} : { sessionEnd: start && start.getTime() > now.getTime() ? start : now };
    await this.data.repo(Goal).update(ctx, { id: session.id }, { ...end, completed: true, completedAt: now, totalDurationSeconds: total, sessionPausedAt: null });
  }
}
