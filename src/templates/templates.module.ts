import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { SessionTemplatesController } from './session-templates.controller';
import { SessionTemplatesService } from './session-templates.service';

@Module({
  imports: [ActivitiesModule],
  controllers: [SessionTemplatesController],
  providers: [SessionTemplatesService],
  exports: [SessionTemplatesService],
})
export class TemplatesModule {}
