import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In, IsNull } from 'typeorm';
import { isId } from '../http/ids';
import { Page, PageQuery, paginate } from '../http/pagination';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityDefinition } from './activity-definition.entity';
import { ActivityGroup } from './activity-group.entity';
import { ActivityGroupView, toActivityGroupView } from './activity-group.view';
import { CreateActivityGroupDto, OrderActivityGroupsDto, UpdateActivityGroupDto } from './dto/activity-group.dto';
import { GoalActivityGroup } from './goal-activity-group.entity';
import { conflict, invalid, missingReference, notFound } from './references';

/** Deeper than any real nesting: a parent chain this long can only be a cycle. */
const MAX_DEPTH = 1000;

@Injectable()
export class ActivityGroupsService {
  constructor(private readonly tenantData: TenantData) {}

  private get groups() {
    return this.tenantData.repo(ActivityGroup);
  }

  /** Every group of the root, siblings in their order (sort_order, then age). */
  async list(ctx: RequestContext, page: PageQuery): Promise<Page<ActivityGroupView>> {
    const result = await paginate(this.groups.createQueryBuilder(ctx, 'g'), 'g', page, { lead: 'sort_order' });
    return { items: result.items.map(toActivityGroupView), nextCursor: result.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<ActivityGroupView> {
    return toActivityGroupView(await this.load(ctx, id));
  }

  async create(ctx: RequestContext, dto: CreateActivityGroupDto): Promise<ActivityGroupView> {
    await this.checkName(ctx, dto.name);
    const parentId = dto.parentId ?? null;
    if (parentId) await this.reference(ctx, parentId, 'parentId');
    const group = await this.groups.insert(ctx, {
      name: dto.name,
      description: dto.description ?? null,
      parentId,
      sortOrder: await this.nextPosition(ctx, parentId),
    });
    return this.get(ctx, group.id);
  }

  async update(ctx: RequestContext, id: string, dto: UpdateActivityGroupDto): Promise<ActivityGroupView> {
    const group = await this.load(ctx, id);
    const patch: Partial<ActivityGroup> = {};
    if (dto.name !== undefined && dto.name !== group.name) {
      await this.checkName(ctx, dto.name);
      patch.name = dto.name;
    }
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.parentId !== undefined && dto.parentId !== group.parentId) {
      if (dto.parentId !== null) await this.checkMove(ctx, group, dto.parentId);
      patch.parentId = dto.parentId;
      patch.sortOrder = await this.nextPosition(ctx, dto.parentId);
    }
    // Even an empty patch is a write: its version moves, so If-Match keeps meaning "unchanged since".
    await this.groups.update(ctx, { id }, Object.keys(patch).length > 0 ? patch : { name: group.name });
    return this.get(ctx, id);
  }

  /**
   * Soft-deletes the group and its goal links under one deletion. Its activities move to no
   * group and its child groups to its parent: neither is deleted with it.
   */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const group = await this.load(ctx, id);
    const deletionId = randomUUID();
    await this.tenantData.repo(ActivityDefinition).update(ctx, { groupId: id }, { groupId: null });
    const children = await this.groups.find(ctx, { where: { parentId: id } });
    let position = await this.nextPosition(ctx, group.parentId);
    for (const child of children.sort((a, b) => a.sortOrder - b.sortOrder)) {
      await this.groups.update(ctx, { id: child.id }, { parentId: group.parentId, sortOrder: position++ });
    }
    const links = await this.tenantData.repo(GoalActivityGroup).find(ctx, { where: { groupId: id } });
    await this.tenantData.repo(GoalActivityGroup).softDelete(ctx, links.map((l) => l.id), deletionId);
    await this.groups.softDelete(ctx, [id], deletionId);
  }

  /**
   * Brings back what remove() took (the group and its goal links), for the trash, last among
   * its parent's groups. Its activities and groups stay where the delete moved them. 409 when
   * it is not deleted, its parent is deleted (restore that first), or its name is taken.
   */
  async restore(ctx: RequestContext, id: string): Promise<{ group: ActivityGroupView; restored: Record<string, number> }> {
    const group = isId(id) ? await this.groups.findById(ctx, id, true) : null;
    if (!group) throw notFound('Activity group');
    if (!group.deletedAt || !group.deletionId) throw conflict('groupId', 'This activity group is not deleted.');
    if (group.parentId && !(await this.groups.findById(ctx, group.parentId))) {
      throw conflict('parentId', `Its parent group ${group.parentId} is deleted: restore the parent first.`);
    }
    await this.checkName(ctx, group.name);
    const sortOrder = await this.nextPosition(ctx, group.parentId);
    const restored = {
      activityGroups: await this.groups.restore(ctx, group.deletionId),
      goalActivityGroups: await this.tenantData.repo(GoalActivityGroup).restore(ctx, group.deletionId),
    };
    await this.groups.update(ctx, { id }, { sortOrder });
    return { group: await this.get(ctx, id), restored };
  }

  /** Sets the order of the groups of one parent; the list must name each of them once. */
  async order(ctx: RequestContext, dto: OrderActivityGroupsDto): Promise<Page<ActivityGroupView>> {
    const found = await this.groups.find(ctx, { where: { id: In(dto.ids) } });
    const byId = new Map(found.map((g) => [g.id, g]));
    dto.ids.forEach((id, i) => {
      if (!byId.has(id)) throw missingReference(`ids.${i}`, 'Activity group');
    });
    const parentId = byId.get(dto.ids[0])!.parentId;
    dto.ids.forEach((id, i) => {
      if (byId.get(id)!.parentId !== parentId) throw invalid(`ids.${i}`, 'every id must be a group of the same parent as ids.0');
    });
    const siblings = await this.groups.count(ctx, { parentId: parentId ?? IsNull() });
    if (siblings !== dto.ids.length) {
      throw invalid('ids', `that parent has ${siblings} groups and ids lists ${dto.ids.length}: send all of them, in the new order`);
    }
    for (const [position, id] of dto.ids.entries()) {
      if (byId.get(id)!.sortOrder !== position) await this.groups.update(ctx, { id }, { sortOrder: position });
    }
    const ordered = await this.groups.find(ctx, { where: { id: In(dto.ids) }, order: { sortOrder: 'ASC' } });
    return { items: ordered.map(toActivityGroupView), nextCursor: null };
  }

  /** A live group of this root named in a body field, or that field's 404. */
  async reference(ctx: RequestContext, id: string, field: string): Promise<ActivityGroup> {
    const group = await this.groups.findById(ctx, id);
    if (!group) throw missingReference(field, 'Activity group');
    return group;
  }

  private async load(ctx: RequestContext, id: string): Promise<ActivityGroup> {
    const group = isId(id) ? await this.groups.findById(ctx, id) : null;
    if (!group) throw notFound('Activity group');
    return group;
  }

  private async checkName(ctx: RequestContext, name: string): Promise<void> {
    if (await this.groups.findOne(ctx, { name })) throw conflict('name', `This root already has an activity group named "${name}".`);
  }

  /** The new parent exists, and is neither the group nor one of its descendants. */
  private async checkMove(ctx: RequestContext, group: ActivityGroup, parentId: string): Promise<void> {
    let current: ActivityGroup | null = await this.reference(ctx, parentId, 'parentId');
    for (let depth = 0; current && depth < MAX_DEPTH; depth++) {
      if (current.id === group.id) throw conflict('parentId', 'A group cannot move under itself or one of its own groups.');
      current = current.parentId ? await this.groups.findById(ctx, current.parentId) : null;
    }
  }

  /** The position after the last group of a parent. */
  private async nextPosition(ctx: RequestContext, parentId: string | null): Promise<number> {
    const qb = this.groups.createQueryBuilder(ctx, 'g').select('MAX(g.sort_order)', 'last');
    if (parentId) qb.andWhere('g.parent_id = :parentId', { parentId });
    else qb.andWhere('g.parent_id IS NULL');
    const row = await qb.andWhere('g.deleted_at IS NULL').getRawOne<{ last: number | string | null }>();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
  }
}
