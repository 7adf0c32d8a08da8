import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { RequestContext } from '../context/request-context';
import { NotesService } from '../notes/notes.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantPatch } from '../tenancy/tenant-repository';
import { ActivityInstance } from './activity-instance.entity';
import { ActivitySet } from './activity-set.entity';
import { AddInstanceDto, UpdateInstanceDto } from './dto/instance.dto';
import { MAX_INSTANCES } from './dto/session.dto';
import { MetricValue } from './metric-value.entity';
import { conflict, invalid, unknownReference } from './session-errors';
import { SessionCompletionService } from './session-completion.service';
import { SessionLayout } from './session-layout';
import { SessionReader } from './session-reader';
import { InstanceView, SessionView } from './session.view';
import { softDeleteAll } from './soft-delete';
import { manual, timerState } from './timer';

/**
 * The activity instances of a session: added, ordered, edited and removed. Each call locks the
 * session's row first (as the timers do), so positions and timers of one session change one
 * request at a time.
 */
@Injectable()
export class InstancesService {
  constructor(
    private readonly data: TenantData,
    private readonly reader: SessionReader,
    private readonly completion: SessionCompletionService,
    private readonly layout: SessionLayout,
    private readonly notes: NotesService,
  ) {}

  private get instances() {
    return this.data.repo(ActivityInstance);
  }

  async add(ctx: RequestContext, sessionId: string, dto: AddInstanceDto): Promise<InstanceView> {
    const session = await this.reader.session(ctx, sessionId, true);
    const activity = await this.data.repo(ActivityDefinition).findById(ctx, dto.activityId);
    if (!activity) throw unknownReference('activityId', 'activityId names no live activity of this root');
    const sectionId = dto.sectionId ?? null;
    if (sectionId) await this.checkSection(ctx, session.id, sectionId, 'sectionId');
    const current = await this.reader.instancesOf(ctx, session.id);
    if (current.length >= MAX_INSTANCES) throw conflict(`A session holds at most ${MAX_INSTANCES} activity instances.`);
    const position = Math.min(dto.position ?? current.length, current.length);
    const created = await this.instances.insert(ctx, { practiceSessionId: session.id, activityDefinitionId: activity.id, sectionId, sortOrder: position });
    await this.renumber(ctx, [...current.slice(0, position), created, ...current.slice(position)]);
    await this.layout.touch(ctx, session);
    return this.reader.instanceView(ctx, created.id);
  }

  /** `ids` must name every live instance of the session, once each. */
  async order(ctx: RequestContext, sessionId: string, ids: string[]): Promise<SessionView> {
    const session = await this.reader.session(ctx, sessionId, true);
    const current = await this.reader.instancesOf(ctx, session.id);
    const byId = new Map(current.map((i) => [i.id, i]));
    const unknown = ids.findIndex((id) => !byId.has(id));
    if (unknown >= 0) throw unknownReference(`ids.${unknown}`, `ids.${unknown} names no activity instance of this session`);
    const missing = current.filter((i) => !ids.includes(i.id));
    if (missing.length) throw invalid('ids', `ids must name every instance of the session; missing: ${missing.map((i) => i.id).join(', ')}`);
    await this.renumber(ctx, ids.map((id) => byId.get(id)!));
    await this.layout.touch(ctx, session);
    return this.reader.view(ctx, session.id);
  }

  async update(ctx: RequestContext, instanceId: string, dto: UpdateInstanceDto): Promise<InstanceView> {
    const found = await this.reader.instance(ctx, instanceId);
    await this.reader.session(ctx, found.practiceSessionId, true);
    const instance = await this.reader.instance(ctx, instanceId);
    const patch: TenantPatch<ActivityInstance> = {};
    if (dto.timeStart !== undefined || dto.timeStop !== undefined) Object.assign(patch, this.manualTimes(instance, dto));
    if (dto.sectionId !== undefined) {
      if (dto.sectionId !== null) await this.checkSection(ctx, instance.practiceSessionId, dto.sectionId, 'sectionId');
      patch.sectionId = dto.sectionId;
    }
    if (dto.notes !== undefined) patch.notes = dto.notes;
    if (dto.completed !== undefined) patch.completed = dto.completed;
    if (Object.keys(patch).length) await this.instances.update(ctx, { id: instance.id }, patch);
    return this.reader.instanceView(ctx, instance.id);
  }

  /** Soft-deletes the instance with its sets, values and the notes about it, under one deletion id. */
  async remove(ctx: RequestContext, instanceId: string): Promise<void> {
    const found = await this.reader.instance(ctx, instanceId);
    const session = await this.reader.session(ctx, found.practiceSessionId, true);
    const instance = await this.reader.instance(ctx, instanceId, true);
    const deletionId = randomUUID();
    const values = await this.data.repo(MetricValue).find(ctx, { where: { activityInstanceId: instance.id } });
    const sets = await this.data.repo(ActivitySet).find(ctx, { where: { activityInstanceId: instance.id } });
    await softDeleteAll(this.data.repo(MetricValue), ctx, values.map((v) => v.id), deletionId);
    await softDeleteAll(this.data.repo(ActivitySet), ctx, sets.map((s) => s.id), deletionId);
    await this.notes.take(ctx, [instance.id], deletionId);
    await this.instances.softDelete(ctx, [instance.id], deletionId);
    await this.layout.touch(ctx, session);
    if (values.length) await this.completion.evaluateValueChange(ctx, instance.practiceSessionId);
  }

  /** Manual times: both, in order, on a timer that is not running; both null clear them. */
  private manualTimes(instance: ActivityInstance, dto: UpdateInstanceDto) {
    if (dto.timeStart === undefined) throw invalid('timeStart', 'timeStart is required with timeStop: manual times are given together');
    if (dto.timeStop === undefined) throw invalid('timeStop', 'timeStop is required with timeStart: manual times are given together');
    if ((dto.timeStart === null) !== (dto.timeStop === null)) {
      const field = dto.timeStart === null ? 'timeStart' : 'timeStop';
      throw invalid(field, `${field} is null while the other is not: give both times, or both null to clear them`);
    }
    const start = dto.timeStart === null ? null : new Date(dto.timeStart);
    const stop = dto.timeStop === null ? null : new Date(dto.timeStop);
    if (start && stop && stop.getTime() < start.getTime()) throw invalid('timeStop', 'timeStop must not be before timeStart');
    const state = timerState(instance);
    if (start && (state === 'running' || state === 'paused')) {
      throw conflict(`This timer is ${state}: stop it before giving manual times.`);
    }
    return manual(start, stop);
  }

  private async checkSection(ctx: RequestContext, sessionId: string, sectionId: string, field: string): Promise<void> {
    const sections = await this.reader.sectionsOf(ctx, sessionId);
    if (!sections.some((s) => s.id === sectionId)) throw unknownReference(field, `${field} names no section of this session`);
  }

  /** Positions 0..n-1 in the given order, writing only the rows that move. */
  private async renumber(ctx: RequestContext, ordered: ActivityInstance[]): Promise<void> {
    for (const [position, i] of ordered.entries()) {
      if (i.sortOrder !== position) await this.instances.update(ctx, { id: i.id }, { sortOrder: position });
    }
  }
}
