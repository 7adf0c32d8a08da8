import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { In } from 'typeorm';
import { Goal } from '../goals/goal.entity';
import { Page, PageQuery, paginate } from '../http/pagination';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { MetricValue } from '../sessions/metric-value.entity';
import { RequestContext } from '../tenancy/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivitiesService } from './activities.service';
import { MetricDefinition } from './metric-definition.entity';
import { SplitDefinition } from './split-definition.entity';

export class HistorySessionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: Date, nullable: true })
  sessionStart: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  sessionEnd: Date | null;

  @ApiProperty()
  completed: boolean;
}

export class HistoryValueView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  metricId: string;

  @ApiProperty({ description: 'As the metric is named now; inactive metrics included.' })
  metricName: string;

  @ApiProperty()
  unit: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  splitId: string | null;

  @ApiProperty({ type: String, nullable: true })
  splitName: string | null;

  @ApiProperty()
  value: number;
}

export class HistoryEntryView {
  @ApiProperty({ format: 'uuid', description: 'The activity instance.' })
  id: string;

  @ApiProperty({ type: HistorySessionView })
  session: HistorySessionView;

  @ApiProperty({ description: 'When it was practised: its start, else its session’s start, else when it was added.' })
  date: Date;

  @ApiProperty({ type: Date, nullable: true })
  timeStart: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  timeStop: Date | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Active seconds, pauses excluded.' })
  durationSeconds: number | null;

  @ApiProperty()
  completed: boolean;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ type: [HistoryValueView] })
  values: HistoryValueView[];
}

/** An activity's instances, newest first, each with its session and values: four queries a page. */
@Injectable()
export class ActivityHistoryService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly activities: ActivitiesService,
  ) {}

  async history(ctx: RequestContext, activityId: string, page: PageQuery): Promise<Page<HistoryEntryView>> {
    await this.activities.load(ctx, activityId);
    const qb = this.tenantData
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'i')
      .innerJoin(Goal, 's', 's.root_id = i.root_id AND s.id = i.practice_session_id AND s.deleted_at IS NULL')
      .andWhere('i.activity_definition_id = :activityId', { activityId });
    const { items: instances, nextCursor } = await paginate(qb, 'i', page, { direction: 'DESC' });
    if (instances.length === 0) return { items: [], nextCursor };

    const sessions = await this.tenantData.repo(Goal).find(ctx, { where: { id: In([...new Set(instances.map((i) => i.practiceSessionId))]) } });
    const values = await this.tenantData
      .repo(MetricValue)
      .find(ctx, { where: { activityInstanceId: In(instances.map((i) => i.id)) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const metricIds = [...new Set(values.map((v) => v.metricDefinitionId))];
    const splitIds = [...new Set(values.map((v) => v.splitDefinitionId).filter((id): id is string => id !== null))];
    const [metrics, splits] = await Promise.all([
      metricIds.length ? this.tenantData.repo(MetricDefinition).find(ctx, { where: { id: In(metricIds) }, withDeleted: true }) : [],
      splitIds.length ? this.tenantData.repo(SplitDefinition).find(ctx, { where: { id: In(splitIds) }, withDeleted: true }) : [],
    ]);
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    const metricById = new Map(metrics.map((m) => [m.id, m]));
    const splitById = new Map(splits.map((s) => [s.id, s]));
    const valuesOf = new Map<string, MetricValue[]>();
    for (const v of values) valuesOf.set(v.activityInstanceId, [...(valuesOf.get(v.activityInstanceId) ?? []), v]);

    const items = instances.map((i): HistoryEntryView => {
      const s = sessionById.get(i.practiceSessionId)!;
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
}
