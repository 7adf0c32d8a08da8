import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivitySet } from './activity-set.entity';
import { PutSetsDto, PutValuesDto } from './dto/instance.dto';
import { MetricValue } from './metric-value.entity';
import { instanceNotFound, invalid } from './session-errors';
import { SessionCompletionService } from './session-completion.service';
import { SessionReader } from './session-reader';
import { RecordedInstanceView } from './session.view';
import { InstanceRow, SessionRows, ValueRow } from './session-rows';
import { checkValue, refuseRepeats, slotKey, ValueSlot } from './value-rules';
import { ValueRows } from './value-rows';
import { softDeleteAll } from './soft-delete';

/**
 * Sets and metric values of an instance. Each call locks its session's row, then the
 * instance's (the order every write of a session takes, so that none waits on another in a
 * cycle), so two calls on one instance run one after the other on PostgreSQL too, and the slot
 * each value takes is read after the lock: an upsert never meets a row it did not see. Every
 * input is checked before anything is written; a refusal writes nothing.
 */
@Injectable()
export class ValuesService {
  constructor(
    private readonly data: TenantData,
    private readonly reader: SessionReader,
    private readonly completion: SessionCompletionService,
  ) {}

  /** Upserts one value per (metric, split, set); a null value removes it. */
  async putValues(ctx: RequestContext, instanceId: string, dto: PutValuesDto): Promise<RecordedInstanceView> {
    const instance = await this.locked(ctx, instanceId);
    const shape = await new ValueRows(ctx).shape(instance.activityDefinitionId);
    const hasSets = shape.activity.hasSets;
    const live = await new SessionRows(ctx).values([instance.id]);
    const setCount = hasSets ? await this.setCount(ctx, instance.id, live) : 0;
    const slots = dto.values.map((v, k) => {
      const field = `values.${k}`;
      checkValue(shape, field, v);
      const setIndex = v.setIndex ?? null;
      if (!hasSets && setIndex !== null) throw invalid(`${field}.setIndex`, `${field}.setIndex must be absent: "${shape.activity.name}" has no sets`);
      if (hasSets && setIndex === null) throw invalid(`${field}.setIndex`, `${field}.setIndex is required: "${shape.activity.name}" records sets`);
      return { field, slot: { metricId: v.metricId, splitId: v.splitId ?? null, setIndex: setIndex ?? 0 }, value: v.value };
    });
    refuseRepeats(slots);
    // New sets may follow the existing ones, in order, without a gap.
    const added = [...new Set(slots.map((s) => s.slot.setIndex).filter((i) => hasSets && i >= setCount))].sort((a, b) => a - b);
    added.forEach((index, n) => {
      if (index !== setCount + n) {
        const at = slots.find((s) => s.slot.setIndex === index)!;
        throw invalid(`${at.field}.setIndex`, `${at.field}.setIndex names set ${index}, but the instance has ${setCount} sets: values may add the next sets, ${setCount} first`);
      }
    });

    const existing = bySlot(live);
    const remove: string[] = [];
    for (const { slot, value } of slots) {
      const row = existing.get(slotKey(slot));
      if (value === null) {
        if (row) remove.push(row.id);
      } else if (row) {
        if (Number(row.value) !== value) await this.values.update(ctx, { id: row.id }, { value });
      } else {
        await this.values.insert(ctx, this.newValue(instance, slot, value));
      }
    }
    if (added.length) await this.sets.insert(ctx, added.map((position) => ({ activityInstanceId: instance.id, position, notes: null })));
    await softDeleteAll(this.values, ctx, remove, randomUUID());
    return this.recorded(ctx, instance);
  }

  /** Replaces the sets of an instance, and their values, as a whole. */
  async putSets(ctx: RequestContext, instanceId: string, dto: PutSetsDto): Promise<RecordedInstanceView> {
    const instance = await this.locked(ctx, instanceId);
    const shape = await new ValueRows(ctx).shape(instance.activityDefinitionId);
    if (!shape.activity.hasSets) {
      throw invalid('sets', `"${shape.activity.name}" has no sets: record its values with PUT /activity-instances/${instance.id}/metrics`);
    }
    const wanted = dto.sets.flatMap((set, position) => {
      const slots = set.values.map((v, k) => {
        const field = `sets.${position}.values.${k}`;
        checkValue(shape, field, v);
        return { field, slot: { metricId: v.metricId, splitId: v.splitId ?? null, setIndex: position }, value: v.value };
      });
      refuseRepeats(slots);
      return slots;
    });

    const deletionId = randomUUID();
    const rows = await this.sets.find(ctx, { where: { activityInstanceId: instance.id } });
    for (const [position, set] of dto.sets.entries()) {
      const notes = set.notes ?? null;
      const row = rows.find((r) => r.position === position);
      if (!row) await this.sets.insert(ctx, { activityInstanceId: instance.id, position, notes });
      else if (row.notes !== notes) await this.sets.update(ctx, { id: row.id }, { notes });
    }
    await softDeleteAll(this.sets, ctx, rows.filter((r) => r.position >= dto.sets.length).map((r) => r.id), deletionId);

    const existing = bySlot(await new SessionRows(ctx).values([instance.id]));
    const kept = new Set<string>();
    for (const { slot, value } of wanted) {
      const key = slotKey(slot);
      const row = existing.get(key);
      kept.add(key);
      if (!row) await this.values.insert(ctx, this.newValue(instance, slot, value));
      else if (Number(row.value) !== value) await this.values.update(ctx, { id: row.id }, { value });
    }
    const gone = [...existing.entries()].filter(([key]) => !kept.has(key)).map(([, row]) => row.id);
    await softDeleteAll(this.values, ctx, gone, deletionId);
    return this.recorded(ctx, instance);
  }

  /**
   * The instance, its session's row locked, then its own: where write units run one at a time
   * (Dialect.serializedWrites) nothing can change them before the unit ends, and one read does.
   */
  private async locked(ctx: RequestContext, instanceId: string): Promise<InstanceRow> {
    const found = await new SessionRows(ctx).instance(instanceId);
    if (!found) throw instanceNotFound();
    if (dialectOf(ctx.requireManager().connection).serializedWrites) return found;
    await this.reader.session(ctx, found.practiceSessionId, true);
    return this.reader.instance(ctx, instanceId, true);
  }

  private get values() {
    return this.data.repo(MetricValue);
  }

  private get sets() {
    return this.data.repo(ActivitySet);
  }

  private newValue(instance: InstanceRow, slot: ValueSlot, value: number) {
    return {
      activityInstanceId: instance.id,
      metricDefinitionId: slot.metricId,
      splitDefinitionId: slot.splitId,
      setIndex: slot.setIndex,
      value,
    };
  }

  /** Recording values changes no column of the instance: the row read under the lock is still its state. */
  private async recorded(ctx: RequestContext, instance: InstanceRow): Promise<RecordedInstanceView> {
    const changed = await this.completion.evaluateValueChange(ctx, instance.practiceSessionId);
    return { ...(await this.reader.instanceView(ctx, instance)), changed };
  }

  /** Sets are positions 0..n-1: rows, and (in adopted files) values that name a set without a row. */
  private async setCount(ctx: RequestContext, instanceId: string, values: ValueRow[]): Promise<number> {
    return Math.max(await new ValueRows(ctx).setRowCount(instanceId), ...values.map((v) => v.setIndex + 1));
  }
}

const bySlot = (rows: ValueRow[]) => new Map(rows.map((r) => [slotKey({ metricId: r.metricDefinitionId, splitId: r.splitDefinitionId, setIndex: r.setIndex }), r]));
