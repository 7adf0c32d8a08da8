import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { isId } from '../http/ids';
import { Page, PageQuery, paginate } from '../http/pagination';
import { RequestValidationError } from '../http/validation';
import { RootScopedQueryBuilder } from '../tenancy/scoped-query-builder';
import { list, live, tenantSql } from '../tenancy/tenant-sql';
import { TenantData } from '../tenancy/tenant-data.service';
import { CreateNoteDto, NoteListQuery, UpdateNoteDto } from './dto/note.dto';
import { NoteSubjects } from './note-subjects';
import { Note } from './note.entity';
import { NoteView, SessionNotesPageView, toNoteView } from './note.view';

/** Ids per IN list: well under both engines' limits on bound parameters. */
const CHUNK = 500;

// Counts per subject, on the hot read (a session view's count): lean, as the view's other rows
// (src/sessions/session-rows); the list is bound as one value, whatever its length.
const COUNTS = tenantSql`SELECT n.about_id, COUNT(*) AS n FROM ${live(Note, 'n')} WHERE n.about_id IN ${list} GROUP BY n.about_id`;

const noteNotFound = () => new NotFoundException('Note not found.');
const sessionNotFound = () => new NotFoundException('Session not found');

/**
 * Notes about the things of a root. Features call take() and restore() from their deletes, so
 * that a note goes and comes back with what it is about (same deletion id), and counts() for
 * their reads. Whether a subject exists is asked of NoteSubjects (answered by src/sessions).
 */
@Injectable()
export class NotesService {
  constructor(
    private readonly data: TenantData,
    private readonly subjects: NoteSubjects,
  ) {}

  private get notes() {
    return this.data.repo(Note);
  }

  /** Pinned first, then newest first; `aboutType` and `aboutId` filter. */
  async list(ctx: RequestContext, query: NoteListQuery): Promise<Page<NoteView>> {
    if (query.aboutId !== undefined) {
      if (!query.aboutType) throw new RequestValidationError([{ field: 'aboutType', message: 'aboutType is required with aboutId' }]);
      if (!(await this.subjects.exists(ctx, query.aboutType, query.aboutId))) {
        throw new BadRequestException({
          message: 'Invalid request: aboutId',
          details: [{ field: 'aboutId', message: `aboutId names no live ${query.aboutType} of this root` }],
        });
      }
    }
    const qb = this.notes.createQueryBuilder(ctx, 'n');
    if (query.aboutId !== undefined) qb.andWhere('n.about_id = :aboutId', { aboutId: query.aboutId });
    if (query.aboutType !== undefined) qb.andWhere('n.about_type = :aboutType', { aboutType: query.aboutType });
    return this.page(qb, query);
  }

  /** The notes about a session, and with `previous` those about the previous session with the same activities. */
  async ofSession(ctx: RequestContext, sessionId: string, previous: boolean, page: PageQuery): Promise<SessionNotesPageView> {
    if (!isId(sessionId) || !(await this.subjects.exists(ctx, 'session', sessionId))) throw sessionNotFound();
    const previousSessionId = previous ? await this.subjects.previousSession(ctx, sessionId) : null;
    const qb = this.notes.createQueryBuilder(ctx, 'n').andWhere('n.about_id IN (:...ids)', { ids: previousSessionId ? [sessionId, previousSessionId] : [sessionId] });
    return { ...(await this.page(qb, page)), previousSessionId };
  }

  async create(ctx: RequestContext, dto: CreateNoteDto): Promise<NoteView> {
    const { type, id } = dto.about;
    if (!isId(id) || !(await this.subjects.exists(ctx, type, id))) {
      const message = `about.id names no live ${type} of this root`;
      throw new NotFoundException({ message, details: [{ field: 'about.id', message }] });
    }
    const note = await this.notes.insert(ctx, { aboutType: type, aboutId: id, content: dto.content, pinned: 0 });
    return this.get(ctx, note.id);
  }

  async update(ctx: RequestContext, noteId: string, dto: UpdateNoteDto): Promise<NoteView> {
    await this.load(ctx, noteId);
    await this.notes.update(ctx, { id: noteId }, { content: dto.content });
    return this.get(ctx, noteId);
  }

  /** Pinning a pinned note (or unpinning an unpinned one) changes nothing, and answers it as it is. */
  async pin(ctx: RequestContext, noteId: string, pinned: boolean): Promise<NoteView> {
    const note = await this.load(ctx, noteId);
    if ((note.pinned === 1) !== pinned) await this.notes.update(ctx, { id: noteId }, { pinned: pinned ? 1 : 0 });
    return this.get(ctx, noteId);
  }

  /** Soft-deletes one note under a deletion of its own. */
  async remove(ctx: RequestContext, noteId: string): Promise<void> {
    await this.load(ctx, noteId);
    await this.notes.softDelete(ctx, [noteId], randomUUID());
  }

  async get(ctx: RequestContext, noteId: string): Promise<NoteView> {
    return toNoteView(await this.load(ctx, noteId));
  }

  /**
   * Soft-deletes the live notes about these things under the caller's deletion id, so that the
   * caller's restore (restore() with the same id) brings them back. Returns how many it took.
   */
  async take(ctx: RequestContext, aboutIds: string[], deletionId: string): Promise<number> {
    let taken = 0;
    for (let i = 0; i < aboutIds.length; i += CHUNK) {
      const rows = await this.notes.find(ctx, { where: { aboutId: In(aboutIds.slice(i, i + CHUNK)) } });
      if (rows.length) taken += (await this.notes.softDelete(ctx, rows.map((r) => r.id), deletionId)).count;
    }
    return taken;
  }

  /** Brings back the notes that this deletion took. */
  restore(ctx: RequestContext, deletionId: string): Promise<number> {
    return this.notes.restore(ctx, deletionId);
  }

  /** How many live notes each of these things has (0 for none), in one statement. */
  async counts(ctx: RequestContext, aboutIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(aboutIds.map((id) => [id, 0]));
    if (aboutIds.length === 0) return out;
    for (const r of await COUNTS.run(ctx, [[...new Set(aboutIds)]])) out.set(r.about_id as string, Number(r.n));
    return out;
  }

  /** How many live notes one thing has. */
  async countOf(ctx: RequestContext, aboutId: string): Promise<number> {
    return (await this.counts(ctx, [aboutId])).get(aboutId) ?? 0;
  }

  private async page(qb: RootScopedQueryBuilder<Note>, page: PageQuery): Promise<Page<NoteView>> {
    const result = await paginate(qb, 'n', page, { lead: 'pinned', direction: 'DESC' });
    return { items: result.items.map(toNoteView), nextCursor: result.nextCursor };
  }

  private async load(ctx: RequestContext, noteId: string): Promise<Note> {
    const note = isId(noteId) ? await this.notes.findById(ctx, noteId) : null;
    if (!note) throw noteNotFound();
    return note;
  }
}
