import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { NotesService } from '../notes/notes.service';
import { TenantData } from '../tenancy/tenant-data.service';
import { Changes } from './changes';
import { CompletionService } from './completion.service';
import { CreateGoalDto, MoveGoalDto, TreeQuery, UpdateGoalDto } from './dto/goal.dto';
import { Goal } from './goal.entity';
import { badField, conflict, goalNotFound } from './goal-errors';
import { chunks, GoalReader } from './goal-reader';
import { GoalTarget } from './goal-target.entity';
import { GoalTree } from './goal-tree';
import { GOAL_TYPES } from './goal.types';
import { GoalNode, toGoalView } from './goal.view';
import { LevelsService } from './levels.service';
import { TargetCondition } from './target-condition.entity';
import { TargetsService } from './targets.service';
import { checkLevel, checkRoom, deadlineBound, nextOrder } from './tree-rules';

const DAY_MS = 24 * 3600 * 1000;
const COPY_SUFFIX = ' (copy)';

/**
 * The goal tree of one root: reading it, adding, changing, moving and copying goals (deleting
 * and restoring are GoalDeletionService's), under the level rules (each level directly below its parent's, the root
 * fixed, no cycle, a level's maxChildren and descriptionRequired, deadlines within the
 * parent's), with the completion cascades and target evaluations that each change calls for.
 */
@Injectable()
export class GoalsService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly reader: GoalReader,
    private readonly levels: LevelsService,
    private readonly completion: CompletionService,
    private readonly targets: TargetsService,
    private readonly notes: NotesService,
  ) {}

  private get goals() {
    return this.reader.goals;
  }

  async tree(ctx: RequestContext, query: TreeQuery): Promise<GoalNode> {
    const tree = await this.reader.tree(ctx, { sessions: query.include === 'sessions' });
    const root = tree.get(ctx.requireRoot());
    if (!root) throw goalNotFound();
    return this.nest(tree, root);
  }

  async get(ctx: RequestContext, goalId: string, query: TreeQuery) {
    const goal = await this.reader.live(ctx, goalId);
    // A session, and what hangs below one, always shows its own subtree.
    const below = goal.type === 'PracticeSession' || GOAL_TYPES.indexOf(goal.type) > GOAL_TYPES.indexOf('PracticeSession');
    const tree = await this.reader.tree(ctx, { sessions: below || query.include === 'sessions' });
    const node = tree.get(goal.id);
    if (!node) throw goalNotFound();
    return {
      ...this.nest(tree, node),
      breadcrumb: tree.ancestorsOf(node.id).map((a) => ({ id: a.id, type: a.type, name: a.name })),
      targets: await this.targets.ofGoal(ctx, node.id),
      noteCount: await this.notes.countOf(ctx, node.id),
    };
  }

  async create(ctx: RequestContext, dto: CreateGoalDto) {
    const parent = await this.reader.named(ctx, dto.parentId, 'parentId');
    checkLevel(parent.type, dto.type, 'type');
    await this.reader.lock(ctx, parent.id);
    const levels = await this.levels.all(ctx);
    const level = levels[dto.type];
    if (level.descriptionRequired && !dto.description?.trim()) {
      throw badField('description', `a description is required for ${level.displayName} goals in this root`);
    }
    const siblings = await this.goals.find(ctx, { where: { parentId: parent.id } });
    checkRoom(levels[parent.type], siblings.length);
    const tree = await this.reader.tree(ctx);
    const bound = deadlineBound(tree, parent.id);
    let deadline = dto.deadline === undefined || dto.deadline === null ? null : new Date(dto.deadline);
    if (deadline && bound && deadline > bound) throw badField('deadline', `must not be later than its parent's deadline, ${bound.toISOString()}`);
    if (dto.deadline === undefined && level.defaultDeadlineOffsetDays !== null) {
      const offset = new Date(Date.now() + level.defaultDeadlineOffsetDays * DAY_MS);
      deadline = bound && bound < offset ? bound : offset;
    }
    const goal = await this.goals.insert(ctx, {
      parentId: parent.id,
      type: dto.type,
      name: dto.name,
      description: dto.description ?? null,
      relevance: dto.relevance ?? null,
      deadline,
      sortOrder: nextOrder(siblings),
    });
    const changes = new Changes();
    // A new open child re-opens a parent that its children had completed.
    await this.completion.cascade(ctx, await this.reader.tree(ctx), [parent.id], changes, {});
    return { ...toGoalView(await this.reader.live(ctx, goal.id)), changed: changes.view(goal.id) };
  }

  async update(ctx: RequestContext, goalId: string, dto: UpdateGoalDto) {
    const goal = await this.reader.live(ctx, goalId);
    if ('description' in dto && dto.description !== undefined && !dto.description?.trim()) {
      const level = await this.levels.of(ctx, goal.type);
      if (level.descriptionRequired) throw badField('description', `a description is required for ${level.displayName} goals in this root`);
    }
    const patch: Partial<Goal> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.relevance !== undefined) patch.relevance = dto.relevance;
    if (dto.sortOrder !== undefined) patch.sortOrder = dto.sortOrder;
    const changes = new Changes();
    if (dto.deadline !== undefined) {
      const deadline = dto.deadline === null ? null : new Date(dto.deadline);
      const tree = await this.reader.tree(ctx);
      const bound = goal.parentId ? deadlineBound(tree, goal.parentId) : null;
      if (deadline && bound && deadline > bound) throw badField('deadline', `must not be later than its parent's deadline, ${bound.toISOString()}`);
      patch.deadline = deadline;
      if (deadline) await this.pullDeadlines(ctx, tree, goal.id, deadline, changes);
    }
    if (Object.keys(patch).length > 0) await this.goals.update(ctx, { id: goal.id }, patch);
    return { ...toGoalView(await this.reader.live(ctx, goal.id)), changed: changes.view(goal.id) };
  }

  /**
   * Moves every deadline below a goal that is later than `deadline` to it (the goal's own is
   * set by the caller): the root's PATCH and the goal's PATCH both keep the rule this way.
   */
  async pullDeadlines(ctx: RequestContext, tree: GoalTree<Goal>, goalId: string, deadline: Date, changes: Changes): Promise<void> {
    for (const below of tree.subtreeOf(goalId).slice(1)) {
      if (!below.deadline || below.deadline <= deadline) continue;
      below.deadline = deadline;
      await this.goals.update(ctx, { id: below.id }, { deadline });
      changes.goal(below, 'deadline');
    }
  }

  async move(ctx: RequestContext, goalId: string, dto: MoveGoalDto) {
    const goal = await this.reader.live(ctx, goalId);
    if (goal.parentId === null) throw conflict('The root cannot move.');
    const parent = await this.reader.named(ctx, dto.parentId, 'parentId');
    await this.reader.lock(ctx, parent.id);
    const tree = await this.reader.tree(ctx);
    if (tree.isInSubtree(parent.id, goal.id)) throw conflict('A goal cannot move under itself or a goal below it.');
    checkLevel(parent.type, goal.type, 'parentId');
    const levels = await this.levels.all(ctx);
    const siblings = tree.childrenOf(parent.id).filter((c) => c.id !== goal.id);
    if (parent.id !== goal.parentId) checkRoom(levels[parent.type], siblings.length);
    const bound = deadlineBound(tree, parent.id);
    const late = bound ? tree.subtreeOf(goal.id).find((g) => g.deadline && g.deadline > bound) : undefined;
    if (late) {
      throw conflict(`"${late.name}" has a deadline (${late.deadline!.toISOString()}) later than the new parent's (${bound!.toISOString()}): move that deadline first.`);
    }
    const oldParentId = goal.parentId;
    const oldAncestors = tree.ancestorsOf(goal.id).map((a) => a.id);
    let sortOrder = nextOrder(siblings);
    if (dto.position !== undefined) {
      const at = Math.min(dto.position, siblings.length);
      const ordered = [...siblings.slice(0, at), goal, ...siblings.slice(at)];
      for (const [i, sibling] of ordered.entries()) {
        if (sibling.id === goal.id) sortOrder = i;
        else if (sibling.sortOrder !== i) await this.goals.update(ctx, { id: sibling.id }, { sortOrder: i });
      }
    }
    await this.goals.update(ctx, { id: goal.id }, { parentId: parent.id, sortOrder });
    const changes = await this.targets.reevaluate(ctx, [...oldAncestors, oldParentId, parent.id]);
    return { ...toGoalView(await this.reader.live(ctx, goal.id)), changed: changes.view(goal.id) };
  }

  async copy(ctx: RequestContext, goalId: string) {
    const goal = await this.reader.live(ctx, goalId);
    if (goal.parentId === null) throw conflict('The root cannot be copied: create a new root instead.');
    if (goal.type === 'PracticeSession') throw conflict('A practice session is not copied here: copy its goals, or use a session template.');
    await this.reader.lock(ctx, goal.parentId);
    const tree = await this.reader.tree(ctx);
    const levels = await this.levels.all(ctx);
    const siblings = tree.childrenOf(goal.parentId);
    checkRoom(levels[tree.get(goal.parentId)!.type], siblings.length);
    // The subtree without its sessions, and without what hangs below them.
    const originals: Goal[] = [];
    const skip = new Set<string>();
    for (const g of tree.subtreeOf(goal.id)) {
      if (g.type === 'PracticeSession' || (g.parentId && skip.has(g.parentId))) {
        skip.add(g.id);
        continue;
      }
      originals.push(g);
    }
    const full = new Map((await this.reader.many(ctx, originals.map((g) => g.id))).map((g) => [g.id, g]));
    const ids = new Map(originals.map((g) => [g.id, randomUUID()]));
    // Parents before children: each statement's rows already have their parent.
    for (const level of byDepth(tree, originals)) {
      await this.goals.insert(
        ctx,
        level.map((g) => {
          const source = full.get(g.id)!;
          const top = g.id === goal.id;
          return {
            id: ids.get(g.id)!,
            parentId: top ? goal.parentId : ids.get(g.parentId!)!,
            type: source.type,
            name: top ? `${source.name.slice(0, 500 - COPY_SUFFIX.length)}${COPY_SUFFIX}` : source.name,
            description: source.description,
            relevance: source.relevance,
            deadline: source.deadline,
            sortOrder: top ? nextOrder(siblings) : source.sortOrder,
            attributes: source.attributes,
          };
        }),
      );
    }
    await this.copyTargets(ctx, ids);
    const changes = new Changes();
    await this.completion.cascade(ctx, await this.reader.tree(ctx), [goal.parentId], changes, {});
    const copied = await this.reader.tree(ctx);
    return { ...this.nest(copied, copied.get(ids.get(goal.id)!)!), changed: changes.view(ids.get(goal.id)) };
  }

  private async copyTargets(ctx: RequestContext, ids: Map<string, string>): Promise<void> {
    const targets: GoalTarget[] = [];
    for (const chunk of chunks([...ids.keys()])) targets.push(...(await this.tenantData.repo(GoalTarget).find(ctx, { where: { goalId: In(chunk) } })));
    if (targets.length === 0) return;
    const conditions: TargetCondition[] = [];
    for (const chunk of chunks(targets.map((t) => t.id))) conditions.push(...(await this.tenantData.repo(TargetCondition).find(ctx, { where: { targetId: In(chunk) } })));
    const targetIds = new Map(targets.map((t) => [t.id, randomUUID()]));
    await this.tenantData.repo(GoalTarget).insert(
      ctx,
      targets.map((t) => ({
        id: targetIds.get(t.id)!,
        goalId: ids.get(t.goalId)!,
        activityId: t.activityId,
        name: t.name,
        kind: t.kind,
        sessionCount: t.sessionCount,
        periodDays: t.periodDays,
        startsOn: t.startsOn,
        endsOn: t.endsOn,
        sortOrder: t.sortOrder,
      })),
    );
    if (conditions.length === 0) return;
    await this.tenantData.repo(TargetCondition).insert(
      ctx,
      conditions.map((c) => ({ targetId: targetIds.get(c.targetId)!, metricId: c.metricId, comparison: c.comparison, value: c.value, sortOrder: c.sortOrder })),
    );
  }

  private nest(tree: GoalTree<Goal>, goal: Goal): GoalNode {
    return { ...toGoalView(goal), children: tree.childrenOf(goal.id).map((c) => this.nest(tree, c)) };
  }
}

function byDepth(tree: GoalTree<Goal>, goals: Goal[]): Goal[][] {
  const levels = new Map<number, Goal[]>();
  for (const g of goals) {
    const d = tree.ancestorsOf(g.id).length;
    levels.set(d, [...(levels.get(d) ?? []), g]);
  }
  return [...levels.keys()].sort((a, b) => a - b).map((d) => levels.get(d)!);
}
