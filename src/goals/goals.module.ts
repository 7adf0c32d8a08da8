import { Module } from '@nestjs/common';
import { RootController, RootsController } from './roots.controller';
import { RootsService } from './roots.service';

@Module({
  controllers: [RootsController, RootController],
  providers: [RootsService],
})
export class GoalsModule {}
