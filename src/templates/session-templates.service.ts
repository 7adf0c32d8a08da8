import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { conflict, notFound } from '../activities/references';
import { isId } from '../http/ids';
import { Page, PageQuery, paginate } from '../http/pagination';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { CreateSessionTemplateDto, TemplateSectionDto, UpdateSessionTemplateDto } from './dto/session-template.dto';
import { SessionTemplateActivity } from './session-template-activity.entity';
import { SessionTemplateSection } from './session-template-section.entity';
import { SessionTemplate } from './session-template.entity';
import { SessionTemplateView, toSessionTemplateView } from './session-template.view';
import { TemplateSessionRecords, TemplateUsage } from './template-records';
import { templateStats, TemplateStatsView } from './template-stats';

@Injectable()
export class SessionTemplatesService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly activities: ActivitiesService,
    private readonly sessions: TemplateSessionRecords,
    private readonly usage: TemplateUsage,
  ) {}

  private get templates() {
    return this.tenantData.repo(SessionTemplate);
  }

  private get sections() {
    return this.tenantData.repo(SessionTemplateSection);
  }

  private get planned() {
    return this.tenantData.repo(SessionTemplateActivity);
  }

  async list(ctx: RequestContext, page: PageQuery): Promise<Page<SessionTemplateView>> {
    const result = await paginate(this.templates.createQueryBuilder(ctx, 't'), 't', page);
    return { items: await this.views(ctx, result.items), nextCursor: result.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<SessionTemplateView> {
    const [view] = await this.views(ctx, [await this.load(ctx, id)]);
    return view;
  }

  async create(ctx: RequestContext, dto: CreateSessionTemplateDto): Promise<SessionTemplateView> {
    await this.checkName(ctx, dto.name);
    const sections = dto.sections ?? [];
    await this.checkActivities(ctx, sections);
    const template = await this.templates.insert(ctx, { id: randomUUID(), name: dto.name, description: dto.description ?? null });
    await this.addSections(ctx, template.id, sections.map((s, position) => ({ s, position })));
    return this.get(ctx, template.id);
  }

  /**
   * `sections`, when sent, is the whole new plan. Rows are reconciled by position: a section or
   * planned activity at a position both plans have is changed in place, the ones past the new end
   * are soft-deleted (under one deletion id), new ones added.
   */
  async update(ctx: RequestContext, id: string, dto: UpdateSessionTemplateDto): Promise<SessionTemplateView> {
    const template = await this.load(ctx, id);
    const patch: Partial<SessionTemplate> = {};
    if (dto.name !== undefined && dto.name !== template.name) {
      await this.checkName(ctx, dto.name);
      patch.name = dto.name;
    }
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.sections) {
      await this.checkActivities(ctx, dto.sections);
      await this.replaceSections(ctx, id, dto.sections);
    }
    // Every PATCH moves the version, even one that changed only the sections.
    await this.templates.update(ctx, { id }, Object.keys(patch).length > 0 ? patch : { name: template.name });
    return this.get(ctx, id);
  }

  /** Soft-deletes the template with its sections, under one deletion; refused while a program uses it. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.load(ctx, id);
    const programs = await this.usage.programsUsing(ctx, id);
    if (programs.length > 0) {
      const names = programs.map((p) => `"${p.name}"`).join(', ');
      throw new ConflictException({
        message: `This template is used by ${programs.length === 1 ? 'the program' : 'the programs'} ${names}; take it out of ${programs.length === 1 ? 'it' : 'them'} first.`,
        details: programs.map((p) => ({ field: 'templateId', message: `used by program "${p.name}" (${p.id})` })),
      });
    }
    const deletionId = randomUUID();
    const sections = await this.sections.find(ctx, { where: { templateId: id } });
    const planned = sections.length ? await this.planned.find(ctx, { where: { sectionId: In(sections.map((s) => s.id)) } }) : [];
    await this.planned.softDelete(ctx, planned.map((p) => p.id), deletionId);
    await this.sections.softDelete(ctx, sections.map((s) => s.id), deletionId);
    await this.templates.softDelete(ctx, [id], deletionId);
  }

  /**
   * Brings back what remove() took (the template, its sections and planned activities), for the
   * trash. 409 when it is not deleted or its name is taken; planned activities deleted since
   * show `deleted: true`, as in any template.
   */
  async restore(ctx: RequestContext, id: string): Promise<{ template: SessionTemplateView; restored: Record<string, number> }> {
    const template = isId(id) ? await this.templates.findById(ctx, id, true) : null;
    if (!template) throw notFound('Session template');
    if (!template.deletedAt || !template.deletionId) throw conflict('templateId', 'This session template is not deleted.');
    await this.checkName(ctx, template.name);
    const restored = {
      sessionTemplates: await this.templates.restore(ctx, template.deletionId),
      sessionTemplateSections: await this.sections.restore(ctx, template.deletionId),
      sessionTemplateActivities: await this.planned.restore(ctx, template.deletionId),
    };
    return { template: await this.get(ctx, id), restored };
  }

  /** Sessions made from the template, and their average active time per section (see templateStats). */
  async stats(ctx: RequestContext, id: string): Promise<TemplateStatsView> {
    await this.load(ctx, id);
    const sections = await this.sections.find(ctx, { where: { templateId: id }, order: { position: 'ASC' } });
    return templateStats(id, sections, await this.sessions.sessionsFrom(ctx, id));
  }

  /** Templates with their sections and planned activities, in three queries whatever their number. */
  private async views(ctx: RequestContext, templates: SessionTemplate[]): Promise<SessionTemplateView[]> {
    if (templates.length === 0) return [];
    const sections = await this.sections.find(ctx, { where: { templateId: In(templates.map((t) => t.id)) } });
    const planned = sections.length ? await this.planned.find(ctx, { where: { sectionId: In(sections.map((s) => s.id)) } }) : [];
    const activityIds = [...new Set(planned.map((p) => p.activityId))];
    const activities = activityIds.length
      ? await this.tenantData.repo(ActivityDefinition).find(ctx, { where: { id: In(activityIds) }, withDeleted: true })
      : [];
    const byId = new Map(activities.map((a) => [a.id, a]));
    return templates.map((t) => toSessionTemplateView(t, sections, planned, byId));
  }

  private async replaceSections(ctx: RequestContext, templateId: string, wanted: TemplateSectionDto[]): Promise<void> {
    const deletionId = randomUUID();
    const current = (await this.sections.find(ctx, { where: { templateId } })).sort((x, y) => x.position - y.position);
    const planned = current.length ? await this.planned.find(ctx, { where: { sectionId: In(current.map((s) => s.id)) } }) : [];
    const surplus = current.slice(wanted.length);
    await this.planned.softDelete(ctx, planned.filter((p) => surplus.some((s) => s.id === p.sectionId)).map((p) => p.id), deletionId);
    await this.sections.softDelete(ctx, surplus.map((s) => s.id), deletionId);
    for (const [position, section] of current.slice(0, wanted.length).entries()) {
      const want = wanted[position];
      // Positions close up too (adopted rows may have gaps); moving down in order never collides.
      if (want.name !== section.name || want.durationMinutes !== section.durationMinutes || section.position !== position) {
        await this.sections.update(ctx, { id: section.id }, { name: want.name, durationMinutes: want.durationMinutes, position });
      }
      const have = planned.filter((p) => p.sectionId === section.id).sort((x, y) => x.position - y.position);
      const next = (want.activities ?? []).map((a) => a.activityId);
      await this.planned.softDelete(ctx, have.slice(next.length).map((p) => p.id), deletionId);
      for (const [slot, row] of have.slice(0, next.length).entries()) {
        if (row.activityId !== next[slot] || row.position !== slot) await this.planned.update(ctx, { id: row.id }, { activityId: next[slot], position: slot });
      }
      const added = next.slice(have.length).map((activityId, k) => ({ sectionId: section.id, activityId, position: have.length + k }));
      if (added.length) await this.planned.insert(ctx, added);
    }
    await this.addSections(ctx, templateId, wanted.slice(current.length).map((s, k) => ({ s, position: current.length + k })));
  }

  private async addSections(ctx: RequestContext, templateId: string, sections: { s: TemplateSectionDto; position: number }[]): Promise<void> {
    if (sections.length === 0) return;
    const rows = sections.map(({ s, position }) => ({ id: randomUUID(), templateId, position, name: s.name, durationMinutes: s.durationMinutes }));
    await this.sections.insert(ctx, rows);
    const planned = rows.flatMap((row, k) =>
      (sections[k].s.activities ?? []).map((a, position) => ({ sectionId: row.id, activityId: a.activityId, position })),
    );
    if (planned.length) await this.planned.insert(ctx, planned);
  }

  /** Every planned activity is a live activity of this root (the body field is named on a miss). */
  private async checkActivities(ctx: RequestContext, sections: TemplateSectionDto[]): Promise<void> {
    const refs = sections.flatMap((s, i) => (s.activities ?? []).map((a, j) => ({ id: a.activityId, field: `sections.${i}.activities.${j}.activityId` })));
    await this.activities.references(ctx, refs.map((r) => r.id), (k) => refs[k].field);
  }

  private async load(ctx: RequestContext, id: string): Promise<SessionTemplate> {
    const template = isId(id) ? await this.templates.findById(ctx, id) : null;
    if (!template) throw notFound('Session template');
    return template;
  }

  private async checkName(ctx: RequestContext, name: string): Promise<void> {
    if (await this.templates.findOne(ctx, { name })) throw conflict('name', `This root already has a session template named "${name}".`);
  }
}
