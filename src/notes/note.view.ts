import { ApiProperty } from '@nestjs/swagger';
import { Note, NOTE_SUBJECT_TYPES, NoteSubjectType } from './note.entity';

export class NoteAboutView {
  @ApiProperty({ enum: NOTE_SUBJECT_TYPES })
  type: NoteSubjectType;

  @ApiProperty({ format: 'uuid' })
  id: string;
}

export class NoteView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Markdown, at most 20,000 characters.' })
  content: string;

  @ApiProperty({ type: NoteAboutView })
  about: NoteAboutView;

  @ApiProperty()
  pinned: boolean;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'Send back as If-Match (the ETag).' })
  version: number;
}

export class SessionNotesPageView {
  @ApiProperty({ type: [NoteView], description: 'Pinned first, then newest first.' })
  items: NoteView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'With previous=true: the previous session with the same activities, whose notes the list includes; else null.',
  })
  previousSessionId: string | null;
}

export function toNoteView(note: Note): NoteView {
  return {
    id: note.id,
    content: note.content,
    about: { type: note.aboutType, id: note.aboutId },
    pinned: note.pinned === 1,
    createdAt: note.createdAt,
    updatedAt: note.updatedAt,
    version: note.version,
  };
}
