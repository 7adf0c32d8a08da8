import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { Page, PageQuery, paginate } from '../http/pagination';
import { ROOT_NOT_FOUND } from '../tenancy/request-unit.interceptor';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantPatch } from '../tenancy/tenant-repository';
import { CreateRootDto, UpdateRootDto } from './dto/root.dto';
import { Goal } from './goal.entity';
import { RootView, toRootView } from './goal.view';
import { Changes } from './changes';
import { CompletionService } from './completion.service';
import { GoalReader } from './goal-reader';
import { GoalsService } from './goals.service';
import { LevelsService } from './levels.service';

@Injectable()
export class RootsService {
  constructor(
    private readonly tenantData: TenantData,
    private readonly levels: LevelsService,
    private readonly tree: GoalReader,
    private readonly goalTree: GoalsService,
    private readonly completion: CompletionService,
  ) {}

  private get goals() {
    return this.tenantData.repo(Goal);
  }

  private get owned() {
    return this.tenantData.owned(Goal);
  }

  async list(ctx: RequestContext, page: PageQuery): Promise<Page<RootView>> {
    const result = await paginate(this.owned.listQuery(ctx, 'root'), 'root', page);
    return { items: result.items.map(toRootView), nextCursor: result.nextCursor };
  }

  async create(ctx: RequestContext, dto: CreateRootDto): Promise<RootView> {
    if (await this.owned.nameTaken(ctx, dto.name)) throw new ConflictException(`You already have a root named "${dto.name}".`);
    const root = await this.owned.create(ctx, { name: dto.name, type: dto.type ?? 'UltimateGoal', description: dto.description ?? null });
    await this.levels.createDefaults(await this.owned.enterCreated(ctx, root.id));
    return toRootView(root);
  }

  async get(ctx: RequestContext): Promise<RootView> {
    return toRootView(await this.load(ctx));
  }

  async update(ctx: RequestContext, dto: UpdateRootDto): Promise<RootView & { changed: ReturnType<Changes['view']> }> {
    const current = await this.load(ctx);
    if (dto.name !== undefined && dto.name !== current.name && (await this.owned.nameTaken(ctx, dto.name, current.id))) {
      throw new ConflictException(`You already have a root named "${dto.name}".`);
    }
    const changes = new Changes();
    const tree = await this.tree.tree(ctx);
    if (dto.type !== undefined && dto.type !== current.type && tree.childrenOf(current.id).length > 0) {
      // Its children are the level below its type: changing it would break the level rule.
      throw new ConflictException('A root with goals below it keeps its type.');
    }
    const patch: TenantPatch<Goal> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.type !== undefined) patch.type = dto.type;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.deadline !== undefined) {
      patch.deadline = dto.deadline === null ? null : new Date(dto.deadline);
      if (patch.deadline) await this.goalTree.pullDeadlines(ctx, tree, current.id, patch.deadline, changes);
    }
    // Completion follows the goals' rules: not while paused, and not by hand where the level forbids it.
    if (dto.completed !== undefined && dto.completed !== current.completed) {
      Object.assign(patch, await this.completion.manualFields(ctx, current, dto.completed));
    }
    if (Object.keys(patch).length > 0) await this.goals.update(ctx, { id: current.id }, patch);
    return { ...(await this.get(ctx)), changed: changes.view(current.id) };
  }

  async remove(ctx: RequestContext): Promise<void> {
    const root = await this.load(ctx);
    await this.goals.softDelete(ctx, [root.id]);
  }

  async restore(ctx: RequestContext): Promise<RootView> {
    const root = await this.goals.findById(ctx, ctx.requireRoot(), true);
    if (!root) throw new NotFoundException(ROOT_NOT_FOUND);
    if (!root.deletedAt || !root.deletionId) throw new ConflictException('This root is not deleted.');
    if (await this.owned.nameTaken(ctx, root.name, root.id)) {
      throw new ConflictException(`You already have a root named "${root.name}"; rename it before restoring this one.`);
    }
    await this.goals.restore(ctx, root.deletionId);
    return this.get(ctx);
  }

  private async load(ctx: RequestContext): Promise<Goal> {
    const root = await this.goals.findById(ctx, ctx.requireRoot());
    if (!root) throw new NotFoundException(ROOT_NOT_FOUND);
    return root;
  }
}
