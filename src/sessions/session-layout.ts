import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';
import { SectionInput } from './dto/session.dto';
import { invalid, unknownReference } from './session-errors';
import { SessionReader } from './session-reader';
import { SessionSection } from './session-section.entity';
import { softDeleteAll } from './soft-delete';
import { PlannedSection } from './template-plans';

/**
 * What a session is made of beyond its row: its sections and instances (planted from a plan,
 * rearranged by a PATCH).
 */
@Injectable()
export class SessionLayout {
  constructor(
    private readonly data: TenantData,
    private readonly reader: SessionReader,
  ) {}

  private get sections() {
    return this.data.repo(SessionSection);
  }

  private get instances() {
    return this.data.repo(ActivityInstance);
  }

  /** A new session's sections and instances; activities deleted since the plan was made are left out. */
  async plant(ctx: RequestContext, sessionId: string, plan: PlannedSection[], looseActivityIds: string[]): Promise<void> {
    const wanted = [...new Set([...plan.flatMap((s) => s.activityIds), ...looseActivityIds])];
    const live = new Set(wanted.length ? (await this.data.repo(ActivityDefinition).find(ctx, { where: { id: In(wanted) } })).map((a) => a.id) : []);
    const sections = plan.length
      ? await this.sections.insert(ctx, plan.map((s, position) => ({ sessionId, position, name: s.name, durationMinutes: s.durationMinutes })))
      : [];
    const rows = [
      ...plan.flatMap((s, k) => s.activityIds.map((activityId) => ({ activityId, sectionId: sections[k].id }))),
      ...looseActivityIds.map((activityId) => ({ activityId, sectionId: null as string | null })),
    ].filter((r) => live.has(r.activityId));
    if (rows.length) {
      await this.instances.insert(
        ctx,
        rows.map((r, sortOrder) => ({ practiceSessionId: sessionId, activityDefinitionId: r.activityId, sectionId: r.sectionId, sortOrder })),
      );
    }
  }

  /**
   * A PATCH's sections: the whole layout. Sections keep their ids by position; instances take
   * the order the sections list them in, those in no section after, in the order they had.
   */
  async replace(ctx: RequestContext, sessionId: string, input: SectionInput[]): Promise<void> {
    const instances = await this.reader.instancesOf(ctx, sessionId);
    const ids = new Set(instances.map((i) => i.id));
    const placed = new Map<string, string>();
    input.forEach((s, k) =>
      (s.instanceIds ?? []).forEach((id, j) => {
        const field = `sections.${k}.instanceIds.${j}`;
        if (!ids.has(id)) throw unknownReference(field, `${field} names no activity instance of this session`);
        const first = placed.get(id);
        if (first) throw invalid(field, `${field} names an instance already placed at ${first}`);
        placed.set(id, field);
      }),
    );

    const existing = await this.reader.sectionsOf(ctx, sessionId);
    const sectionIds: string[] = [];
    for (const [position, s] of input.entries()) {
      const durationMinutes = s.durationMinutes ?? null;
      const row = existing.find((e) => e.position === position);
      if (!row) {
        sectionIds.push((await this.sections.insert(ctx, { sessionId, position, name: s.name, durationMinutes })).id);
        continue;
      }
      if (row.name !== s.name || row.durationMinutes !== durationMinutes) await this.sections.update(ctx, { id: row.id }, { name: s.name, durationMinutes });
      sectionIds.push(row.id);
    }

    const sectionOf = new Map<string, string>();
    input.forEach((s, k) => (s.instanceIds ?? []).forEach((id) => sectionOf.set(id, sectionIds[k])));
    const ordered = [...input.flatMap((s) => s.instanceIds ?? []), ...instances.filter((i) => !sectionOf.has(i.id)).map((i) => i.id)];
    const byId = new Map(instances.map((i) => [i.id, i]));
    for (const [sortOrder, id] of ordered.entries()) {
      const i = byId.get(id)!;
      const sectionId = sectionOf.get(id) ?? null;
      if (i.sortOrder !== sortOrder || i.sectionId !== sectionId) await this.instances.update(ctx, { id }, { sortOrder, sectionId });
    }
    const dropped = existing.filter((e) => e.position >= input.length).map((e) => e.id);
    await softDeleteAll(this.sections, ctx, dropped, randomUUID());
  }

  /** Instances added, removed or reordered change the session: its version moves (an update of any column moves it). */
  async touch(ctx: RequestContext, session: Goal): Promise<void> {
    await this.data.repo(Goal).update(ctx, { id: session.id }, { name: session.name });
  }
}
