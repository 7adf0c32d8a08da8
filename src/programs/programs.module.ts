import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { BlocksController } from './blocks.controller';
import { BlocksService } from './blocks.service';
import { DaysService } from './days.service';
import { GoalLinks } from './goal-links';
import { ProgramReads } from './program-reads';
import { ProgramStore } from './program-store';
import { ProgramsController } from './programs.controller';
import { ProgramsService } from './programs.service';
import { ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

/** Programs: plans over dates (blocks, days, templates), their calendar, scheduling and progress. Builds on sessions. */
@Module({
  imports: [SessionsModule],
  controllers: [ProgramsController, BlocksController, ScheduleController],
  providers: [ProgramStore, GoalLinks, ProgramReads, ProgramsService, BlocksService, DaysService, ScheduleService],
})
export class ProgramsModule {}
