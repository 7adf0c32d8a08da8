import { Global, Module } from '@nestjs/common';
import { NoteSubjects } from '../notes/note-subjects';
import { SessionNoteSubjects } from './note-subjects.service';

/** Answers the notes' port (NoteSubjects) from the highest folder, which sees every subject. */
@Global()
@Module({
  providers: [{ provide: NoteSubjects, useClass: SessionNoteSubjects }],
  exports: [NoteSubjects],
})
export class NoteSubjectsModule {}
