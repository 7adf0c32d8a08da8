import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { live, rows, tenantSql } from '../tenancy/tenant-sql';
import { ActivitySet } from './activity-set.entity';
import { ActivityShape } from './value-rules';

/** What recording values reads before it writes, as lean SQL: it is the hot write (BENCHMARKS.md, issue 17). */
const SQL = {
  // A deleted activity's instances still record.
  activity: tenantSql`SELECT a.name, a.has_sets, a.has_splits FROM ${rows(ActivityDefinition, 'a')} WHERE a.id = ?`,
  metrics: tenantSql`SELECT m.id, m.name, m.unit, m.is_active, m.min_value, m.max_value, m.higher_is_better
    FROM ${live(MetricDefinition, 'm')} WHERE m.activity_id = ?`,
  splits: tenantSql`SELECT x.id, x.name, x.is_active FROM ${live(SplitDefinition, 'x')} WHERE x.activity_id = ? ORDER BY x."order"`,
  setRows: tenantSql`SELECT COALESCE(MAX(x.position) + 1, 0) AS n FROM ${live(ActivitySet, 'x')} WHERE x.activity_instance_id = ?`,
};

export class ValueRows {
  constructor(private readonly ctx: RequestContext) {}

  /** The activity with its live metrics and splits. */
  async shape(activityId: string): Promise<ActivityShape> {
    const isTrue = (v: unknown) => dialectOf(this.ctx.requireManager().connection).isTrue(v);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const [a] = await SQL.activity.run(this.ctx, [activityId]);
    const metrics = await SQL.metrics.run(this.ctx, [activityId]);
    const splits = await SQL.splits.run(this.ctx, [activityId]);
    return {
      activity: { name: a.name as string, hasSets: isTrue(a.has_sets), hasSplits: isTrue(a.has_splits) },
      metrics: metrics.map((m) => ({
        id: m.id as string,
        name: m.name as string,
        unit: m.unit as string,
        isActive: isTrue(m.is_active),
        minValue: num(m.min_value),
        maxValue: num(m.max_value),
        higherIsBetter: m.higher_is_better === null ? true : isTrue(m.higher_is_better),
      })),
      splits: splits.map((x) => ({ id: x.id as string, name: x.name as string, isActive: isTrue(x.is_active) })),
    };
  }

  /** The sets an instance has rows for: positions 0..n-1. */
  async setRowCount(instanceId: string): Promise<number> {
    const [r] = await SQL.setRows.run(this.ctx, [instanceId]);
    return Number(r.n);
  }
}
