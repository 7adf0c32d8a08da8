import { ConditionOperator } from './target-condition.entity';
import { TargetKind } from './goal-target.entity';

/** One activity instance that counts towards a goal, with its live metric values. */
export interface Practice {
  instanceId: string;
  sessionId: string;
  at: Date;
  values: Map<string, number[]>;
}

export interface Rule {
  kind: TargetKind;
  sessionCount: number | null;
  periodDays: number | null;
  startsOn: string | null;
  endsOn: string | null;
}

export interface Condition {
  metricId: string;
  comparison: ConditionOperator;
  value: number;
}

export interface Outcome {
  met: boolean;
  sessionId: string | null;
  instanceId: string | null;
}

const DAY_MS = 24 * 3600 * 1000;
const NOT_MET: Outcome = { met: false, sessionId: null, instanceId: null };

export function compare(actual: number, comparison: ConditionOperator, value: number): boolean {
  if (comparison === '>=') return actual >= value;
  if (comparison === '<=') return actual <= value;
  return Math.abs(actual - value) <= 1e-9 * Math.max(1, Math.abs(value));
}

/** The scope as [start, end) in epoch milliseconds (UTC days; `endsOn` included). */
export function scopeOf(rule: Pick<Rule, 'startsOn' | 'endsOn'>): [number, number] {
  const start = rule.startsOn ? Date.parse(`${rule.startsOn}T00:00:00Z`) : -Infinity;
  const end = rule.endsOn ? Date.parse(`${rule.endsOn}T00:00:00Z`) + DAY_MS : Infinity;
  return [start, end];
}

const meetsAll = (p: Practice, conditions: Condition[]) =>
  conditions.every((c) => (p.values.get(c.metricId) ?? []).some((v) => compare(v, c.comparison, c.value)));

/**
 * Whether a target is met by the practice that counts for its goal (already limited to its
 * activity, its goal's evidence, pauses and completion), and by which instance and session.
 * - threshold: the first instance that meets every condition;
 * - sum: every condition's metric, totalled over the scope, compares true (with at least one
 *   value); met by the instance whose running totals first did;
 * - frequency: sessions with an instance of the activity (meeting the conditions, if any).
 *   With both ends of the scope, every period of `periodDays` from its first day (the last one
 *   cut at its end) needs `sessionCount` of them; otherwise some `periodDays` window does.
 */
export function evaluateTarget(rule: Rule, conditions: Condition[], practice: Practice[]): Outcome {
  const [start, end] = scopeOf(rule);
  const inScope = practice
    .filter((p) => p.at.getTime() >= start && p.at.getTime() < end)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.instanceId < b.instanceId ? -1 : 1));
  if (rule.kind === 'threshold') {
    const hit = inScope.find((p) => meetsAll(p, conditions));
    return hit ? { met: true, sessionId: hit.sessionId, instanceId: hit.instanceId } : NOT_MET;
  }
  if (rule.kind === 'sum') return sum(conditions, inScope);
  return frequency(rule, conditions, inScope, start, end);
}

function sum(conditions: Condition[], practice: Practice[]): Outcome {
  if (conditions.length === 0) return NOT_MET;
  const totals = new Map<string, { total: number; n: number }>();
  const holds = () =>
    conditions.every((c) => {
      const t = totals.get(c.metricId);
      return t !== undefined && t.n > 0 && compare(t.total, c.comparison, c.value);
    });
  let first: Practice | undefined;
  for (const p of practice) {
    for (const metricId of new Set(conditions.map((c) => c.metricId))) {
      const values = p.values.get(metricId) ?? [];
      if (values.length === 0) continue;
      const t = totals.get(metricId) ?? { total: 0, n: 0 };
      for (const v of values) t.total += v;
      t.n += values.length;
      totals.set(metricId, t);
    }
    if (!first && holds()) first = p;
  }
  if (!holds()) return NOT_MET;
  return { met: true, sessionId: first!.sessionId, instanceId: first!.instanceId };
}

function frequency(rule: Rule, conditions: Condition[], practice: Practice[], start: number, end: number): Outcome {
  const need = rule.sessionCount ?? 1;
  const period = (rule.periodDays ?? 1) * DAY_MS;
  // Each session once, at its first qualifying instance.
  const sessions: Practice[] = [];
  const seen = new Set<string>();
  for (const p of practice) {
    if (seen.has(p.sessionId) || (conditions.length > 0 && !meetsAll(p, conditions))) continue;
    seen.add(p.sessionId);
    sessions.push(p);
  }
  if (Number.isFinite(start) && Number.isFinite(end)) {
    let last: Practice | undefined;
    for (let from = start; from < end; from += period) {
      const inWindow = sessions.filter((s) => s.at.getTime() >= from && s.at.getTime() < Math.min(from + period, end));
      if (inWindow.length < need) return NOT_MET;
      const filling = inWindow[need - 1];
      if (!last || filling.at.getTime() >= last.at.getTime()) last = filling;
    }
    return last ? { met: true, sessionId: last.sessionId, instanceId: last.instanceId } : NOT_MET;
  }
  for (let j = need - 1; j < sessions.length; j++) {
    if (sessions[j].at.getTime() - sessions[j - need + 1].at.getTime() < period) {
      return { met: true, sessionId: sessions[j].sessionId, instanceId: sessions[j].instanceId };
    }
  }
  return NOT_MET;
}
