import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';

/** The bounds and the direction of a metric: what a recorded value must respect, and which way a best goes. */
export interface MetricRules {
  min: number | null;
  max: number | null;
  higherIsBetter: boolean;
}

/** The rules a metric's row gives; a metric without a direction counts higher as better, as the Flask app did. */
export function rulesOf(metric: Pick<MetricDefinition, 'minValue' | 'maxValue' | 'higherIsBetter'>): MetricRules {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { min: n(metric.minValue), max: n(metric.maxValue), higherIsBetter: metric.higherIsBetter ?? true };
}

export function splitIsActive(split: Pick<SplitDefinition, 'isActive'>): boolean {
  return split.isActive ?? true;
}

/** The better of two values by the metric's direction. */
export function better(rules: MetricRules, a: number, b: number): number {
  return rules.higherIsBetter ? Math.max(a, b) : Math.min(a, b);
}

export function beats(rules: MetricRules, a: number, b: number): boolean {
  return rules.higherIsBetter ? a > b : a < b;
}
