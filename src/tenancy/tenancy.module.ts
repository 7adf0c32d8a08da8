import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RequestUnitInterceptor } from './request-unit.interceptor';
import { TenantData } from './tenant-data.service';

@Global()
@Module({
  providers: [TenantData, { provide: APP_INTERCEPTOR, useClass: RequestUnitInterceptor }],
  exports: [TenantData],
})
export class TenancyModule {}
