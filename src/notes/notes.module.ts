import { Module } from '@nestjs/common';
import { NotesController } from './notes.controller';
import { NotesService } from './notes.service';

/**
 * Notes: a low folder. Goals, activities and sessions import it to count notes and to take and
 * restore them with their deletes; it asks them whether a subject exists through its own port
 * (NoteSubjects), which the global NoteSubjectsModule of src/sessions provides.
 */
@Module({
  controllers: [NotesController],
  providers: [NotesService],
  exports: [NotesService],
})
export class NotesModule {}
