import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { AdminRoute } from '../tenancy/route.decorators';
import { AdminService } from './admin.service';
import { TransferRootDto, UpdateUserDto } from './dto/admin.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

@AdminRoute()
@Controller('api/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('users')
  listUsers(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.admin.listUsers(ctx, page);
  }

  @Patch('users/:userId')
  updateUser(@Ctx() ctx: RequestContext, @Param('userId', uuid) userId: string, @Body() dto: UpdateUserDto) {
    return this.admin.updateUser(ctx, userId, dto);
  }

  @Post('users/:userId/logout')
  @HttpCode(200)
  logoutUser(@Ctx() ctx: RequestContext, @Param('userId', uuid) userId: string) {
    return this.admin.logoutUser(ctx, userId);
  }

  @Get('roots')
  listRoots(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.admin.listRoots(ctx, page);
  }

  @Post('roots/:rootId/transfer')
  transferRoot(@Ctx() ctx: RequestContext, @Param('rootId', uuid) rootId: string, @Body() dto: TransferRootDto) {
    return this.admin.transferRoot(ctx, rootId, dto);
  }

  @Get('db/status')
  dbStatus(@Ctx() ctx: RequestContext) {
    return this.admin.dbStatus(ctx);
  }

  @Get('audit')
  listAudit(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.admin.listAudit(ctx, page);
  }
}
