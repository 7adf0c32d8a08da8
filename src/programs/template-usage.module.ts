import { Global, Module } from '@nestjs/common';
import { TemplateUsage } from '../templates/template-records';
import { ProgramTemplateUsage } from './template-usage.service';

/** Answers templates' question of which programs use them (see TemplateUsage). */
@Global()
@Module({
  providers: [{ provide: TemplateUsage, useClass: ProgramTemplateUsage }],
  exports: [TemplateUsage],
})
export class TemplateUsageModule {}
