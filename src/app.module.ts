import { DynamicModule, Module } from '@nestjs/common';
import { ActivitiesModule } from './activities/activities.module';
import { AdminModule } from './admin/admin.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import { AppConfig } from './config/env';
import { SafeDataSource } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { GoalsModule } from './goals/goals.module';
import { HealthModule } from './health/health.module';
import { NotesModule } from './notes/notes.module';
import { SessionsModule } from './sessions/sessions.module';
import { ProgramsModule } from './programs/programs.module';
import { TemplateUsageModule } from './programs/template-usage.module';
import { NoteSubjectsModule } from './sessions/note-subjects.module';
import { PracticeRecordsModule } from './sessions/practice-records.module';
import { TrashModule } from './trash/trash.module';
import { TemplatesModule } from './templates/templates.module';
import { TenancyModule } from './tenancy/tenancy.module';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    dataSource: SafeDataSource,
    extra: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(dataSource),
        HealthModule,
        AuthModule,
        TenancyModule,
        GoalsModule,
        ActivitiesModule,
        TemplatesModule,
        PracticeRecordsModule,
        TemplateUsageModule,
        SessionsModule,
        TrashModule,
        ProgramsModule,
        AnalyticsModule,
        NotesModule,
        NoteSubjectsModule,
        AdminModule,
        ...extra,
      ],
    };
  }
}
