import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { EmptyBody } from '../goals/dto/goal.dto';
import { ApiErrors, ApiIdempotencyKey, ApiTenant, PageOf } from '../http/api-docs';
import { Idempotent } from '../http/idempotency';
import { PageQuery } from '../http/pagination';
import { TrashService } from './trash.service';
import { TrashItemView, TrashRestoreView } from './trash.view';

@ApiTags('trash')
@ApiTenant()
@Controller('api/roots/:rootId/trash')
export class TrashController {
  constructor(private readonly trash: TrashService) {}

  @Get()
  @ApiOperation({ summary: "This root's deletions (goals, sessions, activities, templates, activity groups), newest first, with the rows each took" })
  @ApiOkResponse({ type: PageOf(TrashItemView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.trash.list(ctx, page);
  }

  @Post(':deletionId/restore')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: "Restores one deletion through its feature's own restore, with that feature's rules" })
  @ApiOkResponse({ type: TrashRestoreView })
  @ApiErrors(404, 409)
  @ApiIdempotencyKey()
  restore(@Ctx() ctx: RequestContext, @Param('deletionId') deletionId: string, @Body() _body: EmptyBody) {
    return this.trash.restore(ctx, deletionId);
  }
}
