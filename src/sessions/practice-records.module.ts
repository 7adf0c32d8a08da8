import { Global, Module } from '@nestjs/common';
import { PracticeRecords } from '../activities/practice-records';
import { TemplateSessionRecords } from '../templates/template-records';
import { SessionPracticeRecords } from './practice-records.service';

/** Answers, from recorded practice, what activities and templates ask (see their ports). */
@Global()
@Module({
  providers: [
    SessionPracticeRecords,
    { provide: PracticeRecords, useExisting: SessionPracticeRecords },
    { provide: TemplateSessionRecords, useExisting: SessionPracticeRecords },
  ],
  exports: [PracticeRecords, TemplateSessionRecords],
})
export class PracticeRecordsModule {}
