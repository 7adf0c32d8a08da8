import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ActivityGroupsController } from './activity-groups.controller';
import { ActivityGroupsService } from './activity-groups.service';
import { GoalActivitiesController } from './goal-activities.controller';
import { GoalActivitiesService } from './goal-activities.service';

@Module({
  controllers: [ActivityGroupsController, ActivitiesController, GoalActivitiesController],
  providers: [ActivityGroupsService, ActivitiesService, GoalActivitiesService],
  exports: [ActivityGroupsService, ActivitiesService],
})
export class ActivitiesModule {}
