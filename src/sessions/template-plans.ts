import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { SessionTemplateActivity } from '../templates/session-template-activity.entity';
import { SessionTemplateSection } from '../templates/session-template-section.entity';
import { SessionTemplate } from '../templates/session-template.entity';
import { SessionTemplatesService } from '../templates/session-templates.service';

/** A template's plan as sessions use it: sections in order, each with its activities in order. */
export interface PlannedSection {
  name: string;
  durationMinutes: number | null;
  activityIds: string[];
}

export interface Plan {
  template: SessionTemplate;
  sections: PlannedSection[];
}

/**
 * The one place where sessions read and write templates: a template's plan is its section rows
 * (session_template_sections) with their planned activities (session_template_activities).
 */
@Injectable()
export class TemplatePlans {
  constructor(
    private readonly data: TenantData,
    private readonly templates: SessionTemplatesService,
  ) {}

  /** The live template's plan, or null when the root has no such live template. */
  async planOf(ctx: RequestContext, templateId: string): Promise<Plan | null> {
    const template = await this.data.repo(SessionTemplate).findById(ctx, templateId);
    if (!template) return null;
    const sections = await this.data.repo(SessionTemplateSection).find(ctx, { where: { templateId }, order: { position: 'ASC' } });
    const planned = sections.length
      ? await this.data.repo(SessionTemplateActivity).find(ctx, { where: { sectionId: In(sections.map((s) => s.id)) }, order: { position: 'ASC' } })
      : [];
    return {
      template,
      sections: sections.map((s) => ({
        name: s.name,
        durationMinutes: s.durationMinutes,
        activityIds: planned.filter((p) => p.sectionId === s.id).map((p) => p.activityId),
      })),
    };
  }

  /** Through the templates feature, which checks the name (409) and the activities. */
  save(ctx: RequestContext, name: string, description: string | null, sections: PlannedSection[]) {
    return this.templates.create(ctx, {
      name,
      description,
      sections: sections.map((s) => ({
        name: s.name,
        durationMinutes: s.durationMinutes ?? 0,
        activities: s.activityIds.map((activityId) => ({ activityId })),
      })),
    });
  }
}
