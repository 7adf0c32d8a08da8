import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { GoalsModule } from '../goals/goals.module';
import { TemplatesModule } from '../templates/templates.module';
import { TrashController } from './trash.controller';
import { TrashService } from './trash.service';
import { TrashReader } from './trash-reader';

/** The trash sits on top of the features: it lists their deletions and asks each to restore its own. */
@Module({
  imports: [GoalsModule, ActivitiesModule, TemplatesModule],
  controllers: [TrashController],
  providers: [TrashReader, TrashService],
})
export class TrashModule {}
