import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { AllowDeletedRoot } from '../tenancy/route.decorators';
import { CreateRootDto, UpdateRootDto } from './dto/root.dto';
import { Goal } from './goal.entity';
import { RootsService } from './roots.service';

@Controller('api/roots')
export class RootsController {
  constructor(private readonly roots: RootsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.roots.list(ctx, page);
  }

  @Post()
  @Idempotent()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateRootDto) {
    return this.roots.create(ctx, dto);
  }
}

@Controller('api/roots/:rootId')
export class RootController {
  constructor(private readonly roots: RootsService) {}

  @Get()
  @Versioned(Goal, 'rootId')
  get(@Ctx() ctx: RequestContext) {
    return this.roots.get(ctx);
  }

  @Patch()
  @Versioned(Goal, 'rootId')
  update(@Ctx() ctx: RequestContext, @Body() dto: UpdateRootDto) {
    return this.roots.update(ctx, dto);
  }

  @Delete()
  @HttpCode(204)
  @Versioned(Goal, 'rootId')
  async remove(@Ctx() ctx: RequestContext): Promise<void> {
    await this.roots.remove(ctx);
  }

  @Post('restore')
  @HttpCode(200)
  @AllowDeletedRoot()
  restore(@Ctx() ctx: RequestContext) {
    return this.roots.restore(ctx);
  }
}
