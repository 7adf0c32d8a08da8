import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminData } from './admin-data.service';
import { AdminService } from './admin.service';

@Module({
  controllers: [AdminController],
  providers: [AdminData, AdminService],
  exports: [AdminData],
})
export class AdminModule {}
