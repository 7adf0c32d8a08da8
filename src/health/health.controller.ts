import { Controller, Get, HttpException, Inject, Logger, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheckService, TypeOrmHealthIndicator, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { pendingMigrationNames } from '../database/safe-migrations';

export interface HealthAnswer {
  status: 'ok' | 'error';
  environment: string;
}

/**
 * Anyone may call these, so they say whether the service is up and in which environment, and
 * nothing else: the database, its location and the migrations are for administrators
 * (GET /api/admin/db/status) and for the start-up log.
 */
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live(): HealthAnswer {
    return { status: 'ok', environment: this.config.appEnv };
  }

  /** Readiness: the database answers and no migration is pending. Why not is logged, not answered. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    try {
      await this.health.check([
        () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 3000 }),
        async () => {
          const check = this.indicator.check('migrations');
          const pending = await pendingMigrationNames(this.dataSource);
          return pending.length === 0 ? check.up({ pending: 0 }) : check.down({ pending });
        },
      ]);
      return { status: 'ok', environment: this.config.appEnv };
    } catch (err) {
      const reason = err instanceof HttpException ? JSON.stringify(err.getResponse()) : err instanceof Error ? err.message : String(err);
      this.logger.warn(`Not ready: ${reason}`);
      reply.status(503);
      return { status: 'error', environment: this.config.appEnv };
    }
  }
}
