import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant, PageOf } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { PageQuery } from '../http/pagination';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { CreateSessionTemplateDto, UpdateSessionTemplateDto } from './dto/session-template.dto';
import { SessionTemplate } from './session-template.entity';
import { SessionTemplateView } from './session-template.view';
import { SessionTemplatesService } from './session-templates.service';
import { TemplateStatsView } from './template-stats';

@ApiTags('session templates')
@ApiTenant()
@Controller('api/roots/:rootId/session-templates')
export class SessionTemplatesController {
  constructor(private readonly templates: SessionTemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'The live templates of this root, with their sections' })
  @ApiOkResponse({ type: PageOf(SessionTemplateView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.templates.list(ctx, page);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Make a template: sections of live activities of this root' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: SessionTemplateView })
  @ApiErrors(400, 409, 422)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateSessionTemplateDto) {
    return this.templates.create(ctx, dto);
  }

  @Get(':templateId')
  @Versioned(SessionTemplate, 'templateId')
  @ApiOkResponse({ type: SessionTemplateView, description: 'With `ETag: "<version>"`.' })
  @ApiErrors()
  get(@Ctx() ctx: RequestContext, @Param('templateId') templateId: string) {
    return this.templates.get(ctx, templateId);
  }

  @Patch(':templateId')
  @Versioned(SessionTemplate, 'templateId')
  @ApiOperation({ summary: 'Rename, describe, or replace the sections of a template' })
  @ApiIfMatch()
  @ApiOkResponse({ type: SessionTemplateView })
  @ApiErrors(400, 409, 412)
  update(@Ctx() ctx: RequestContext, @Param('templateId') templateId: string, @Body() dto: UpdateSessionTemplateDto) {
    return this.templates.update(ctx, templateId, dto);
  }

  @Delete(':templateId')
  @HttpCode(204)
  @Versioned(SessionTemplate, 'templateId')
  @ApiOperation({ summary: 'Soft-delete a template; 409, naming them, while programs use it' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(409, 412)
  async remove(@Ctx() ctx: RequestContext, @Param('templateId') templateId: string): Promise<void> {
    await this.templates.remove(ctx, templateId);
  }

  @Get(':templateId/stats')
  @ApiOperation({ summary: 'Sessions made from the template, and their average active time per section' })
  @ApiOkResponse({ type: TemplateStatsView })
  @ApiErrors()
  stats(@Ctx() ctx: RequestContext, @Param('templateId') templateId: string) {
    return this.templates.stats(ctx, templateId);
  }
}
