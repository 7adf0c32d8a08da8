import { Injectable, NotFoundException } from '@nestjs/common';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityGroupsService } from '../activities/activity-groups.service';
import { RequestContext } from '../context/request-context';
import { GoalDeletionService } from '../goals/goal-deletion.service';
import { isId } from '../http/ids';
import { Page, PageQuery } from '../http/pagination';
import { SessionTemplatesService } from '../templates/session-templates.service';
import { TrashReader } from './trash-reader';
import { TrashItemView, TrashRestoreView } from './trash.view';

const deletionNotFound = () => new NotFoundException('Deletion not found.');

/**
 * The trash lists a root's deletions and restores one by asking the feature that owns its top
 * item, so that the feature's rules hold here too (a deleted parent is a 409, a taken name too).
 */
@Injectable()
export class TrashService {
  constructor(
    private readonly reader: TrashReader,
    private readonly goals: GoalDeletionService,
    private readonly activities: ActivitiesService,
    private readonly groups: ActivityGroupsService,
    private readonly templates: SessionTemplatesService,
  ) {}

  list(ctx: RequestContext, page: PageQuery): Promise<Page<TrashItemView>> {
    return this.reader.list(ctx, page);
  }

  async restore(ctx: RequestContext, deletionId: string): Promise<TrashRestoreView> {
    const top = isId(deletionId) ? (await this.reader.tops(ctx, [deletionId])).get(deletionId) : undefined;
    if (!top) throw deletionNotFound();
    const answer = { deletionId, type: top.type, id: top.id };
    switch (top.type) {
      case 'goal':
      case 'session': {
        const { restored, changed: _changed, ...item } = await this.goals.restore(ctx, top.id);
        return { ...answer, restored, item };
      }
      case 'activity': {
        const { activity, restored } = await this.activities.restore(ctx, top.id);
        return { ...answer, restored, item: activity };
      }
      case 'template': {
        const { template, restored } = await this.templates.restore(ctx, top.id);
        return { ...answer, restored, item: template };
      }
      case 'activityGroup': {
        const { group, restored } = await this.groups.restore(ctx, top.id);
        return { ...answer, restored, item: group };
      }
    }
  }
}
