import { ApiProperty } from '@nestjs/swagger';
import { ActivityDefinition } from './activity-definition.entity';
import { MetricDefinition } from './metric-definition.entity';
import { SplitDefinition } from './split-definition.entity';

export class MetricView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  unit: string;

  @ApiProperty({ description: 'False once left out of its activity while values name it.' })
  isActive: boolean;

  @ApiProperty()
  isTopSetMetric: boolean;

  @ApiProperty()
  isMultiplicative: boolean;

  @ApiProperty()
  higherIsBetter: boolean;

  @ApiProperty({ type: Number, nullable: true })
  min: number | null;

  @ApiProperty({ type: Number, nullable: true })
  max: number | null;

  @ApiProperty()
  sortOrder: number;
}

export class SplitView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  order: number;

  @ApiProperty()
  isActive: boolean;
}

export class ActivityView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  groupId: string | null;

  @ApiProperty()
  hasSets: boolean;

  @ApiProperty()
  hasMetrics: boolean;

  @ApiProperty()
  metricsMultiplicative: boolean;

  @ApiProperty()
  hasSplits: boolean;

  @ApiProperty()
  sortOrder: number;

  @ApiProperty({ type: [MetricView], description: 'The active metrics, in order (at most 3).' })
  metrics: MetricView[];

  @ApiProperty({ type: [SplitView], description: 'The active splits, in order (at most 5).' })
  splits: SplitView[];

  @ApiProperty({ type: [MetricView], description: 'Metrics left out while values name them: their history stays readable.' })
  inactiveMetrics: MetricView[];

  @ApiProperty({ type: [SplitView] })
  inactiveSplits: SplitView[];

  @ApiProperty({ description: 'How many live notes are about it.' })
  noteCount: number;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'Goes up by one on every change; the ETag.' })
  version: number;
}

export function toMetricView(m: MetricDefinition): MetricView {
  return {
    id: m.id,
    name: m.name,
    unit: m.unit,
    isActive: m.isActive,
    isTopSetMetric: m.isTopSetMetric,
    isMultiplicative: m.isMultiplicative,
    higherIsBetter: m.higherIsBetter,
    min: m.minValue,
    max: m.maxValue,
    sortOrder: m.sortOrder,
  };
}

export function toSplitView(s: SplitDefinition): SplitView {
  return { id: s.id, name: s.name, order: s.order, isActive: s.isActive };
}

const byMetricOrder = (x: MetricDefinition, y: MetricDefinition) => x.sortOrder - y.sortOrder || x.name.localeCompare(y.name);
const bySplitOrder = (x: SplitDefinition, y: SplitDefinition) => x.order - y.order || x.name.localeCompare(y.name);

/** An activity with its live metrics and splits (soft-deleted ones are not shown). */
export function toActivityView(a: ActivityDefinition, metrics: MetricDefinition[], splits: SplitDefinition[], noteCount = 0): ActivityView {
  const live = <T extends { deletedAt: Date | null }>(rows: T[]) => rows.filter((r) => !r.deletedAt);
  const m = live(metrics).sort(byMetricOrder);
  const s = live(splits).sort(bySplitOrder);
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    groupId: a.groupId,
    hasSets: a.hasSets,
    hasMetrics: a.hasMetrics,
    metricsMultiplicative: a.metricsMultiplicative,
    hasSplits: a.hasSplits,
    sortOrder: a.sortOrder,
    metrics: m.filter((x) => x.isActive).map(toMetricView),
    splits: s.filter((x) => x.isActive).map(toSplitView),
    inactiveMetrics: m.filter((x) => !x.isActive).map(toMetricView),
    inactiveSplits: s.filter((x) => !x.isActive).map(toSplitView),
    noteCount,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
  };
}
