import { ConflictException } from '@nestjs/common';
import { ActivityInstance } from './activity-instance.entity';

/**
 * An instance's timer, as its columns say: idle (never started), running, paused (paused_at
 * set), stopped (time_stop set). The server's clock is the only clock: every transition takes
 * `now` from the caller, who reads it once per request.
 */
export type TimerState = 'idle' | 'running' | 'paused' | 'stopped';

type Timed = Pick<ActivityInstance, 'timeStart' | 'timeStop' | 'pausedAt' | 'totalPausedSeconds' | 'durationSeconds'>;
export type TimerPatch = Partial<Timed>;

export function timerState(i: Timed): TimerState {
  if (i.timeStop) return 'stopped';
  if (!i.timeStart) return 'idle';
  return i.pausedAt ? 'paused' : 'running';
}

/** Whole seconds from a to b, never negative. */
export function secondsBetween(a: Date, b: Date): number {
  return Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000));
}

/** Active time so far: from the start to the stop, the pause or now, less the time spent paused. */
export function activeSeconds(i: Timed, now: Date): number {
  const state = timerState(i);
  if (state === 'idle') return i.durationSeconds ?? 0;
  if (state === 'stopped' && i.durationSeconds !== null) return i.durationSeconds;
  const end = state === 'stopped' ? i.timeStop! : state === 'paused' ? i.pausedAt! : now;
  return Math.max(0, secondsBetween(i.timeStart!, end) - (i.totalPausedSeconds ?? 0));
}

const at = (d: Date | null) => d?.toISOString();

/** A fresh run from now: what a start, or a start over, writes. */
export function started(now: Date): TimerPatch {
  return { timeStart: now, timeStop: null, pausedAt: null, totalPausedSeconds: 0, durationSeconds: null };
}

/** Refuses a start of a timer that has one, unless it is started over. */
export function checkStart(i: Timed, restart: boolean): void {
  const state = timerState(i);
  if (state === 'idle' || restart) return;
  const how = state === 'stopped' ? `was stopped at ${at(i.timeStop)}` : state === 'paused' ? `is paused since ${at(i.pausedAt)}` : `is running since ${at(i.timeStart)}`;
  throw new ConflictException(`This timer ${how}: resume or stop it, or start it over with ?restart=true.`);
}

export function paused(i: Timed, now: Date): TimerPatch {
  const state = timerState(i);
  if (state === 'idle') throw new ConflictException('This timer was never started: nothing to pause.');
  if (state === 'paused') throw new ConflictException(`This timer is already paused, since ${at(i.pausedAt)}.`);
  if (state === 'stopped') throw new ConflictException(`This timer was stopped at ${at(i.timeStop)}: nothing to pause.`);
  return { pausedAt: now };
}

export function resumed(i: Timed, now: Date): TimerPatch {
  const state = timerState(i);
  if (state !== 'paused') throw new ConflictException(`This timer is ${state === 'idle' ? 'not started' : state}: only a paused timer resumes.`);
  return { pausedAt: null, totalPausedSeconds: (i.totalPausedSeconds ?? 0) + secondsBetween(i.pausedAt!, now) };
}

export function stopped(i: Timed, now: Date): TimerPatch {
  const state = timerState(i);
  if (state === 'idle') throw new ConflictException('This timer was never started: nothing to stop.');
  if (state === 'stopped') throw new ConflictException(`This timer was already stopped, at ${at(i.timeStop)}.`);
  const closing = state === 'paused' ? resumed(i, now) : {};
  const totalPausedSeconds = closing.totalPausedSeconds ?? i.totalPausedSeconds ?? 0;
  return {
    ...closing,
    pausedAt: null,
    timeStop: now,
    totalPausedSeconds,
    durationSeconds: Math.max(0, secondsBetween(i.timeStart!, now) - totalPausedSeconds),
  };
}

/** Manual times: both, in order (the caller checked), as a stopped run without pauses; both null clear them. */
export function manual(start: Date | null, stop: Date | null): TimerPatch {
  if (!start || !stop) return { timeStart: null, timeStop: null, pausedAt: null, totalPausedSeconds: 0, durationSeconds: null };
  return { timeStart: start, timeStop: stop, pausedAt: null, totalPausedSeconds: 0, durationSeconds: secondsBetween(start, stop) };
}
