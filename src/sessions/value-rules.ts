import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { rulesOf, splitIsActive } from './metric-rules';
import { invalid } from './session-errors';

/** An activity as recording values needs it: its live metrics and splits. */
export interface ActivityShape {
  activity: Pick<ActivityDefinition, 'name' | 'hasSets' | 'hasSplits'>;
  metrics: Pick<MetricDefinition, 'id' | 'name' | 'unit' | 'isActive' | 'minValue' | 'maxValue' | 'higherIsBetter'>[];
  splits: Pick<SplitDefinition, 'id' | 'name' | 'isActive'>[];
}

export interface ValueSlot {
  metricId: string;
  splitId: string | null;
  setIndex: number;
}

export const slotKey = (s: ValueSlot) => `${s.metricId}/${s.splitId ?? ''}/${s.setIndex}`;

/** The activity records a value per split when it says so and has splits to name. */
export const recordsSplits = (shape: ActivityShape) => shape.activity.hasSplits && shape.splits.length > 0;

/**
 * Checks one value against its activity, naming the field (`field` is the value's path, such
 * as `values.2`): a metric of this activity, active; a split of this activity exactly when it
 * has splits; a value within the metric's bounds. The number itself is finite (the DTO).
 */
export function checkValue(shape: ActivityShape, field: string, input: { metricId: string; splitId?: string | null; value: number | null }): void {
  const metric = shape.metrics.find((m) => m.id === input.metricId);
  if (!metric) throw invalid(`${field}.metricId`, `${field}.metricId names no metric of the activity "${shape.activity.name}"`);
  if (!metric.isActive) throw invalid(`${field}.metricId`, `${field}.metricId names the inactive metric "${metric.name}": its history stays readable, new values are refused`);
  const splitId = input.splitId ?? null;
  if (recordsSplits(shape)) {
    const names = shape.splits.map((s) => s.name).join(', ');
    if (!splitId) throw invalid(`${field}.splitId`, `${field}.splitId is required: "${shape.activity.name}" records a value per split (${names})`);
    const split = shape.splits.find((s) => s.id === splitId);
    if (!split) throw invalid(`${field}.splitId`, `${field}.splitId names no split of the activity "${shape.activity.name}" (${names})`);
    if (!splitIsActive(split)) throw invalid(`${field}.splitId`, `${field}.splitId names the inactive split "${split.name}"`);
  } else if (splitId) {
    throw invalid(`${field}.splitId`, `${field}.splitId must be absent: "${shape.activity.name}" has no splits`);
  }
  if (input.value === null) return;
  const { min, max } = rulesOf(metric);
  if (min !== null && input.value < min) throw invalid(`${field}.value`, `${field}.value must be at least ${min} (${metric.name}, ${metric.unit})`);
  if (max !== null && input.value > max) throw invalid(`${field}.value`, `${field}.value must be at most ${max} (${metric.name}, ${metric.unit})`);
}

/** The same slot twice in one request is refused, naming both places. */
export function refuseRepeats(slots: { field: string; slot: ValueSlot }[]): void {
  const seen = new Map<string, string>();
  for (const { field, slot } of slots) {
    const key = slotKey(slot);
    const first = seen.get(key);
    if (first) throw invalid(field, `${field} names the same metric, split and set as ${first}`);
    seen.set(key, field);
  }
}
