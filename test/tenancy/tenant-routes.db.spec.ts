import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { Ctx } from '../../src/context/ctx.decorator';
import { RequestContext } from '../../src/context/request-context';
import { signUp } from '../auth/helpers';
import { createMigratedDatabase, describeDb } from '../helpers/db';

class ProbeBody {
  @IsString()
  note: string;
}

/** A route under :rootId with no decorator at all: the pipeline must still enter the root. */
@Controller('api/roots/:rootId/probe')
class ProbeController {
  @Get()
  read(@Ctx() ctx: RequestContext) {
    return { rootId: ctx.requireRoot(), userId: ctx.requireUser().id, inUnit: ctx.manager !== undefined };
  }

  @Post()
  write(@Ctx() ctx: RequestContext, @Body() body: ProbeBody) {
    return { rootId: ctx.requireRoot(), note: body.note, inUnit: ctx.manager?.queryRunner?.isTransactionActive === true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describeDb('every route with :rootId enters its root, with no marker to forget', () => {
  let app: NestFastifyApplication;
  let drop: () => Promise<void>;
  let alice: string;
  let bob: string;
  let aliceRoot: string;

  beforeAll(async () => {
    const { createApp } = await import('../../src/app.factory');
    const db = await createMigratedDatabase();
    app = await createApp({ config: db.config, dataSource: db.dataSource, imports: [ProbeModule] });
    drop = async () => {
      await app.close();
      await db.drop();
    };
    alice = (await signUp(app, 'alice-probe@example.com')).accessToken;
    bob = (await signUp(app, 'bob-probe@example.com')).accessToken;
    const created = await app.inject({ method: 'POST', url: '/api/roots', headers: { authorization: `Bearer ${alice}` }, payload: { name: 'Probe root' } });
    aliceRoot = created.json().id;
  });
  afterAll(async () => drop?.());

  const call = (method: 'GET' | 'POST', rootId: string, token: string, payload?: object) =>
    app.inject({ method, url: `/api/roots/${rootId}/probe`, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it("reads and writes in the owner's root, inside the request's unit of work", async () => {
    const read = await call('GET', aliceRoot, alice);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ rootId: aliceRoot, inUnit: true });
    const write = await call('POST', aliceRoot, alice, { note: 'hi' });
    expect(write.statusCode).toBe(201);
    expect(write.json()).toEqual({ rootId: aliceRoot, note: 'hi', inUnit: true });
  });

  it('answers the same 404 to a foreign, an unknown and a malformed root, before validating the body', async () => {
    const bodies = new Set<string>();
    for (const rootId of [aliceRoot, randomUUID(), 'not-a-uuid']) {
      for (const res of [await call('GET', rootId, bob), await call('POST', rootId, bob, { note: 42 })]) {
        expect(res.statusCode).toBe(404);
        bodies.add(res.body);
      }
    }
    expect(bodies.size).toBe(1);
  });

  it('answers 401 to a missing token before any 404', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/roots/${randomUUID()}/probe` });
    expect(res.statusCode).toBe(401);
  });
});
