import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantEntity } from '../database/base.entity';
import { IdColumn, IntColumn, TextColumn, Version } from '../database/columns';
import { RootFk } from '../database/foreign-keys';

/** What a note may be about: the root, a goal, a session, an activity or an activity instance. */
export const NOTE_SUBJECT_TYPES = ['root', 'goal', 'session', 'activity', 'instance'] as const;
export type NoteSubjectType = (typeof NOTE_SUBJECT_TYPES)[number];

/** The longest Markdown text of a note. */
export const MAX_NOTE_LENGTH = 20_000;

/**
 * A note in Markdown about one thing of the root. The subject is polymorphic (about_type,
 * about_id), so no composite key can point at it: the root key stays, and the service checks
 * that the subject is a live row of this root (NoteSubjects) before any write. Lists are read
 * through (root_id, about_id, pinned, created_at) and (root_id, pinned, created_at).
 * `pinned` is 0 or 1, an integer so that keyset pages can order by it (src/http/pagination.ts).
 */
@Entity('notes')
@Unique('uq_notes_root_id', ['rootId', 'id'])
@RootFk('notes')
@Check('ck_notes_about_type', `about_type IN ('root', 'goal', 'session', 'activity', 'instance')`)
@Check('ck_notes_pinned', 'pinned IN (0, 1)')
@Index('idx_notes_root', ['rootId'])
@Index('idx_notes_about', ['rootId', 'aboutId', 'pinned', 'createdAt'])
@Index('idx_notes_pinned', ['rootId', 'pinned', 'createdAt'])
export class Note extends TenantEntity {
  @Column({ name: 'about_type', type: 'varchar', length: 20 })
  aboutType: NoteSubjectType;

  @IdColumn('about_id')
  aboutId: string;

  @TextColumn('content', { nullable: false })
  content: string;

  @IntColumn('pinned', { nullable: false, default: 0 })
  pinned: number;

  @Version()
  version: number;
}
