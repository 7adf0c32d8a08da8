import { MetricComparisonView } from './session.view';
import { beats, better, MetricRules } from './metric-rules';

/** A recorded value, as far as comparisons care. */
export interface Recorded {
  metricId: string;
  splitId: string | null;
  value: number;
}

/** The extremes of every earlier value of one metric and split, as the database grouped them. */
export interface Extremes {
  metricId: string;
  splitId: string | null;
  max: number;
  min: number;
}

const keyOf = (metricId: string, splitId: string | null) => `${metricId}/${splitId ?? ''}`;

/** The best value per metric and split over an instance's values (all its sets), by each metric's direction. */
export function bestByKey(values: Recorded[], rulesOf: (metricId: string) => MetricRules): Map<string, Recorded> {
  const out = new Map<string, Recorded>();
  for (const v of values) {
    const key = keyOf(v.metricId, v.splitId);
    const seen = out.get(key);
    out.set(key, seen ? { ...v, value: better(rulesOf(v.metricId), seen.value, v.value) } : v);
  }
  return out;
}

/**
 * An instance against the previous instance of its activity, per metric and split: the change,
 * whether it went the better way, and whether it beats every earlier value (a personal best;
 * the first value ever recorded is one).
 */
export function compare(
  current: Recorded[],
  previous: Recorded[],
  earlier: Extremes[],
  rulesOf: (metricId: string) => MetricRules,
): MetricComparisonView[] {
  const now = bestByKey(current, rulesOf);
  const before = bestByKey(previous, rulesOf);
  const extremes = new Map(earlier.map((e) => [keyOf(e.metricId, e.splitId), e]));
  return [...now.values()].map((c) => {
    const rules = rulesOf(c.metricId);
    const key = keyOf(c.metricId, c.splitId);
    const prev = before.get(key)?.value ?? null;
    const e = extremes.get(key);
    const previousBest = e ? (rules.higherIsBetter ? e.max : e.min) : null;
    return {
      metricId: c.metricId,
      splitId: c.splitId,
      current: c.value,
      previous: prev,
      change: prev === null ? null : c.value - prev,
      improved: prev !== null && beats(rules, c.value, prev),
      previousBest,
      personalBest: previousBest === null || beats(rules, c.value, previousBest),
    };
  });
}
