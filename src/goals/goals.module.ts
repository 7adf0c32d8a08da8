import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { NotesModule } from '../notes/notes.module';
import { CompletionService } from './completion.service';
import { GoalActivitiesController } from './goal-activities.controller';
import { GoalActivitiesService } from './goal-activities.service';
import { GoalDeletionService } from './goal-deletion.service';
import { GoalReader } from './goal-reader';
import { GoalsController } from './goals.controller';
import { GoalsService } from './goals.service';
import { LevelsController } from './levels.controller';
import { LevelsService } from './levels.service';
import { RootController, RootsController } from './roots.controller';
import { RootsService } from './roots.service';
import { TargetsController } from './targets.controller';
import { TargetsService } from './targets.service';

@Module({
  imports: [ActivitiesModule, NotesModule],
  controllers: [RootsController, RootController, GoalsController, LevelsController, TargetsController, GoalActivitiesController],
  providers: [RootsService, GoalReader, LevelsService, CompletionService, TargetsService, GoalsService, GoalDeletionService, GoalActivitiesService],
  // The practice side evaluates a session's targets and deletes sessions as goals.
  exports: [RootsService, LevelsService, TargetsService, CompletionService, GoalDeletionService],
})
export class GoalsModule {}
