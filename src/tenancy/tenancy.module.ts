import { Global, Module } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import { RootAccess } from './root-access';
import { TenantData } from './tenant-data.service';
import { TenantGuard } from './tenant.guard';
import { TransactionInterceptor } from './transaction.interceptor';

@Global()
@Module({
  providers: [UnitOfWork, TenantData, RootAccess, TenantGuard, TransactionInterceptor],
  exports: [UnitOfWork, TenantData, RootAccess, TenantGuard, TransactionInterceptor],
})
export class TenancyModule {}
