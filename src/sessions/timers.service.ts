import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';
import { conflict, instanceNotFound } from './session-errors';
import { SessionReader } from './session-reader';
import { InstanceView, SessionView } from './session.view';
import { checkStart, paused, resumed, started, stopped, TimerPatch, timerState } from './timer';

/**
 * Timers of instances, and of whole sessions. Every call locks its session's row first and
 * reads the instances afterwards, so concurrent calls on one session (on PostgreSQL, from any
 * instance of the API) run one after another and each sees what the one before it wrote;
 * SQLite serializes writes already. Hence one timer runs per session, and every call ends in
 * a state the rules allow.
 */
@Injectable()
export class TimersService {
  constructor(
    private readonly data: TenantData,
    private readonly reader: SessionReader,
  ) {}

  private get instances() {
    return this.data.repo(ActivityInstance);
  }

  async start(ctx: RequestContext, instanceId: string, options: { restart?: boolean; switch?: boolean }): Promise<InstanceView> {
    const { session, instance, all } = await this.locked(ctx, instanceId);
    if (session.completed) throw conflict('This session is completed: its timers do not start again.');
    checkStart(instance, options.restart ?? false);
    const now = new Date();
    await this.takeOver(ctx, all, instance, now, options.switch ?? false);
    await this.write(ctx, instance, started(now));
    await this.unpauseSession(ctx, session);
    return this.reader.instanceView(ctx, instance.id);
  }

  async pause(ctx: RequestContext, instanceId: string): Promise<InstanceView> {
    const { instance } = await this.locked(ctx, instanceId);
    await this.write(ctx, instance, paused(instance, new Date()));
    return this.reader.instanceView(ctx, instance.id);
  }

  async resume(ctx: RequestContext, instanceId: string, options: { switch?: boolean }): Promise<InstanceView> {
    const { session, instance, all } = await this.locked(ctx, instanceId);
    if (session.completed) throw conflict('This session is completed: its timers do not run again.');
    const now = new Date();
    const patch = resumed(instance, now);
    await this.takeOver(ctx, all, instance, now, options.switch ?? false);
    await this.write(ctx, instance, patch);
    await this.unpauseSession(ctx, session);
    return this.reader.instanceView(ctx, instance.id);
  }

  async stop(ctx: RequestContext, instanceId: string): Promise<InstanceView> {
    const { instance } = await this.locked(ctx, instanceId);
    await this.write(ctx, instance, stopped(instance, new Date()));
    return this.reader.instanceView(ctx, instance.id);
  }

  /** Pauses every running timer of the session; resume() resumes exactly those. */
  async pauseSession(ctx: RequestContext, sessionId: string): Promise<SessionView> {
    const session = await this.reader.session(ctx, sessionId, true);
    if (session.completed) throw conflict('This session is completed: nothing runs to pause.');
    if (session.sessionPausedAt) throw conflict(`This session is already paused, since ${session.sessionPausedAt.toISOString()}.`);
    const running = (await this.reader.instancesOf(ctx, sessionId)).filter((i) => timerState(i) === 'running');
    if (running.length === 0) throw conflict('No timer of this session is running: nothing to pause.');
    const now = new Date();
    for (const i of running) await this.write(ctx, i, { pausedAt: now });
    await this.data.repo(Goal).update(ctx, { id: sessionId }, { sessionPausedAt: now });
    return this.reader.view(ctx, sessionId);
  }

  /** Resumes the timers the session's pause paused: those paused since, and not stopped. */
  async resumeSession(ctx: RequestContext, sessionId: string): Promise<SessionView> {
    const session = await this.reader.session(ctx, sessionId, true);
    const since = session.sessionPausedAt;
    if (!since) throw conflict('This session is not paused.');
    const now = new Date();
    for (const i of await this.reader.instancesOf(ctx, sessionId)) {
      if (timerState(i) === 'paused' && i.pausedAt!.getTime() >= since.getTime()) await this.write(ctx, i, resumed(i, now));
    }
    await this.data.repo(Goal).update(ctx, { id: sessionId }, { sessionPausedAt: null });
    return this.reader.view(ctx, sessionId);
  }

  /**
   * The instance, its session locked, and the session's instances read after the lock. The
   * first read only finds the session; the instance is read again behind the lock.
   */
  private async locked(ctx: RequestContext, instanceId: string): Promise<{ session: Goal; instance: ActivityInstance; all: ActivityInstance[] }> {
    const found = await this.reader.instance(ctx, instanceId);
    const session = await this.reader.session(ctx, found.practiceSessionId, true);
    const all = await this.reader.instancesOf(ctx, session.id);
    const instance = all.find((i) => i.id === instanceId);
    if (!instance) throw instanceNotFound();
    return { session, instance, all };
  }

  /** One timer runs per session: another running one answers 409, or with `switch` is paused. */
  private async takeOver(ctx: RequestContext, all: ActivityInstance[], instance: ActivityInstance, now: Date, switchTimers: boolean): Promise<void> {
    const running = all.filter((i) => i.id !== instance.id && timerState(i) === 'running');
    if (running.length === 0) return;
    if (!switchTimers) {
      throw conflict(`Another timer of this session is running (instance ${running[0].id}): pause or stop it, or ask again with ?switch=true to pause it.`);
    }
    for (const other of running) await this.write(ctx, other, paused(other, now));
  }

  private async unpauseSession(ctx: RequestContext, session: Goal): Promise<void> {
    if (session.sessionPausedAt) await this.data.repo(Goal).update(ctx, { id: session.id }, { sessionPausedAt: null });
  }

  private async write(ctx: RequestContext, instance: ActivityInstance, patch: TimerPatch): Promise<void> {
    await this.instances.update(ctx, { id: instance.id }, patch);
    Object.assign(instance, patch);
  }
}
