import { evaluateTarget, Practice, Rule } from '../../src/goals/target-evaluation';

const rule = (r: Partial<Rule>): Rule => ({ kind: 'threshold', sessionCount: null, periodDays: null, startsOn: null, endsOn: null, ...r });
let n = 0;
const at = (iso: string, values: Record<string, number[]>, sessionId = `s-${iso}`): Practice => ({
  instanceId: `i${++n}`,
  sessionId,
  at: new Date(iso),
  values: new Map(Object.entries(values)),
});

describe('evaluateTarget', () => {
  it('threshold: the first instance meeting every condition, each on some value of its metric', () => {
    const practice = [
      at('2026-01-03T10:00:00Z', { reps: [12], kg: [40] }),
      at('2026-01-02T10:00:00Z', { reps: [10, 8], kg: [60] }),
      at('2026-01-04T10:00:00Z', { reps: [11], kg: [55] }),
    ];
    const conditions = [
      { metricId: 'reps', comparison: '>=' as const, value: 10 },
      { metricId: 'kg', comparison: '>=' as const, value: 50 },
    ];
    expect(evaluateTarget(rule({}), conditions, practice)).toEqual({ met: true, sessionId: 's-2026-01-02T10:00:00Z', instanceId: practice[1].instanceId });
    expect(evaluateTarget(rule({ startsOn: '2026-01-03' }), conditions, practice).instanceId).toBe(practice[2].instanceId);
    expect(evaluateTarget(rule({ endsOn: '2026-01-01' }), conditions, practice).met).toBe(false);
    expect(evaluateTarget(rule({}), [{ metricId: 'kg', comparison: '<=', value: 40 }], practice).instanceId).toBe(practice[0].instanceId);
    expect(evaluateTarget(rule({}), [{ metricId: 'kg', comparison: '=', value: 55 }], practice).instanceId).toBe(practice[2].instanceId);
    expect(evaluateTarget(rule({}), [{ metricId: 'kg', comparison: '=', value: 56 }], practice).met).toBe(false);
  });

  it('sum: every total compares true, with at least one value; met by the instance whose running totals first did', () => {
    const practice = [at('2026-01-01T00:00:00Z', { km: [3] }), at('2026-01-02T00:00:00Z', { km: [4], min: [30] }), at('2026-01-03T00:00:00Z', { km: [5] })];
    const km10 = { metricId: 'km', comparison: '>=' as const, value: 10 };
    expect(evaluateTarget(rule({ kind: 'sum' }), [km10], practice)).toMatchObject({ met: true, instanceId: practice[2].instanceId });
    expect(evaluateTarget(rule({ kind: 'sum' }), [km10], practice.slice(0, 2)).met).toBe(false);
    expect(evaluateTarget(rule({ kind: 'sum' }), [km10, { metricId: 'min', comparison: '>=', value: 30 }], practice).met).toBe(true);
    expect(evaluateTarget(rule({ kind: 'sum' }), [{ metricId: 'sec', comparison: '<=', value: 100 }], practice).met).toBe(false);
    expect(evaluateTarget(rule({ kind: 'sum', startsOn: '2026-01-02' }), [km10], practice).met).toBe(false);
  });

  it('frequency, bounded scope: every period from its first day needs count sessions', () => {
    const r = rule({ kind: 'frequency', sessionCount: 2, periodDays: 7, startsOn: '2026-01-01', endsOn: '2026-01-14' });
    const week1 = [at('2026-01-02T09:00:00Z', {}), at('2026-01-05T09:00:00Z', {})];
    const twice = [at('2026-01-05T18:00:00Z', {}, 's-2026-01-05T09:00:00Z')];
    expect(evaluateTarget(r, [], [...week1, ...twice, at('2026-01-09T09:00:00Z', {})]).met).toBe(false);
    const last = at('2026-01-12T09:00:00Z', {});
    expect(evaluateTarget(r, [], [...week1, at('2026-01-09T09:00:00Z', {}), last])).toMatchObject({ met: true, sessionId: last.sessionId });
    // A session counts once, however many instances it has.
    expect(evaluateTarget(r, [], [...week1, at('2026-01-09T09:00:00Z', {}, 'x'), at('2026-01-10T09:00:00Z', {}, 'x')]).met).toBe(false);
    // With conditions, a session counts when one of its instances meets them.
    const strong = [at('2026-01-02T09:00:00Z', { reps: [20] }), at('2026-01-03T09:00:00Z', { reps: [5] }), at('2026-01-09T09:00:00Z', { reps: [20] }), at('2026-01-10T09:00:00Z', { reps: [21] })];
    expect(evaluateTarget(r, [{ metricId: 'reps', comparison: '>=', value: 20 }], strong).met).toBe(false);
    expect(evaluateTarget(r, [], strong).met).toBe(true);
  });

  it('frequency, open scope: some window of periodDays holds count sessions', () => {
    const r = rule({ kind: 'frequency', sessionCount: 3, periodDays: 7 });
    const spread = [at('2026-01-01T00:00:00Z', {}), at('2026-01-06T00:00:00Z', {}), at('2026-01-09T00:00:00Z', {})];
    expect(evaluateTarget(r, [], spread).met).toBe(false);
    const third = at('2026-01-12T00:00:00Z', {});
    expect(evaluateTarget(r, [], [...spread, third])).toMatchObject({ met: true, sessionId: third.sessionId });
  });
});
