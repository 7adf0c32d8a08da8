import { Module } from '@nestjs/common';
import { NotesModule } from '../notes/notes.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ActivityGroupsController } from './activity-groups.controller';
import { ActivityGroupsService } from './activity-groups.service';

@Module({
  imports: [NotesModule],
  controllers: [ActivityGroupsController, ActivitiesController],
  providers: [ActivityGroupsService, ActivitiesService],
  exports: [ActivityGroupsService, ActivitiesService],
})
export class ActivitiesModule {}
