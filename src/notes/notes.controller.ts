import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { RequestContext } from '../context/request-context';
import { ApiErrors, ApiIdempotencyKey, ApiIfMatch, ApiTenant, PageOf } from '../http/api-docs';
import { Versioned } from '../http/etag';
import { Idempotent } from '../http/idempotency';
import { CreateNoteDto, EmptyNoteBody, NoteListQuery, SessionNotesQuery, UpdateNoteDto } from './dto/note.dto';
import { Note } from './note.entity';
import { NoteView, SessionNotesPageView } from './note.view';
import { NotesService } from './notes.service';

@ApiTags('notes')
@ApiTenant()
@Controller('api/roots/:rootId')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get('notes')
  @ApiOperation({ summary: 'Notes of this root, pinned first, then newest first; filtered by what they are about' })
  @ApiOkResponse({ type: PageOf(NoteView) })
  @ApiErrors(400)
  list(@Ctx() ctx: RequestContext, @Query() query: NoteListQuery) {
    return this.notes.list(ctx, query);
  }

  @Post('notes')
  @Idempotent()
  @ApiOperation({ summary: 'Write a note in Markdown about the root, a goal, a session, an activity or an activity instance of this root' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: NoteView })
  @ApiErrors(400, 422)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateNoteDto) {
    return this.notes.create(ctx, dto);
  }

  @Get('notes/:noteId')
  @Versioned(Note, 'noteId')
  @ApiParam({ name: 'noteId', format: 'uuid' })
  @ApiOkResponse({ type: NoteView, description: 'With `ETag: "<version>"`.' })
  @ApiErrors()
  get(@Ctx() ctx: RequestContext, @Param('noteId') noteId: string) {
    return this.notes.get(ctx, noteId);
  }

  @Patch('notes/:noteId')
  @Versioned(Note, 'noteId')
  @ApiOperation({ summary: 'Change the text of a note' })
  @ApiParam({ name: 'noteId', format: 'uuid' })
  @ApiIfMatch()
  @ApiOkResponse({ type: NoteView })
  @ApiErrors(400, 412)
  update(@Ctx() ctx: RequestContext, @Param('noteId') noteId: string, @Body() dto: UpdateNoteDto) {
    return this.notes.update(ctx, noteId, dto);
  }

  @Delete('notes/:noteId')
  @HttpCode(204)
  @Versioned(Note, 'noteId')
  @ApiOperation({ summary: 'Soft-delete a note' })
  @ApiParam({ name: 'noteId', format: 'uuid' })
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiErrors(412)
  async remove(@Ctx() ctx: RequestContext, @Param('noteId') noteId: string): Promise<void> {
    await this.notes.remove(ctx, noteId);
  }

  @Post('notes/:noteId/pin')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Note, 'noteId')
  @ApiOperation({ summary: 'Pin a note: pinned notes come first in every list' })
  @ApiParam({ name: 'noteId', format: 'uuid' })
  @ApiIdempotencyKey()
  @ApiIfMatch()
  @ApiOkResponse({ type: NoteView })
  @ApiErrors(400, 412, 422)
  pin(@Ctx() ctx: RequestContext, @Param('noteId') noteId: string, @Body() _body: EmptyNoteBody) {
    return this.notes.pin(ctx, noteId, true);
  }

  @Post('notes/:noteId/unpin')
  @HttpCode(200)
  @Idempotent()
  @Versioned(Note, 'noteId')
  @ApiOperation({ summary: 'Unpin a note' })
  @ApiParam({ name: 'noteId', format: 'uuid' })
  @ApiIdempotencyKey()
  @ApiIfMatch()
  @ApiOkResponse({ type: NoteView })
  @ApiErrors(400, 412, 422)
  unpin(@Ctx() ctx: RequestContext, @Param('noteId') noteId: string, @Body() _body: EmptyNoteBody) {
    return this.notes.pin(ctx, noteId, false);
  }

  @Get('sessions/:sessionId/notes')
  @ApiOperation({
    summary: 'Notes about a session; with previous=true also those about the previous session with the same activities (what was written last time)',
  })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: SessionNotesPageView })
  @ApiErrors(400)
  ofSession(@Ctx() ctx: RequestContext, @Param('sessionId') sessionId: string, @Query() query: SessionNotesQuery) {
    const { previous, ...page } = query;
    return this.notes.ofSession(ctx, sessionId, previous === true, page);
  }
}
