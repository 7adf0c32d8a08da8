import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminData } from './admin-data.service';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';

@Module({
  controllers: [AdminController],
  providers: [AdminData, AdminGuard, AdminService],
  exports: [AdminData],
})
export class AdminModule {}
