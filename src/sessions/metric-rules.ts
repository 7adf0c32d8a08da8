import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';

/** The bounds and the direction of a metric: what a recorded value must respect, and which way a best goes. */
export interface MetricRules {
  min: number | null;
  max: number | null;
  higherIsBetter: boolean;
}

type WithRules = MetricDefinition & { minValue?: number | null; maxValue?: number | null; higherIsBetter?: boolean };

/**
 * The activities branch adds min_value, max_value and higher_is_better to metric_definitions
 * (and is_active to split_definitions). Read through here, they apply as soon as the entity has
 * them; until then a metric is unbounded and higher is better, as the Flask app assumed.
 */
export function rulesOf(metric: MetricDefinition): MetricRules {
  const m = metric as WithRules;
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { min: n(m.minValue), max: n(m.maxValue), higherIsBetter: m.higherIsBetter ?? true };
}

export function splitIsActive(split: SplitDefinition): boolean {
  return (split as SplitDefinition & { isActive?: boolean }).isActive ?? true;
}

/** The better of two values by the metric's direction. */
export function better(rules: MetricRules, a: number, b: number): number {
  return rules.higherIsBetter ? Math.max(a, b) : Math.min(a, b);
}

export function beats(rules: MetricRules, a: number, b: number): boolean {
  return rules.higherIsBetter ? a > b : a < b;
}
