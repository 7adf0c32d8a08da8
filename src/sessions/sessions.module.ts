import { Module } from '@nestjs/common';
import { GoalsModule } from '../goals/goals.module';
import { NotesModule } from '../notes/notes.module';
import { TemplatesModule } from '../templates/templates.module';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';
import { SessionCompletionService } from './session-completion.service';
import { SessionLayout } from './session-layout';
import { SessionReader } from './session-reader';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { TemplatePlans } from './template-plans';
import { TimersService } from './timers.service';
import { ValuesService } from './values.service';

@Module({
  imports: [GoalsModule, TemplatesModule, NotesModule],
  controllers: [SessionsController, InstancesController],
  providers: [SessionReader, SessionLayout, SessionsService, SessionCompletionService, InstancesService, TimersService, ValuesService, TemplatePlans],
  exports: [SessionCompletionService, SessionsService],
})
export class SessionsModule {}
