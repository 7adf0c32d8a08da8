import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { Page, PageQuery, paginate } from '../http/pagination';
import { ROOT_NOT_FOUND } from '../tenancy/request-unit.interceptor';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantPatch } from '../tenancy/tenant-repository';
import { CreateRootDto, UpdateRootDto } from './dto/root.dto';
import { Goal } from './goal.entity';
import { RootView, toRootView } from './goal.view';

@Injectable()
export class RootsService {
  constructor(private readonly tenantData: TenantData) {}

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
    return toRootView(root);
  }

  async get(ctx: RequestContext): Promise<RootView> {
    return toRootView(await this.load(ctx));
  }

  async update(ctx: RequestContext, dto: UpdateRootDto): Promise<RootView> {
    const current = await this.load(ctx);
    if (dto.name !== undefined && dto.name !== current.name && (await this.owned.nameTaken(ctx, dto.name, current.id))) {
      throw new ConflictException(`You already have a root named "${dto.name}".`);
    }
    const patch: TenantPatch<Goal> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.type !== undefined) patch.type = dto.type;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.deadline !== undefined) patch.deadline = dto.deadline === null ? null : new Date(dto.deadline);
    if (dto.completed !== undefined && dto.completed !== current.completed) {
      patch.completed = dto.completed;
      patch.completedAt = dto.completed ? new Date() : null;
    }
    if (Object.keys(patch).length > 0) await this.goals.update(ctx, { id: current.id }, patch);
    return this.get(ctx);
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
