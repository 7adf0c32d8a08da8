import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RequestUnitInterceptor } from './request-unit.interceptor';
import { RootAnswers } from './root-answers';
import { TenantData } from './tenant-data.service';

@Global()
@Module({
  providers: [TenantData, RootAnswers, { provide: APP_INTERCEPTOR, useClass: RequestUnitInterceptor }],
  exports: [TenantData, RootAnswers],
})
export class TenancyModule {}
