import { Controller, Get, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { pendingMigrationNames } from '../database/safe-migrations';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** Liveness: the process answers. Names what it serves, so a wrong database is obvious. */
  @Get()
  live() {
    return { status: 'ok', environment: this.config.appEnv, database: this.config.database.display };
  }

  /** Readiness: the database answers and no migration is pending. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 3000 }),
      async () => {
        const check = this.indicator.check('migrations');
        const pending = await pendingMigrationNames(this.dataSource);
        return pending.length === 0 ? check.up({ pending: 0 }) : check.down({ pending });
      },
    ]);
  }
}
