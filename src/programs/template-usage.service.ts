import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { TemplateUsage } from '../templates/template-records';
import { TenantData } from '../tenancy/tenant-data.service';
import { ProgramBlock } from './program-block.entity';
import { ProgramDay } from './program-day.entity';
import { Program } from './program.entity';
import { ScheduledSession } from './scheduled-session.entity';

/** Which live programs schedule a template: through their live blocks, days and scheduled sessions. */
@Injectable()
export class ProgramTemplateUsage implements TemplateUsage {
  constructor(private readonly data: TenantData) {}

  programsUsing(ctx: RequestContext, templateId: string): Promise<{ id: string; name: string }[]> {
    return this.data
      .repo(ScheduledSession)
      .createQueryBuilder(ctx, 'ss')
      .innerJoin(ProgramDay, 'd', 'd.root_id = ss.root_id AND d.id = ss.day_id AND d.deleted_at IS NULL')
      .innerJoin(ProgramBlock, 'b', 'b.root_id = d.root_id AND b.id = d.block_id AND b.deleted_at IS NULL')
      .innerJoin(Program, 'p', 'p.root_id = b.root_id AND p.id = b.program_id AND p.deleted_at IS NULL')
      .select('p.id', 'id')
      .addSelect('p.name', 'name')
      .distinct(true)
      .andWhere('ss.session_template_id = :templateId', { templateId })
      .orderBy('p.name', 'ASC')
      .getRawMany<{ id: string; name: string }>();
  }
}
