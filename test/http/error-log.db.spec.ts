import { PassThrough } from 'node:stream';
import { Controller, Get, Logger, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { signUp } from '../auth/helpers';
import { createMigratedDatabase, describeDb, ENGINE } from '../helpers/db';

@Controller('api/probe-failure')
class FailingController {
  @Get()
  fail(): never {
    throw new Error('probe failure');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  context?: string;
  [key: string]: unknown;
}

describeDb(`the error log and the application log (${ENGINE})`, () => {
  let app: NestFastifyApplication;
  let drop: () => Promise<void>;
  const lines: string[] = [];
  const parsed = () => lines.map((l) => JSON.parse(l) as Line);
  const settle = () => new Promise((r) => setImmediate(r));

  beforeAll(async () => {
    const db = await createMigratedDatabase({ LOG_LEVEL: 'info' });
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    app = await createApp({ config: db.config, dataSource: db.dataSource, imports: [FailingModule], logDestination: sink });
    drop = async () => {
      await app.close();
      await db.drop();
    };
  });
  afterAll(async () => drop?.());

  it("logs a 500 at error level with the request's id and the stack, and no credential of the request", async () => {
    const { accessToken } = await signUp(app, 'error-log@example.com');
    lines.length = 0;
    const res = await app.inject({
      method: 'GET',
      url: `/api/probe-failure?access_token=${accessToken}`,
      headers: { authorization: `Bearer ${accessToken}`, 'x-request-id': 'failure-7' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
    await settle();

    const errors = parsed().filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reqId: 'failure-7', context: 'Error' });
    expect(errors[0].msg).toMatch(/^Error: probe failure\n\s+at /);
    expect(parsed().filter((l) => l.reqId === 'failure-7').map((l) => l.msg)).toEqual(expect.arrayContaining(['request errored']));
    expect(lines.join('\n')).not.toContain(accessToken);
  });

  it("gives the request's log line and its X-Request-Id header the same id when the caller sent none", async () => {
    lines.length = 0;
    const res = await app.inject({ method: 'GET', url: '/api/probe-failure' });
    expect(res.statusCode).toBe(401);
    await settle();
    const id = res.headers['x-request-id'];
    expect(typeof id).toBe('string');
    expect(parsed().filter((l) => l.msg === 'request completed').map((l) => l.reqId)).toEqual([id]);
  });

  it("writes Nest's application log (new Logger(context)) as JSON through pino, at the configured level", async () => {
    lines.length = 0;
    new Logger('Probe').warn('a warning');
    new Logger('Probe').debug('below the level');
    await settle();
    expect(parsed()).toEqual([expect.objectContaining({ level: 40, context: 'Probe', msg: 'a warning' })]);
  });
});
