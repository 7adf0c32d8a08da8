import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { MetricValue } from '../sessions/metric-value.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { inWindow, instantReader, SESSION_AT, Window } from './analytics-dates';

/** A live instance of the activity in a live session of the window, in the order it was recorded. */
export interface InstanceRow {
  instanceId: string;
  sessionId: string;
  at: Date;
  /** at, in milliseconds: what the sessions are sorted by. */
  ms: number;
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

export interface TopSetMetric {
  id: string;
  higherIsBetter: boolean;
}

/** The slot of `a` is the slot of v: same instance, set and split (a NULL split included). */
const sameSlot = (a: string) =>
  `${a}.activity_instance_id = v.activity_instance_id AND ${a}.set_index = v.set_index AND (${a}.split_definition_id = v.split_definition_id OR (${a}.split_definition_id IS NULL AND v.split_definition_id IS NULL)) AND ${a}.deleted_at IS NULL`;

/**
 * The reads of the series. Each walks one covering index (migration SeriesIndexes): the
 * activity's instances by (root_id, activity_definition_id, created_at, id), and a metric's
 * values by (root_id, metric_definition_id, activity_instance_id, set_index, ...). The values are
 * not joined to their instances: the planner, without statistics, would drive the join from the
 * values and look an instance up per value. The values of instances outside the window, or
 * deleted, are read and then dropped by the caller.
 */
export class SeriesValues {
  constructor(
    private readonly data: TenantData,
    private readonly ctx: RequestContext,
    private readonly splitId: string | undefined,
  ) {}

  async instances(activityId: string, window: Window): Promise<InstanceRow[]> {
    const qb = this.data
      .repo(ActivityInstance)
      .createQueryBuilder(this.ctx, 'i')
      .innerJoin(Goal, 'g', `g.id = i.practice_session_id AND g.type = 'PracticeSession' AND g.deleted_at IS NULL`)
      .select('i.id', 'iid')
      .addSelect('g.id', 'sid')
      .addSelect(SESSION_AT, 'at')
      .andWhere('i.activity_definition_id = :activityId', { activityId })
      .andWhere('i.deleted_at IS NULL')
      .orderBy('i.created_at', 'ASC')
      .addOrderBy('i.id', 'ASC');
    const rows: { iid: string; sid: string; at: unknown }[] = await inWindow(this.ctx, qb, window).getRawMany();
    const instant = instantReader(this.ctx);
    return rows.map((r) => {
      const at = instant(r.at);
      return { instanceId: r.iid, sessionId: r.sid, at, ms: at.getTime() };
    });
  }

  /** Live values of the metrics, grouped by instance. */
  private values(metricIds: string[]) {
    const qb = this.data
      .repo(MetricValue)
      .createQueryBuilder(this.ctx, 'v')
      .select('v.activity_instance_id', 'iid')
      .andWhere(metricIds.length === 1 ? 'v.metric_definition_id = :metricId' : 'v.metric_definition_id IN (:...metricIds)', { metricId: metricIds[0], metricIds })
      .andWhere('v.deleted_at IS NULL')
      .groupBy('v.metric_definition_id')
      .addGroupBy('v.activity_instance_id');
    if (metricIds.length > 1) qb.groupBy('v.activity_instance_id');
    if (this.splitId) qb.andWhere('v.split_definition_id = :splitId', { splitId: this.splitId });
    return qb;
  }

  /** A condition on the split asked, for a sub-query's alias. */
  private split(alias: string): string {
    return this.splitId ? ` AND ${alias}.split_definition_id = :splitId` : '';
  }

  /** max, sum or average: only the aggregates asked for (each costs a call per value). */
  async totals(metricId: string, agg: 'max' | 'sum' | 'average'): Promise<Map<string, InstancePart>> {
    const qb = this.values([metricId]);
    if (agg === 'max') qb.addSelect('MAX(v.value)', 'mx');
    else qb.addSelect('SUM(v.value)', 'sm');
    if (agg === 'average') qb.addSelect('COUNT(v.value)', 'n');
    const rows: { iid: string; mx?: unknown; sm?: unknown; n?: unknown }[] = await qb.getRawMany();
    return new Map(
      rows.map((r) => {
        const part: InstancePart = agg === 'max' ? { max: Number(r.mx) } : { sum: Number(r.sm) };
        if (agg === 'average') part.n = Number(r.n);
        return [r.iid, part];
      }),
    );
  }

  /** The value of the instance's last set (of its last split, where a set has several). */
  async lasts(metricId: string): Promise<Map<string, InstancePart>> {
    const qb = this.values([metricId]);
    const last = qb
      .subQuery()
      .select('l.value')
      .from(MetricValue, 'l')
      .where(`l.metric_definition_id = v.metric_definition_id AND l.activity_instance_id = v.activity_instance_id AND l.deleted_at IS NULL${this.split('l')}`)
      .orderBy('l.set_index', 'DESC')
      .addOrderBy('l.split_definition_id', 'DESC')
      .limit(1)
      .getQuery();
    const rows: { iid: string; val: unknown }[] = await qb.addSelect(last, 'val').getRawMany();
    return new Map(rows.map((r) => [r.iid, { last: Number(r.val) }]));
  }

  /**
   * The instance's best value of the top-set metric, the first set that holds it, and that set's
   * best value (over its splits) of the metric asked. The best set of a set's best values is the
   * set of the best value: no per-set rows are needed.
   */
  async topSets(top: TopSetMetric, metricId: string): Promise<Map<string, InstancePart>> {
    const qb = this.values([top.id]);
    const best = top.higherIsBetter ? 'MAX' : 'MIN';
    const firstSet = qb
      .subQuery()
      .select('MIN(t.set_index)')
      .from(MetricValue, 't')
      .where(`t.metric_definition_id = v.metric_definition_id AND t.activity_instance_id = v.activity_instance_id AND t.deleted_at IS NULL${this.split('t')} AND t.value = ${best}(v.value)`)
      .getQuery();
    qb.addSelect(`${best}(v.value)`, 'best').addSelect(firstSet, 'si');
    if (metricId !== top.id) {
      const asked = qb
        .subQuery()
        .select(`${best}(m.value)`)
        .from(MetricValue, 'm')
        .where(`m.metric_definition_id = :askedId AND m.activity_instance_id = v.activity_instance_id AND m.deleted_at IS NULL${this.split('m')} AND m.set_index = ${firstSet}`)
        .getQuery();
      qb.addSelect(asked, 'val').setParameter('askedId', metricId);
    }
    const rows: { iid: string; best: unknown; si: unknown; val?: unknown }[] = await qb.getRawMany();
    return new Map(
      rows.map((r) => {
        const best = Number(r.best);
        const value = metricId === top.id ? best : r.val === null || r.val === undefined ? null : Number(r.val);
        return [r.iid, { top: { rank: top.higherIsBetter ? best : -best, setIndex: Number(r.si), value } }];
      }),
    );
  }

  /**
   * Per instance, the sum over its sets (per split) of the product of the factors; a set that
   * misses one gives NULL, which SUM skips. Each set is counted once, on its row of the first
   * factor; an instance with values of the other factors only still counts, with 0.
   */
  async yields(factorIds: string[]): Promise<Map<string, InstancePart>> {
    const qb = this.values(factorIds);
    const [first, ...others] = factorIds;
    const product = ['v.value'];
    others.forEach((id, k) => {
      product.push(
        qb
          .subQuery()
          .select(`f${k}.value`)
          .from(MetricValue, `f${k}`)
          .where(`f${k}.metric_definition_id = :factor${k} AND ${sameSlot(`f${k}`)}`)
          .getQuery(),
      );
      qb.setParameter(`factor${k}`, id);
    });
    const rows: { iid: string; y: unknown }[] = await qb
      .addSelect(`SUM(CASE WHEN v.metric_definition_id = :firstFactor THEN ${product.join(' * ')} END)`, 'y')
      .setParameter('firstFactor', first)
      .getRawMany();
    return new Map(rows.map((r) => [r.iid, { sum: r.y === null || r.y === undefined ? 0 : Number(r.y) }]));
  }
}
