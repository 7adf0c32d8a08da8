import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/env';
import { SafeDataSource } from './database/data-source';
import { ErrorFilter } from './http/error.filter';
import { registerHttpHygiene, serverTimeouts } from './http/hygiene';
import { PinoAppLogger } from './http/app-logger';
import { createAppLogger, logAborts, logRequests, requestIdFor } from './http/logging';
import { serveOpenApi } from './http/openapi';
import { createValidationPipe } from './http/validation';

export interface AppOptions {
  config: AppConfig;
  /** Initialized and migrated by the caller. */
  dataSource: SafeDataSource;
  /** Extra modules, for benchmarks and tests only. */
  imports?: DynamicModule['imports'];
  /** Serve Swagger UI at /docs and the OpenAPI document at /docs-json and /docs/openapi.json. */
  openApi?: boolean;
  /** Where request logs go instead of stdout (tests read them). */
  logDestination?: NodeJS.WritableStream;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface RouteInfo {
  method: string;
  url: string;
}

const routeTables = new WeakMap<object, RouteInfo[]>();

/** Every route the app serves, as Fastify registered it: the isolation tests walk this list. */
export function routesOf(app: NestFastifyApplication): RouteInfo[] {
  return routeTables.get(app) ?? [];
}

export async function createApp({ config, dataSource, imports = [], logDestination, openApi = false }: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    genReqId: requestIdFor,
    trustProxy: config.trustProxy,
    ...serverTimeouts(config.http),
  });
  const log = createAppLogger(config, logDestination);
  adapter.getInstance().addHook('onResponse', logRequests(log));
  adapter.getInstance().addHook('onRequestAbort', logAborts(log));
  adapter.getInstance().addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const routes: RouteInfo[] = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource, imports), adapter, {
    // The logger exists before Nest starts, so nothing needs buffering until it does.
    logger: new PinoAppLogger(log),
    abortOnError: false,
  });
  routeTables.set(app, routes);
  app.useGlobalFilters(new ErrorFilter(log));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await registerHttpHygiene(app, config);
  if (openApi) serveOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
