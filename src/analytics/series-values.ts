import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { MetricValue } from '../sessions/metric-value.entity';
import { timestampParam, Window } from './analytics-dates';
import { bind, bindList, EMPTY, Fragment, live, runFragment, sql, text } from '../tenancy/tenant-sql';

/** A live instance of the activity in a live session of the window, as the driver gives it. */
export interface InstanceRow {
  iid: string;
  sid: string;
  /** The session's date, as the driver gives a timestamp (see instantMs). */
  at: unknown;
}

/**
 * What one instance gives its session, aggregated by the engine: one row per instance, never
 * one per value (50,000 values read as rows cost more than the rest of the route).
 */
export interface InstancePart {
  max?: number;
  sum?: number;
  n?: number;
  last?: number;
  /** top_set: the instance's best set by the top-set metric (its first of equals), and its value of the metric asked. */
  top?: { rank: number; setIndex: number; value: number | null };
}

/** An instance with its aggregate (max or sum, NULL without values) and, for an average, its count. */
export interface TotalRow {
  sid: string;
  at: unknown;
  a: unknown;
  n?: unknown;
}

export interface TopSetMetric {
  id: string;
  higherIsBetter: boolean;
}

/** The slot of `a` is the slot of v: same instance, set and split (a NULL split included). */
const sameSlot = (a: string) =>
  `${a}.activity_instance_id = v.activity_instance_id AND ${a}.set_index = v.set_index AND (${a}.split_definition_id = v.split_definition_id OR (${a}.split_definition_id IS NULL AND v.split_definition_id IS NULL))`;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/**
 * The reads of the series, as lean tenant statements (no query builder, no hydration: the rows
 * are read as the driver gives them). Each walks one covering index (migrations SeriesIndexes and
 * SeriesMaxOrder): the activity's instances by (root_id, activity_definition_id, created_at, id),
 * and a metric's values by (root_id, metric_definition_id, activity_instance_id, value, ...), where
 * an instance's MAX or MIN is one seek. The values are
 * not joined to their instances: the planner, without statistics, would drive the join from the
 * values and look an instance up per value, and a join driven by the instances seeks the values
 * once per instance, which costs more than walking them all. The values of instances outside the
 * window, or deleted, are read and then dropped by the caller.
 */
export class SeriesValues {
  constructor(
    private readonly ctx: RequestContext,
    private readonly splitId: string | undefined,
  ) {}

  /** The activity's instances in the order they were recorded, each with its session and the session's date. */
  instances(activityId: string, window: Window): Promise<InstanceRow[]> {
    const from = window.from ? sql` AND g.session_start >= ${bind(timestampParam(this.ctx, window.from))}` : EMPTY;
    const until = window.until ? sql` AND g.session_start < ${bind(timestampParam(this.ctx, window.until))}` : EMPTY;
    return runFragment<InstanceRow>(
      this.ctx,
      sql`SELECT i.id AS iid, i.practice_session_id AS sid, COALESCE(g.session_start, g.created_at) AS at
        FROM ${live(ActivityInstance, 'i')} JOIN ${live(Goal, 'g')} ON g.id = i.practice_session_id AND g.type = 'PracticeSession'
        WHERE i.activity_definition_id = ${bind(activityId)}${from}${until}
        ORDER BY i.created_at, i.id`,
    );
  }

  /**
   * max, sum or average with each instance: the instances' walk seeks each one's values, so that
   * the rows are the instances alone (a join of two walks costs more in rows than the seeks).
   * An instance without values gives NULL, and no part.
   */
  instanceTotals(activityId: string, window: Window, metricId: string, agg: 'max' | 'sum' | 'average'): Promise<TotalRow[]> {
    const from = window.from ? sql` AND g.session_start >= ${bind(timestampParam(this.ctx, window.from))}` : EMPTY;
    const until = window.until ? sql` AND g.session_start < ${bind(timestampParam(this.ctx, window.until))}` : EMPTY;
    const of = (fn: string) => sql`(SELECT ${text(fn)}(v.value) FROM ${live(MetricValue, 'v')} WHERE v.metric_definition_id = ${bind(metricId)} AND v.activity_instance_id = i.id${this.split('v')})`;
    const aggs = agg === 'max' ? sql`${of('MAX')} AS a` : agg === 'sum' ? sql`${of('SUM')} AS a` : sql`${of('SUM')} AS a, ${of('COUNT')} AS n`;
    return runFragment<TotalRow>(
      this.ctx,
      sql`SELECT i.practice_session_id AS sid, COALESCE(g.session_start, g.created_at) AS at, ${aggs}
        FROM ${live(ActivityInstance, 'i')} JOIN ${live(Goal, 'g')} ON g.id = i.practice_session_id AND g.type = 'PracticeSession'
        WHERE i.activity_definition_id = ${bind(activityId)}${from}${until}
        ORDER BY i.created_at, i.id`,
    );
  }

  /** A condition on the split asked, for an alias. */
  private split(alias: string): Fragment {
    return this.splitId ? sql` AND ${text(`${alias}.split_definition_id = `)}${bind(this.splitId)}` : EMPTY;
  }

  /** Values of one metric, grouped by instance. */
  private ofMetric(metricId: string): Fragment {
    return sql`FROM ${live(MetricValue, 'v')} WHERE v.metric_definition_id = ${bind(metricId)}${this.split('v')}`;
  }

  private async byInstance(f: Fragment, part: (row: Record<string, unknown>) => InstancePart): Promise<Map<string, InstancePart>> {
    const out = new Map<string, InstancePart>();
    for (const r of await runFragment<Record<string, unknown>>(this.ctx, f)) out.set(r.iid as string, part(r));
    return out;
  }

  /** The value of the instance's last set (of its last split, where a set has several). */
  lasts(metricId: string): Promise<Map<string, InstancePart>> {
    const last = sql`(SELECT l.value FROM ${live(MetricValue, 'l')}
      WHERE l.metric_definition_id = v.metric_definition_id AND l.activity_instance_id = v.activity_instance_id${this.split('l')}
      ORDER BY l.set_index DESC, l.split_definition_id DESC LIMIT 1)`;
    return this.byInstance(sql`SELECT v.activity_instance_id AS iid, ${last} AS val ${this.ofMetric(metricId)} GROUP BY v.metric_definition_id, v.activity_instance_id`, (r) => ({
      last: num(r.val),
    }));
  }

  /**
   * The instance's best value of the top-set metric, the first set that holds it, and that set's
   * best value (over its splits) of the metric asked. The best set of a set's best values is the
   * set of the best value: no per-set rows are needed.
   */
  topSets(top: TopSetMetric, metricId: string): Promise<Map<string, InstancePart>> {
    const best = top.higherIsBetter ? 'MAX' : 'MIN';
    const bestOf = (alias: string) => text(`${best}(${alias}.value)`);
    const firstSet = () => sql`(SELECT MIN(t.set_index) FROM ${live(MetricValue, 't')}
      WHERE t.metric_definition_id = v.metric_definition_id AND t.activity_instance_id = v.activity_instance_id${this.split('t')} AND t.value = ${bestOf('v')})`;
    const asked =
      metricId === top.id
        ? EMPTY
        : sql`, (SELECT ${bestOf('m')} FROM ${live(MetricValue, 'm')}
            WHERE m.metric_definition_id = ${bind(metricId)} AND m.activity_instance_id = v.activity_instance_id${this.split('m')} AND m.set_index = ${firstSet()}) AS val`;
    return this.byInstance(
      sql`SELECT v.activity_instance_id AS iid, ${bestOf('v')} AS best, ${firstSet()} AS si${asked} ${this.ofMetric(top.id)} GROUP BY v.metric_definition_id, v.activity_instance_id`,
      (r) => {
        const b = num(r.best);
        const value = metricId === top.id ? b : r.val === null || r.val === undefined ? null : num(r.val);
        return { top: { rank: top.higherIsBetter ? b : -b, setIndex: num(r.si), value } };
      },
    );
  }

  /**
   * Per instance, the sum over its sets (per split) of the product of the factors; a set that
   * misses one gives NULL, which SUM skips. Each set is counted once, on its row of the first
   * factor; an instance with values of the other factors only still counts, with 0.
   */
  yields(factorIds: string[]): Promise<Map<string, InstancePart>> {
    const [first, ...others] = factorIds;
    let product = sql`v.value`;
    others.forEach((id, k) => {
      const f = `f${k}`;
      const slot = text(` AND ${sameSlot(f)})`);
      product = sql`${product} * (SELECT ${text(`${f}.value`)} FROM ${live(MetricValue, f)} WHERE ${text(`${f}.metric_definition_id = `)}${bind(id)}${slot}`;
    });
    const metrics = factorIds.length === 1 ? sql`v.metric_definition_id = ${bind(first)}` : sql`v.metric_definition_id IN ${bindList(factorIds)}`;
    return this.byInstance(
      sql`SELECT v.activity_instance_id AS iid, SUM(CASE WHEN v.metric_definition_id = ${bind(first)} THEN ${product} END) AS y
        FROM ${live(MetricValue, 'v')} WHERE ${metrics}${this.split('v')} GROUP BY v.activity_instance_id`,
      (r) => ({ sum: r.y === null || r.y === undefined ? 0 : num(r.y) }),
    );
  }
}
