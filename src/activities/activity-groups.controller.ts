import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant, PageOf } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ActivityGroup } from './activity-group.entity';
import { ActivityGroupView } from './activity-group.view';
import { ActivityGroupsService } from './activity-groups.service';
import { CreateActivityGroupDto, OrderActivityGroupsDto, UpdateActivityGroupDto } from './dto/activity-group.dto';

@ApiTags('activity groups')
@ApiTenant()
@Controller('api/roots/:rootId/activity-groups')
export class ActivityGroupsController {
  constructor(private readonly groups: ActivityGroupsService) {}

  @Get()
  @ApiOperation({ summary: 'The groups of this root, each parent’s groups in their order' })
  @ApiOkResponse({ type: PageOf(ActivityGroupView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.groups.list(ctx, page);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Add a group, last among its parent’s groups' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ActivityGroupView })
  @ApiErrors(400, 409, 422)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateActivityGroupDto) {
    return this.groups.create(ctx, dto);
  }

  @Put('order')
  @ApiOperation({ summary: 'Set the order of the groups of one parent: `ids` lists each of them once' })
  @ApiOkResponse({ type: PageOf(ActivityGroupView) })
  @ApiErrors(400)
  order(@Ctx() ctx: RequestContext, @Body() dto: OrderActivityGroupsDto) {
    return this.groups.order(ctx, dto);
  }

  @Get(':groupId')
  @Versioned(ActivityGroup, 'groupId')
  @ApiOkResponse({ type: ActivityGroupView, description: 'With `ETag: "<version>"`.' })
  @ApiErrors()
  get(@Ctx() ctx: RequestContext, @Param('groupId') groupId: string) {
    return this.groups.get(ctx, groupId);
  }

  @Patch(':groupId')
  @Versioned(ActivityGroup, 'groupId')
  @ApiOperation({ summary: 'Rename, describe or move a group (parentId null: to the top level)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: ActivityGroupView })
  @ApiErrors(400, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('groupId') groupId: string, @Body() dto: UpdateActivityGroupDto) {
    return this.groups.update(ctx, groupId, dto);
  }

  @Delete(':groupId')
  @HttpCode(204)
  @Versioned(ActivityGroup, 'groupId')
  @ApiOperation({ summary: 'Soft-delete a group: its activities move to no group, its groups to its parent' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('groupId') groupId: string): Promise<void> {
    await this.groups.remove(ctx, groupId);
  }
}
