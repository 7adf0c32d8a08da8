import { Global, Module } from '@nestjs/common';
import { NotesModule } from '../notes/notes.module';
import { PracticeRecords } from '../activities/practice-records';
import { SessionContent } from '../goals/session-content';
import { TemplateSessionRecords } from '../templates/template-records';
import { SessionPracticeRecords } from './practice-records.service';
import { SessionContentRecords } from './session-content.service';

/** Answers, from recorded practice, what activities, templates and the goal tree ask (see their ports). */
@Global()
@Module({
  imports: [NotesModule],
  providers: [
    SessionPracticeRecords,
    { provide: PracticeRecords, useExisting: SessionPracticeRecords },
    { provide: TemplateSessionRecords, useExisting: SessionPracticeRecords },
    { provide: SessionContent, useClass: SessionContentRecords },
  ],
  exports: [PracticeRecords, TemplateSessionRecords, SessionContent],
})
export class PracticeRecordsModule {}
