import { Module } from '@nestjs/common';
import { RootController, RootsController } from './roots.controller';
import { RootsService } from './roots.service';

@Module({
  controllers: [RootsController, RootController],
  providers: [RootsService],
  exports: [RootsService],
})
export class GoalsModule {}
