import { Module } from '@nestjs/common';
import { CompletionService } from './completion.service';
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
  controllers: [RootsController, RootController, GoalsController, LevelsController, TargetsController],
  providers: [RootsService, GoalReader, LevelsService, CompletionService, TargetsService, GoalsService, GoalDeletionService],
  // TargetsService.evaluateForSession is for the practice side.
  exports: [RootsService, LevelsService, TargetsService, CompletionService],
})
export class GoalsModule {}
