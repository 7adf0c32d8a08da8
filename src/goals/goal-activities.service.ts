import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { Goal } from './goal.entity';
import { isId } from '../http/ids';
import { PageQuery, paginate } from '../http/pagination';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { ActivityGroup } from '../activities/activity-group.entity';
import { PutGoalActivitiesDto } from './dto/goal-activities.dto';
import { ActivitySourceView, EffectiveActivitiesPage, GoalActivityLinksView } from './goal-activities.view';
import { GoalActivityGroup } from '../activities/goal-activity-group.entity';
import { GoalActivity } from '../activities/goal-activity.entity';
import { invalid, missingReference, notFound } from '../activities/references';

/** More levels than a fractal has: a longer parent chain can only be a cycle. */
const MAX_CHAIN = 16;

@Injectable()
export class GoalActivitiesService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly activities: ActivitiesService,
  ) {}

  private get goals() {
    return this.tenantData.repo(Goal);
  }

  private get links() {
    return this.tenantData.repo(GoalActivity);
  }

  private get groupLinks() {
    return this.tenantData.repo(GoalActivityGroup);
  }

  /**
   * Replaces the goal's own links with the lists sent: links no longer named are soft-deleted
   * (under one deletion id), new ones added, the rest left alone. The goal's version moves.
   */
  async put(ctx: RequestContext, goalId: string, dto: PutGoalActivitiesDto): Promise<GoalActivityLinksView> {
    const goal = await this.load(ctx, goalId);
    if (goal.type === 'PracticeSession') {
      throw new ConflictException('A practice session takes activities as instances of the session, not as links.');
    }
    if (dto.inheritParentActivities && !goal.parentId) throw invalid('inheritParentActivities', 'a root has no parent to inherit from');
    await this.activities.references(ctx, dto.activityIds, (i) => `activityIds.${i}`);
    const groups = dto.groupIds.length ? await this.tenantData.repo(ActivityGroup).find(ctx, { where: { id: In(dto.groupIds) } }) : [];
    const found = new Set(groups.map((g) => g.id));
    dto.groupIds.forEach((id, i) => {
      if (!found.has(id)) throw missingReference(`groupIds.${i}`, 'Activity group');
    });

    const deletionId = randomUUID();
    const [links, groupLinks] = await Promise.all([this.links.find(ctx, { where: { goalId } }), this.groupLinks.find(ctx, { where: { goalId } })]);
    const wantActivities = new Set(dto.activityIds);
    const wantGroups = new Set(dto.groupIds);
    await this.links.softDelete(ctx, links.filter((l) => !wantActivities.has(l.activityId)).map((l) => l.id), deletionId);
    await this.groupLinks.softDelete(ctx, groupLinks.filter((l) => !wantGroups.has(l.groupId)).map((l) => l.id), deletionId);
    const haveActivities = new Set(links.map((l) => l.activityId));
    const haveGroups = new Set(groupLinks.map((l) => l.groupId));
    const newLinks = dto.activityIds.filter((id) => !haveActivities.has(id)).map((activityId) => ({ goalId, activityId }));
    const newGroupLinks = dto.groupIds.filter((id) => !haveGroups.has(id)).map((groupId) => ({ goalId, groupId }));
    if (newLinks.length) await this.links.insert(ctx, newLinks);
    if (newGroupLinks.length) await this.groupLinks.insert(ctx, newGroupLinks);
    await this.goals.update(ctx, { id: goalId }, { inheritParentActivities: dto.inheritParentActivities ?? goal.inheritParentActivities });
    return this.ownLinks(ctx, await this.load(ctx, goalId));
  }

  /**
   * The goal's effective activities: its own links, the activities of its linked groups (nested
   * groups included), and, while a goal says so, its parent's, up the tree. Each carries the links
   * that bring it. Deleted activities, groups and links do not count.
   */
  async effective(ctx: RequestContext, goalId: string, page: PageQuery): Promise<EffectiveActivitiesPage> {
    const goal = await this.load(ctx, goalId);
    const chain = [goal];
    for (let current = goal; current.inheritParentActivities && current.parentId && chain.length < MAX_CHAIN; ) {
      const parent = await this.goals.findById(ctx, current.parentId);
      if (!parent) break;
      chain.push(parent);
      current = parent;
    }
    const chainIds = chain.map((g) => g.id);
    const [links, groupLinks] = await Promise.all([
      this.links.find(ctx, { where: { goalId: In(chainIds) } }),
      this.groupLinks.find(ctx, { where: { goalId: In(chainIds) } }),
    ]);
    const sources = new Map<string, ActivitySourceView[]>();
    const add = (key: string, source: ActivitySourceView) => sources.set(key, [...(sources.get(key) ?? []), source]);
    for (const l of links) add(`a:${l.activityId}`, { goalId: l.goalId, groupId: null });
    const groupSources = new Map<string, ActivitySourceView[]>();
    if (groupLinks.length > 0) {
      const subtree = await this.subtrees(ctx);
      for (const l of groupLinks) {
        for (const id of subtree(l.groupId)) groupSources.set(id, [...(groupSources.get(id) ?? []), { goalId: l.goalId, groupId: l.groupId }]);
      }
    }
    const activityIds = [...new Set(links.map((l) => l.activityId))];
    const groupIds = [...groupSources.keys()];

    const qb = this.tenantData.repo(ActivityDefinition).createQueryBuilder(ctx, 'a');
    const terms = [activityIds.length ? 'a.id IN (:...activityIds)' : '', groupIds.length ? 'a.group_id IN (:...groupIds)' : ''].filter(Boolean);
    qb.andWhere(terms.length ? `(${terms.join(' OR ')})` : '1 = 0', { activityIds, groupIds });
    const result = await paginate(qb, 'a', page);
    const views = await this.activities.views(ctx, result.items);
    const items = views.map((v, i) => {
      const groupId = result.items[i].groupId;
      return { ...v, sources: [...(sources.get(`a:${v.id}`) ?? []), ...(groupId ? (groupSources.get(groupId) ?? []) : [])] };
    });
    return { ...(await this.ownLinks(ctx, goal)), items, nextCursor: result.nextCursor };
  }

  private async ownLinks(ctx: RequestContext, goal: Goal): Promise<GoalActivityLinksView> {
    const [links, groupLinks] = await Promise.all([
      this.links.find(ctx, { where: { goalId: goal.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
      this.groupLinks.find(ctx, { where: { goalId: goal.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return {
      goalId: goal.id,
      activityIds: links.map((l) => l.activityId),
      groupIds: groupLinks.map((l) => l.groupId),
      inheritParentActivities: goal.inheritParentActivities,
      version: goal.version,
    };
  }

  /** The live groups of the root, as a function from a group to itself and every group nested in it. */
  private async subtrees(ctx: RequestContext): Promise<(groupId: string) => string[]> {
    const groups = await this.tenantData.repo(ActivityGroup).find(ctx);
    const children = new Map<string, string[]>();
    for (const g of groups) if (g.parentId) children.set(g.parentId, [...(children.get(g.parentId) ?? []), g.id]);
    const live = new Set(groups.map((g) => g.id));
    return (groupId) => {
      const out: string[] = [];
      const todo = live.has(groupId) ? [groupId] : [];
      while (todo.length > 0 && out.length <= groups.length) {
        const id = todo.pop()!;
        out.push(id);
        todo.push(...(children.get(id) ?? []));
      }
      return out;
    };
  }

  private async load(ctx: RequestContext, id: string): Promise<Goal> {
    const goal = isId(id) ? await this.goals.findById(ctx, id) : null;
    if (!goal) throw notFound('Goal');
    return goal;
  }
}
