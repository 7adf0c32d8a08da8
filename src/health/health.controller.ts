import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DatabaseHealth } from '../database/database-health';

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
    private readonly database: DatabaseHealth,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live(): HealthAnswer {
    return { status: 'ok', environment: this.config.appEnv };
  }

  /** Readiness: the database answers and no migration is pending. Why not is logged, not answered. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    const reason = await this.database.notReady();
    if (!reason) return { status: 'ok', environment: this.config.appEnv };
    this.logger.warn(`Not ready: ${reason}`);
    reply.status(503);
    return { status: 'error', environment: this.config.appEnv };
  }
}
