import { ActivityDefinition } from '../../src/activities/activity-definition.entity';
import { MetricDefinition } from '../../src/activities/metric-definition.entity';
import { SplitDefinition } from '../../src/activities/split-definition.entity';
import { RequestValidationError } from '../../src/http/validation';
import { compare } from '../../src/sessions/comparisons';
import { rulesOf } from '../../src/sessions/metric-rules';
import { activeSeconds, checkStart, paused, resumed, started, stopped, timerState } from '../../src/sessions/timer';
import { checkValue } from '../../src/sessions/value-rules';

/** The rules of sessions as pure functions: timers, comparisons, value checks, and legacy template plans. */

describe('timer transitions', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s));
  const idle = { timeStart: null, timeStop: null, pausedAt: null, totalPausedSeconds: 0, durationSeconds: null };

  it('go idle > running > paused > running > stopped, counting active time only', () => {
    let i = { ...idle, ...started(t(0)) };
    expect(timerState(i)).toBe('running');
    expect(activeSeconds(i, t(90))).toBe(90);
    i = { ...i, ...paused(i, t(90)) };
    expect([timerState(i), activeSeconds(i, t(500))]).toEqual(['paused', 90]);
    i = { ...i, ...resumed(i, t(150)) };
    expect([timerState(i), i.totalPausedSeconds, activeSeconds(i, t(160))]).toEqual(['running', 60, 100]);
    i = { ...i, ...stopped(i, t(200)) };
    expect([timerState(i), i.durationSeconds, activeSeconds(i, t(9999))]).toEqual(['stopped', 140, 140]);
  });

  it('refuse what the state does not allow', () => {
    const running = { ...idle, ...started(t(0)) };
    expect(() => paused(idle, t(1))).toThrow(/never started/);
    expect(() => stopped(idle, t(1))).toThrow(/never started/);
    expect(() => resumed(running, t(1))).toThrow(/running/);
    expect(() => checkStart(running, false)).toThrow(/restart=true/);
    expect(() => checkStart(running, true)).not.toThrow();
    const done = { ...running, ...stopped(running, t(5)) };
    expect(() => stopped(done, t(6))).toThrow(/already stopped/);
    expect(() => paused(done, t(6))).toThrow(/stopped/);
  });

  it('never count negative time, even if the clock went back', () => {
    const i = { ...idle, ...started(t(100)) };
    expect(activeSeconds(i, t(50))).toBe(0);
    expect(stopped(i, t(40)).durationSeconds).toBe(0);
  });
});

describe('comparisons', () => {
  const higher = () => ({ min: null, max: null, higherIsBetter: true });
  const lower = () => ({ min: null, max: null, higherIsBetter: false });
  const v = (value: number, splitId: string | null = null) => ({ metricId: 'm', splitId, value });

  it('compare the best value over sets, per split, with the previous instance and every earlier one', () => {
    const out = compare([v(50), v(60), v(30, 'L')], [v(55), v(35, 'L')], [{ metricId: 'm', splitId: null, max: 58, min: 20 }], higher);
    expect(out).toEqual([
      { metricId: 'm', splitId: null, current: 60, previous: 55, change: 5, improved: true, previousBest: 58, personalBest: true },
      { metricId: 'm', splitId: 'L', current: 30, previous: 35, change: -5, improved: false, previousBest: null, personalBest: true },
    ]);
  });

  it('follow a metric where lower is better', () => {
    const [out] = compare([v(42), v(40)], [v(41)], [{ metricId: 'm', splitId: null, max: 50, min: 39 }], lower);
    expect(out).toMatchObject({ current: 40, previous: 41, change: -1, improved: true, previousBest: 39, personalBest: false });
  });

  it('count a tie as no personal best', () => {
    const [out] = compare([v(58)], [], [{ metricId: 'm', splitId: null, max: 58, min: 1 }], higher);
    expect(out).toMatchObject({ previous: null, change: null, improved: false, personalBest: false });
  });
});

describe('value checks', () => {
  const activity = Object.assign(new ActivityDefinition(), { id: 'a', name: 'Curl', hasSplits: true, hasSets: false });
  const metric = (extra: object) => Object.assign(new MetricDefinition(), { id: 'm', name: 'kg', unit: 'kg', isActive: true }, extra);
  const split = Object.assign(new SplitDefinition(), { id: 's', name: 'Left', order: 0 });
  const field = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof RequestValidationError) return e.details.map((d) => d.field);
      throw e;
    }
    return [];
  };

  it("refuse a value outside the metric's bounds, naming the value", () => {
    const shape = { activity, metrics: [metric({ minValue: 0, maxValue: 100 })], splits: [split] };
    expect(rulesOf(shape.metrics[0])).toEqual({ min: 0, max: 100, higherIsBetter: true });
    expect(field(() => checkValue(shape, 'values.3', { metricId: 'm', splitId: 's', value: -1 }))).toEqual(['values.3.value']);
    expect(field(() => checkValue(shape, 'values.3', { metricId: 'm', splitId: 's', value: 100.5 }))).toEqual(['values.3.value']);
    expect(field(() => checkValue(shape, 'values.3', { metricId: 'm', splitId: 's', value: 100 }))).toEqual([]);
    expect(field(() => checkValue(shape, 'values.3', { metricId: 'm', splitId: 's', value: null }))).toEqual([]);
  });

  it('refuse an inactive split, once splits carry the flag', () => {
    const shape = { activity, metrics: [metric({})], splits: [Object.assign(new SplitDefinition(), { id: 's', name: 'Left', order: 0, isActive: false })] };
    expect(field(() => checkValue(shape, 'values.0', { metricId: 'm', splitId: 's', value: 1 }))).toEqual(['values.0.splitId']);
  });
});
