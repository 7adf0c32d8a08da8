import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { HistoryEntryView } from '../activities/activity-history.view';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { PracticeRecords } from '../activities/practice-records';
import { SplitDefinition } from '../activities/split-definition.entity';
import { RequestContext } from '../context/request-context';
import { Page, PageQuery, paginate } from '../http/pagination';
import { SessionTemplate } from '../templates/session-template.entity';
import { TemplateSessionRecord, TemplateSessionRecords } from '../templates/template-records';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';
import { MetricValue } from './metric-value.entity';
import { SessionSection } from './session-section.entity';

/** IN lists of at most this many ids per query. */
const CHUNK = 500;

/**
 * The columns of a practice session (a goals row) read here. Goals are joined by entity name:
 * src/goals builds on sessions, so this folder does not import it.
 */
interface SessionRow {
  id: string;
  name: string;
  completed: boolean;
  sessionStart: Date | null;
  sessionEnd: Date | null;
  totalDurationSeconds: number | null;
}
type WithSession = ActivityInstance & { session: SessionRow };

/**
 * Recorded practice, as activities and templates ask for it (their ports PracticeRecords and
 * TemplateSessionRecords): sessions build on those features, so the answers live here.
 */
@Injectable()
export class SessionPracticeRecords implements PracticeRecords, TemplateSessionRecords {
  constructor(private readonly data: TenantData) {}

  async metricsWithValues(ctx: RequestContext, metricIds: string[]): Promise<Set<string>> {
    if (metricIds.length === 0) return new Set();
    const rows = await this.values(ctx)
      .select('DISTINCT v.metric_definition_id', 'id')
      .andWhere('v.metric_definition_id IN (:...metricIds)', { metricIds })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  /** Found through the activity's metrics: that search runs on an index, not over every value of the root. */
  async splitsWithValues(ctx: RequestContext, metricIds: string[], splitIds: string[]): Promise<Set<string>> {
    if (metricIds.length === 0 || splitIds.length === 0) return new Set();
    const rows = await this.values(ctx)
      .select('DISTINCT v.split_definition_id', 'id')
      .andWhere('v.metric_definition_id IN (:...metricIds)', { metricIds })
      .andWhere('v.split_definition_id IN (:...splitIds)', { splitIds })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  /** Three queries a page: instances with their sessions, their values, the values' metrics and splits. */
  async history(ctx: RequestContext, activityId: string, page: PageQuery): Promise<Page<HistoryEntryView>> {
    const qb = this.data
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'i')
      .innerJoinAndMapOne('i.session', 'Goal', 's', 's.id = i.practice_session_id AND s.deleted_at IS NULL')
      .andWhere('i.activity_definition_id = :activityId', { activityId });
    const result = await paginate(qb, 'i', page, { direction: 'DESC' });
    const instances = result.items as WithSession[];
    const nextCursor = result.nextCursor;
    if (instances.length === 0) return { items: [], nextCursor };

    const values = await this.data
      .repo(MetricValue)
      .find(ctx, { where: { activityInstanceId: In(instances.map((i) => i.id)) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const metricIds = [...new Set(values.map((v) => v.metricDefinitionId))];
    const splitIds = [...new Set(values.map((v) => v.splitDefinitionId).filter((id): id is string => id !== null))];
    const [metrics, splits] = await Promise.all([
      metricIds.length ? this.data.repo(MetricDefinition).find(ctx, { where: { id: In(metricIds) }, withDeleted: true }) : [],
      splitIds.length ? this.data.repo(SplitDefinition).find(ctx, { where: { id: In(splitIds) }, withDeleted: true }) : [],
    ]);
    const metricById = new Map(metrics.map((m) => [m.id, m]));
    const splitById = new Map(splits.map((s) => [s.id, s]));
    const valuesOf = new Map<string, MetricValue[]>();
    for (const v of values) valuesOf.set(v.activityInstanceId, [...(valuesOf.get(v.activityInstanceId) ?? []), v]);

    const items = instances.map((i): HistoryEntryView => {
      const s = i.session;
      return {
        id: i.id,
        session: { id: s.id, name: s.name, sessionStart: s.sessionStart, sessionEnd: s.sessionEnd, completed: s.completed },
        date: i.timeStart ?? s.sessionStart ?? i.createdAt,
        timeStart: i.timeStart,
        timeStop: i.timeStop,
        durationSeconds: i.durationSeconds,
        completed: i.completed,
        notes: i.notes,
        values: (valuesOf.get(i.id) ?? []).map((v) => ({
          id: v.id,
          metricId: v.metricDefinitionId,
          metricName: metricById.get(v.metricDefinitionId)?.name ?? '',
          unit: metricById.get(v.metricDefinitionId)?.unit ?? '',
          splitId: v.splitDefinitionId,
          splitName: v.splitDefinitionId ? (splitById.get(v.splitDefinitionId)?.name ?? null) : null,
          value: v.value,
        })),
      };
    });
    return { items, nextCursor };
  }

  /**
   * The sessions made from a template, each with its active time and its sections' active times.
   * A section's time is that of the instances that name it (adopted sessions got their section
   * rows from session_data in SessionSectionsFromData).
   */
  async sessionsFrom(ctx: RequestContext, templateId: string): Promise<TemplateSessionRecord[]> {
    // The literal type lets SQLite use the partial index on template_id of practice sessions.
    const template = await this.data
      .repo(SessionTemplate)
      .createQueryBuilder(ctx, 't')
      .innerJoinAndMapMany('t.sessions', 'Goal', 's', `s.template_id = t.id AND s.type = 'PracticeSession' AND s.deleted_at IS NULL`)
      .andWhere('t.id = :templateId', { templateId })
      .getOne();
    const sessions = ((template as (SessionTemplate & { sessions?: SessionRow[] }) | null)?.sessions ?? []) as SessionRow[];
    const instances: ActivityInstance[] = [];
    for (let i = 0; i < sessions.length; i += CHUNK) {
      const ids = sessions.slice(i, i + CHUNK).map((s) => s.id);
      instances.push(...(await this.data.repo(ActivityInstance).find(ctx, { where: { practiceSessionId: In(ids) } })));
    }
    const sectionRows: SessionSection[] = [];
    for (let i = 0; i < sessions.length; i += CHUNK) {
      const ids = sessions.slice(i, i + CHUNK).map((s) => s.id);
      sectionRows.push(...(await this.data.repo(SessionSection).find(ctx, { where: { sessionId: In(ids) }, order: { position: 'ASC' } })));
    }
    const bySession = new Map<string, ActivityInstance[]>();
    for (const i of instances) bySession.set(i.practiceSessionId, [...(bySession.get(i.practiceSessionId) ?? []), i]);
    const sectionsOf = (s: SessionRow, own: ActivityInstance[]) =>
      sectionRows.filter((x) => x.sessionId === s.id).map((x) => ({ name: x.name, instanceIds: own.filter((i) => i.sectionId === x.id).map((i) => i.id) }));
    const sum = (seconds: (number | null | undefined)[]) => {
      const timed = seconds.filter((d): d is number => typeof d === 'number');
      return timed.length ? timed.reduce((a, b) => a + b, 0) : null;
    };
    return sessions.map((s) => {
      const own = bySession.get(s.id) ?? [];
      const durations = new Map(own.map((i) => [i.id, i.durationSeconds]));
      return {
        id: s.id,
        completed: s.completed,
        sessionStart: s.sessionStart,
        activeSeconds: s.totalDurationSeconds ?? sum(own.map((i) => i.durationSeconds)),
        sections: sectionsOf(s, own).map((section) => ({
          name: section.name,
          activeSeconds: sum(section.instanceIds.map((id) => durations.get(id))),
        })),
      };
    });
  }

  private values(ctx: RequestContext) {
    return this.data.repo(MetricValue).createQueryBuilder(ctx, 'v').withDeleted();
  }
}
