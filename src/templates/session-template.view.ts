import { ApiProperty } from '@nestjs/swagger';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { SessionTemplateActivity } from './session-template-activity.entity';
import { SessionTemplateSection } from './session-template-section.entity';
import { SessionTemplate } from './session-template.entity';

export class TemplateActivityView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  activityId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'The activity was deleted since: saving the template again needs another one.' })
  deleted: boolean;
}

export class TemplateSectionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  position: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null only for adopted sections that had none.' })
  durationMinutes: number | null;

  @ApiProperty({ type: [TemplateActivityView] })
  activities: TemplateActivityView[];
}

export class SessionTemplateView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: [TemplateSectionView] })
  sections: TemplateSectionView[];

  @ApiProperty()
  totalDurationMinutes: number;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'Goes up by one on every change; the ETag.' })
  version: number;
}

export function toSessionTemplateView(
  template: SessionTemplate,
  sections: SessionTemplateSection[],
  planned: SessionTemplateActivity[],
  activities: Map<string, ActivityDefinition>,
): SessionTemplateView {
  const own = sections.filter((s) => s.templateId === template.id).sort((x, y) => x.position - y.position);
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    sections: own.map((s) => ({
      id: s.id,
      position: s.position,
      name: s.name,
      durationMinutes: s.durationMinutes,
      activities: planned
        .filter((p) => p.sectionId === s.id)
        .sort((x, y) => x.position - y.position)
        .map((p) => {
          const activity = activities.get(p.activityId);
          return { id: p.id, activityId: p.activityId, name: activity?.name ?? '', deleted: !activity || activity.deletedAt !== null };
        }),
    })),
    totalDurationMinutes: own.reduce((sum, s) => sum + (s.durationMinutes ?? 0), 0),
    createdAt: template.createdAt,
    updatedAt: template.updatedAt,
    version: template.version,
  };
}
