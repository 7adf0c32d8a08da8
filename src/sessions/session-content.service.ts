import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { ContentCounts, InstanceEvidence, SessionContent, TakenContent, ValueEvidence } from '../goals/session-content';
import { NotesService } from '../notes/notes.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantEntityClass, TenantWhere } from '../tenancy/tenant-repository';
import { ActivityInstance } from './activity-instance.entity';
import { ActivitySet } from './activity-set.entity';
import { MetricValue } from './metric-value.entity';
import { SessionSection } from './session-section.entity';
import { softDeleteAll } from './soft-delete';

/** IN lists of at most this many ids per query. */
const CHUNK = 500;

/** The content of sessions, as the goal tree's targets and deletes ask for it (its port SessionContent). */
@Injectable()
export class SessionContentRecords implements SessionContent {
  constructor(
    private readonly data: TenantData,
    private readonly notes: NotesService,
  ) {}

  instancesOf(ctx: RequestContext, activityId: string): Promise<InstanceEvidence[]> {
    return this.data
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'i')
      .select(['i.id', 'i.practiceSessionId', 'i.timeStart'])
      .andWhere('i.activity_definition_id = :activityId', { activityId })
      .getMany();
  }

  async valuesOf(ctx: RequestContext, metricId: string): Promise<ValueEvidence[]> {
    const rows = await this.data
      .repo(MetricValue)
      .createQueryBuilder(ctx, 'v')
      .select(['v.id', 'v.activityInstanceId', 'v.metricDefinitionId', 'v.value'])
      .andWhere('v.metric_definition_id = :metricId', { metricId })
      .getMany();
    return rows.map((v) => ({ activityInstanceId: v.activityInstanceId, metricDefinitionId: v.metricDefinitionId, value: Number(v.value) }));
  }

  /** Children first: values and sets, then instances (with the notes about them), then sections. */
  async take(ctx: RequestContext, sessionIds: string[], deletionId: string): Promise<TakenContent> {
    const instances = await this.ids(ctx, ActivityInstance, 'practiceSessionId', sessionIds);
    const metricValues = await this.ids(ctx, MetricValue, 'activityInstanceId', instances);
    const sets = await this.ids(ctx, ActivitySet, 'activityInstanceId', instances);
    const sections = await this.ids(ctx, SessionSection, 'sessionId', sessionIds);
    await softDeleteAll(this.data.repo(MetricValue), ctx, metricValues, deletionId);
    await softDeleteAll(this.data.repo(ActivitySet), ctx, sets, deletionId);
    const notes = await this.notes.take(ctx, instances, deletionId);
    await softDeleteAll(this.data.repo(ActivityInstance), ctx, instances, deletionId);
    await softDeleteAll(this.data.repo(SessionSection), ctx, sections, deletionId);
    return { sections: sections.length, activityInstances: instances.length, sets: sets.length, metricValues: metricValues.length, notes };
  }

  /** Parents first, so that no live row names a deleted one in between. */
  async restore(ctx: RequestContext, deletionId: string): Promise<ContentCounts> {
    const sections = await this.data.repo(SessionSection).restore(ctx, deletionId);
    const activityInstances = await this.data.repo(ActivityInstance).restore(ctx, deletionId);
    const sets = await this.data.repo(ActivitySet).restore(ctx, deletionId);
    const metricValues = await this.data.repo(MetricValue).restore(ctx, deletionId);
    return { sections, activityInstances, sets, metricValues };
  }

  private async ids<T extends TenantEntity>(ctx: RequestContext, entity: TenantEntityClass<T>, column: keyof T & string, values: string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < values.length; i += CHUNK) {
      const where = { [column]: In(values.slice(i, i + CHUNK)) } as TenantWhere<T>;
      out.push(...(await this.data.repo(entity).find(ctx, { where })).map((r) => r.id));
    }
    return out;
  }
}
