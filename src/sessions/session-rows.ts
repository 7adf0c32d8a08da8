import { ActivityDefinition } from '../activities/activity-definition.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { Goal } from '../goals/goal.entity';
import { PracticeSessionGoal } from '../goals/practice-session-goal.entity';
import { Fragment, list, live, rows, sql, tenantSql, text } from '../tenancy/tenant-sql';
import { ActivityInstance } from './activity-instance.entity';
import { ActivitySet } from './activity-set.entity';
import { Extremes } from './comparisons';
import { MetricValue } from './metric-value.entity';
import { MetricRules } from './metric-rules';
import { SessionSection } from './session-section.entity';
import { SessionRow } from './session.view';

/**
 * The rows of a session view, read as lean SQL through the scoped layer (src/tenancy/tenant-sql):
 * the view is the hot read, and TypeORM's builder and hydration cost it more than its SQL
 * (BENCHMARKS.md, issue 17). Each loader answers plain rows shaped like the entity's fields
 * the view reads.
 */

export type InstanceRow = Pick<
  ActivityInstance,
  | 'id'
  | 'practiceSessionId'
  | 'activityDefinitionId'
  | 'sectionId'
  | 'sortOrder'
  | 'notes'
  | 'completed'
  | 'timeStart'
  | 'timeStop'
  | 'pausedAt'
  | 'totalPausedSeconds'
  | 'durationSeconds'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
>;
export type ValueRow = Pick<MetricValue, 'id' | 'activityInstanceId' | 'metricDefinitionId' | 'splitDefinitionId' | 'setIndex' | 'value'>;
export type SetRow = Pick<ActivitySet, 'activityInstanceId' | 'position' | 'notes'>;
export type ActivityRow = Pick<ActivityDefinition, 'id' | 'name' | 'hasSets'>;
export type MetricRow = Pick<MetricDefinition, 'id' | 'name' | 'unit' | 'sortOrder'> & { rules: MetricRules };
export type SplitRow = Pick<SplitDefinition, 'id' | 'name' | 'order'>;
export type LinkedGoalRow = Pick<Goal, 'id' | 'type' | 'name' | 'completed'>;
export type ImmediateGoalRow = Pick<Goal, 'id' | 'name' | 'description' | 'completed'>;
export type SectionRow = Pick<SessionSection, 'id' | 'position' | 'name' | 'durationMinutes'>;
export interface PreviousRow {
  id: string;
  sessionId: string;
  at: Date;
  /** Whether an instance of the activity was added after the current one, in another session. */
  hasLater: boolean;
}

type Raw = Record<string, unknown>;

/** The best (DESC) or worst (ASC) value of k's metric and split among earlier instances of other sessions than cur's. */
const extreme = (direction: 'ASC' | 'DESC', split: boolean): Fragment => sql`(SELECT v.value FROM ${live(MetricValue, 'v')} CROSS JOIN ${live(ActivityInstance, 'p')}
    WHERE v.metric_definition_id = k.metric_definition_id AND ${text(split ? 'v.split_definition_id = k.split_definition_id' : 'v.split_definition_id IS NULL')}
      AND p.id = v.activity_instance_id AND p.created_at < cur.created_at AND p.practice_session_id <> cur.practice_session_id
    ORDER BY v.value ${text(direction)} LIMIT 1)`;

const SQL = {
  session: tenantSql`SELECT s.id, s.name, s.description, s.parent_id, s.template_id, s.session_start, s.session_end, s.session_paused_at,
      s.completed, s.completed_at, s.total_duration_seconds, s.created_at, s.updated_at, s.version
    FROM ${live(Goal, 's')} WHERE s.id = ? AND s.type = 'PracticeSession'`,
  linkedGoals: tenantSql`SELECT g.id, g.type, g.name, g.completed FROM ${live(Goal, 'g')}
    JOIN ${live(PracticeSessionGoal, 'l')} ON l.short_term_goal_id = g.id
    WHERE l.practice_session_id = ? ORDER BY g.created_at, g.id`,
  immediateGoals: tenantSql`SELECT g.id, g.name, g.description, g.completed FROM ${live(Goal, 'g')}
    WHERE g.parent_id = ? ORDER BY g.sort_order, g.created_at, g.id`,
  sections: tenantSql`SELECT x.id, x.position, x.name, x.duration_minutes FROM ${live(SessionSection, 'x')}
    WHERE x.session_id = ? ORDER BY x.position`,
  // A live instance of a live session.
  instance: tenantSql`SELECT i.id, i.practice_session_id, i.activity_definition_id, i.section_id, i.sort_order, i.notes, i.completed,
      i.time_start, i.time_stop, i.paused_at, i.total_paused_seconds, i.duration_seconds, i.created_at, i.updated_at, i.version
    FROM ${live(ActivityInstance, 'i')} JOIN ${live(Goal, 's')} ON s.id = i.practice_session_id
    WHERE i.id = ?`,
  instances: tenantSql`SELECT i.id, i.practice_session_id, i.activity_definition_id, i.section_id, i.sort_order, i.notes, i.completed,
      i.time_start, i.time_stop, i.paused_at, i.total_paused_seconds, i.duration_seconds, i.created_at, i.updated_at, i.version
    FROM ${live(ActivityInstance, 'i')}
    WHERE i.practice_session_id = ? ORDER BY i.sort_order, i.created_at, i.id`,
  // A deleted activity's instances keep its name and shape.
  activities: tenantSql`SELECT a.id, a.name, a.has_sets FROM ${rows(ActivityDefinition, 'a')} WHERE a.id IN ${list}`,
  metrics: tenantSql`SELECT m.id, m.name, m.unit, m.sort_order, m.min_value, m.max_value, m.higher_is_better
    FROM ${rows(MetricDefinition, 'm')} WHERE m.activity_id IN ${list}`,
  splits: tenantSql`SELECT x.id, x.name, x."order" FROM ${rows(SplitDefinition, 'x')} WHERE x.activity_id IN ${list}`,
  sets: tenantSql`SELECT x.activity_instance_id, x.position, x.notes FROM ${live(ActivitySet, 'x')}
    WHERE x.activity_instance_id IN ${list} ORDER BY x.position`,
  values: tenantSql`SELECT v.id, v.activity_instance_id, v.metric_definition_id, v.split_definition_id, v.set_index, v.value
    FROM ${live(MetricValue, 'v')} WHERE v.activity_instance_id IN ${list}`,
  // For each instance, the latest live instance of its activity in another session, added before it,
  // and whether one was added after it (which decides how its earlier extremes are read, below).
  // Prepared, and so on PostgreSQL planned without its values after five calls: that generic
  // plan sorted the activity's instances (40 ms on the heavy root of the bench's M, 0.4 planned
  // with the values) until migration RootDependencies told the planner that an activity belongs
  // to one root. bench/pg-generic-plans.ts compares the two plans of every statement of a route.
  previous: tenantSql`SELECT cur.id, p.id AS previous_id, p.practice_session_id, p.time_start, p.created_at,
      EXISTS (SELECT 1 FROM ${live(ActivityInstance, 'n')}
        WHERE n.activity_definition_id = cur.activity_definition_id AND n.practice_session_id <> cur.practice_session_id
          AND n.created_at > cur.created_at) AS has_later
    FROM ${live(ActivityInstance, 'cur')}
    JOIN ${live(ActivityInstance, 'p')} ON p.id = (
      SELECT q.id FROM ${live(ActivityInstance, 'q')}
      WHERE q.activity_definition_id = cur.activity_definition_id AND q.practice_session_id <> cur.practice_session_id
        AND q.created_at < cur.created_at
      ORDER BY q.created_at DESC, q.id DESC LIMIT 1)
    WHERE cur.id IN ${list}`,
  // The extremes of every value of each instance's activity recorded earlier in other sessions,
  // for instances that have later ones: every earlier value is read, so the cost grows with the
  // history before the instance. CROSS JOIN keeps SQLite's order (the instances, their activity's
  // earlier instances by (root_id, activity_definition_id, created_at), their values by
  // (root_id, activity_instance_id)): without planner statistics it would start from every value
  // of the root (BENCHMARKS.md).
  earlier: tenantSql`SELECT cur.id AS instance_id, v.metric_definition_id AS metric_id, v.split_definition_id AS split_id,
      MAX(v.value) AS max, MIN(v.value) AS min
    FROM ${live(ActivityInstance, 'cur')}
    CROSS JOIN ${live(ActivityInstance, 'p')}
    CROSS JOIN ${live(MetricValue, 'v')}
    WHERE cur.id IN ${list} AND p.activity_definition_id = cur.activity_definition_id
      AND p.practice_session_id <> cur.practice_session_id AND p.created_at < cur.created_at
      AND v.activity_instance_id = p.id
    GROUP BY cur.id, v.metric_definition_id, v.split_definition_id`,
  // The same extremes for the latest instances of their activity (the session being practised, or
  // the last one: what is opened most): each of its metric and split keys walks the metric's
  // values from the best down to the first one of an earlier instance in another session. Every
  // value of another session is earlier here, so the walk stops within the instance's own
  // session's values, however long the history. One row per value of the instance (its keys
  // repeat over its sets; the caller keeps one). A split is matched by = or by IS NULL, each in
  // its own sub-query, so that both engines seek an index in value order
  // (idx_metric_values_extremes, and _unsplit for the values without a split).
  earliest: tenantSql`SELECT cur.id AS instance_id, k.metric_definition_id AS metric_id, k.split_definition_id AS split_id,
      CASE WHEN k.split_definition_id IS NULL THEN ${extreme('DESC', false)} ELSE ${extreme('DESC', true)} END AS max,
      CASE WHEN k.split_definition_id IS NULL THEN ${extreme('ASC', false)} ELSE ${extreme('ASC', true)} END AS min
    FROM ${live(ActivityInstance, 'cur')} CROSS JOIN ${live(MetricValue, 'k')}
    WHERE cur.id IN ${list} AND k.activity_instance_id = cur.id`,
};

/** Reads a session view's rows; every call is one statement on the context's root. */
export class SessionRows {
  constructor(private readonly ctx: RequestContext) {}

  private get dialect() {
    return dialectOf(this.ctx.requireManager().connection);
  }

  private bool = (v: unknown) => this.dialect.isTrue(v);
  private time = (v: unknown): Date => this.dialect.instant(v);
  private maybeTime = (v: unknown): Date | null => (v === null || v === undefined ? null : this.dialect.instant(v));
  private num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

  /** A live session of the root, or undefined. */
  async session(id: string): Promise<SessionRow | undefined> {
    const [r] = await SQL.session.run(this.ctx, [id]);
    if (!r) return undefined;
    return {
      id: r.id as string,
      name: r.name as string,
      description: r.description as string | null,
      parentId: r.parent_id as string | null,
      templateId: r.template_id as string | null,
      sessionStart: this.maybeTime(r.session_start),
      sessionEnd: this.maybeTime(r.session_end),
      sessionPausedAt: this.maybeTime(r.session_paused_at),
      completed: this.bool(r.completed),
      completedAt: this.maybeTime(r.completed_at),
      totalDurationSeconds: this.num(r.total_duration_seconds),
      createdAt: this.time(r.created_at),
      updatedAt: this.time(r.updated_at),
      version: Number(r.version),
    } as SessionRow;
  }

  async linkedGoals(sessionId: string): Promise<LinkedGoalRow[]> {
    const found = await SQL.linkedGoals.run(this.ctx, [sessionId]);
    return found.map((r) => ({ id: r.id as string, type: r.type as Goal['type'], name: r.name as string, completed: this.bool(r.completed) }));
  }

  async immediateGoals(sessionId: string): Promise<ImmediateGoalRow[]> {
    const found = await SQL.immediateGoals.run(this.ctx, [sessionId]);
    return found.map((r) => ({ id: r.id as string, name: r.name as string, description: r.description as string | null, completed: this.bool(r.completed) }));
  }

  async sections(sessionId: string): Promise<SectionRow[]> {
    const found = await SQL.sections.run(this.ctx, [sessionId]);
    return found.map((r) => ({ id: r.id as string, position: Number(r.position), name: r.name as string, durationMinutes: this.num(r.duration_minutes) }) as SectionRow);
  }

  async instance(id: string): Promise<InstanceRow | undefined> {
    const [found] = await SQL.instance.run(this.ctx, [id]);
    return found ? this.toInstance(found) : undefined;
  }

  async instances(sessionId: string): Promise<InstanceRow[]> {
    return (await SQL.instances.run(this.ctx, [sessionId])).map((r) => this.toInstance(r));
  }

  async activities(ids: string[]): Promise<ActivityRow[]> {
    const found = await SQL.activities.run(this.ctx, [ids]);
    return found.map((r) => ({ id: r.id as string, name: r.name as string, hasSets: this.bool(r.has_sets) }));
  }

  async metrics(activityIds: string[]): Promise<MetricRow[]> {
    const found = await SQL.metrics.run(this.ctx, [activityIds]);
    return found.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      unit: r.unit as string,
      sortOrder: Number(r.sort_order),
      rules: { min: this.num(r.min_value), max: this.num(r.max_value), higherIsBetter: r.higher_is_better === null ? true : this.bool(r.higher_is_better) },
    }));
  }

  async splits(activityIds: string[]): Promise<SplitRow[]> {
    const found = await SQL.splits.run(this.ctx, [activityIds]);
    return found.map((r) => ({ id: r.id as string, name: r.name as string, order: Number(r.order) }));
  }

  async sets(instanceIds: string[]): Promise<SetRow[]> {
    const found = await SQL.sets.run(this.ctx, [instanceIds]);
    return found.map((r) => ({ activityInstanceId: r.activity_instance_id as string, position: Number(r.position), notes: r.notes as string | null }));
  }

  async values(instanceIds: string[]): Promise<ValueRow[]> {
    if (instanceIds.length === 0) return [];
    const found = await SQL.values.run(this.ctx, [instanceIds]);
    return found.map((r) => ({
      id: r.id as string,
      activityInstanceId: r.activity_instance_id as string,
      metricDefinitionId: r.metric_definition_id as string,
      splitDefinitionId: r.split_definition_id as string | null,
      setIndex: Number(r.set_index),
      value: Number(r.value),
    }));
  }

  /** For each instance that has one, its previous instance. */
  async previous(instanceIds: string[]): Promise<Map<string, PreviousRow>> {
    const found = await SQL.previous.run(this.ctx, [instanceIds]);
    return new Map(
      found.map((r) => [
        r.id as string,
        { id: r.previous_id as string, sessionId: r.practice_session_id as string, at: this.maybeTime(r.time_start) ?? this.time(r.created_at), hasLater: this.bool(r.has_later) },
      ]),
    );
  }

  /**
   * The extremes of the earlier values of each instance's activity in other sessions, for the
   * instances that have a previous one (the others have none): the latest of their activity by
   * walking from the best value down, the others by reading their earlier history.
   */
  async earlierExtremes(previous: Map<string, PreviousRow>): Promise<Map<string, Extremes[]>> {
    const out = new Map<string, Map<string, Extremes>>();
    const latest = [...previous].filter(([, p]) => !p.hasLater).map(([id]) => id);
    const others = [...previous].filter(([, p]) => p.hasLater).map(([id]) => id);
    const found = [...(latest.length ? await SQL.earliest.run(this.ctx, [latest]) : []), ...(others.length ? await SQL.earlier.run(this.ctx, [others]) : [])];
    for (const r of found) {
      // No earlier value of this key: no extremes, as the grouped read gives no row for it.
      if (r.max === null || r.max === undefined) continue;
      const id = r.instance_id as string;
      const byKey = out.get(id) ?? new Map<string, Extremes>();
      byKey.set(`${r.metric_id}\u0000${r.split_id}`, { metricId: r.metric_id as string, splitId: r.split_id as string | null, max: Number(r.max), min: Number(r.min) });
      out.set(id, byKey);
    }
    return new Map([...out].map(([id, byKey]) => [id, [...byKey.values()]]));
  }

  private toInstance(r: Raw): InstanceRow {
    return {
      id: r.id as string,
      practiceSessionId: r.practice_session_id as string,
      activityDefinitionId: r.activity_definition_id as string,
      sectionId: r.section_id as string | null,
      sortOrder: Number(r.sort_order),
      notes: r.notes as string | null,
      completed: this.bool(r.completed),
      timeStart: this.maybeTime(r.time_start),
      timeStop: this.maybeTime(r.time_stop),
      pausedAt: this.maybeTime(r.paused_at),
      totalPausedSeconds: Number(r.total_paused_seconds ?? 0),
      durationSeconds: this.num(r.duration_seconds),
      createdAt: this.time(r.created_at),
      updatedAt: this.time(r.updated_at),
      version: Number(r.version),
    } as InstanceRow;
  }
}
