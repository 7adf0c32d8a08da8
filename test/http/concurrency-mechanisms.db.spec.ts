import { Body, Controller, Get, Module, Patch, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CreateRootDto, UpdateRootDto } from '../../src/goals/dto/root.dto';
import { Goal } from '../../src/goals/goal.entity';
import { GoalsModule } from '../../src/goals/goals.module';
import { RootsService } from '../../src/goals/roots.service';
import { Versioned, parseIfMatch } from '../../src/http/etag';
import { Idempotent } from '../../src/http/idempotency';
import { Ctx } from '../../src/context/ctx.decorator';
import { RequestContext } from '../../src/context/request-context';
import { signUp } from '../auth/helpers';
import { createMigratedDatabase, describeDb, ENGINE } from '../helpers/db';

/**
 * The shared mechanisms on probe routes that use them exactly as a feature route would: one
 * decorator each, on top of the real roots service and the request's unit of work.
 */
@Controller('api/roots/:rootId/probe')
class ProbeRootController {
  constructor(private readonly roots: RootsService) {}

  @Get()
  @Versioned(Goal, 'rootId')
  get(@Ctx() ctx: RequestContext) {
    return this.roots.get(ctx);
  }

  @Patch()
  @Versioned(Goal, 'rootId')
  update(@Ctx() ctx: RequestContext, @Body() dto: UpdateRootDto) {
    return this.roots.update(ctx, dto);
  }
}

@Controller('api/probe-roots')
class ProbeRootsController {
  constructor(private readonly roots: RootsService) {}

  @Post()
  @Idempotent()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateRootDto) {
    return this.roots.create(ctx, dto);
  }
}

@Module({ imports: [GoalsModule], controllers: [ProbeRootController, ProbeRootsController] })
class ProbeModule {}

describe('parseIfMatch', () => {
  it('reads *, lists, and drops weak tags', () => {
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('"3"')).toEqual(['"3"']);
    expect(parseIfMatch('"1", W/"2", "4"')).toEqual(['"1"', '"4"']);
    expect(parseIfMatch('3')).toEqual([]);
  });
});

describeDb(`ETag / If-Match and Idempotency-Key (${ENGINE})`, () => {
  let app: NestFastifyApplication;
  let drop: () => Promise<void>;
  let query: (sql: string) => Promise<Record<string, unknown>[]>;
  let alice: { authorization: string };
  let bob: { authorization: string };

  beforeAll(async () => {
    const { createApp } = await import('../../src/app.factory');
    const db = await createMigratedDatabase();
    app = await createApp({ config: db.config, dataSource: db.dataSource, imports: [ProbeModule] });
    drop = async () => {
      await app.close();
      await db.drop();
    };
    query = (sql) => db.dataSource.query(sql);
    alice = { authorization: `Bearer ${(await signUp(app, 'alice-etag@example.com')).accessToken}` };
    bob = { authorization: `Bearer ${(await signUp(app, 'bob-etag@example.com')).accessToken}` };
  });
  afterAll(async () => drop?.());

  async function newRoot(headers: { authorization: string }, name: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/probe-roots', headers, payload: { name } });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  }

  describe('ETag / If-Match', () => {
    it('GET carries ETag "<version>"; a PATCH with the current If-Match wins and moves the ETag on', async () => {
      const id = await newRoot(alice, 'Versioned 1');
      const get = await app.inject({ method: 'GET', url: `/api/roots/${id}/probe`, headers: alice });
      expect(get.statusCode).toBe(200);
      expect(get.headers.etag).toBe('"1"');
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/roots/${id}/probe`,
        headers: { ...alice, 'if-match': '"1"' },
        payload: { name: 'Versioned 1b' },
      });
      expect(patch.statusCode).toBe(200);
      expect(patch.json().version).toBe(2);
      expect(patch.headers.etag).toBe('"2"');
    });

    it('a stale or weak If-Match answers 412 in the error shape and writes nothing; * and no header pass', async () => {
      const id = await newRoot(alice, 'Versioned 2');
      await app.inject({ method: 'PATCH', url: `/api/roots/${id}/probe`, headers: alice, payload: { description: 'v2' } });
      for (const tag of ['"1"', 'W/"2"', '"nope"']) {
        const res = await app.inject({
          method: 'PATCH',
          url: `/api/roots/${id}/probe`,
          headers: { ...alice, 'if-match': tag },
          payload: { name: 'lost update' },
        });
        expect(res.statusCode).toBe(412);
        expect(res.json()).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
        expect(res.json().message).toMatch(/current version "2"/);
      }
      const now = await app.inject({ method: 'GET', url: `/api/roots/${id}/probe`, headers: alice });
      expect(now.json()).toMatchObject({ name: 'Versioned 2', version: 2 });
      const star = await app.inject({ method: 'PATCH', url: `/api/roots/${id}/probe`, headers: { ...alice, 'if-match': '*' }, payload: { name: 'star' } });
      expect(star.statusCode).toBe(200);
      expect(star.headers.etag).toBe('"3"');
    });

    it('of two concurrent writes with the same If-Match, exactly one wins and the other gets 412', async () => {
      const id = await newRoot(alice, 'Versioned 3');
      const writes = await Promise.all(
        ['first', 'second', 'third'].map((name) =>
          app.inject({ method: 'PATCH', url: `/api/roots/${id}/probe`, headers: { ...alice, 'if-match': '"1"' }, payload: { name } }),
        ),
      );
      expect(writes.map((w) => w.statusCode).sort()).toEqual([200, 412, 412]);
      const winner = writes.find((w) => w.statusCode === 200)!.json().name;
      const now = await app.inject({ method: 'GET', url: `/api/roots/${id}/probe`, headers: alice });
      expect(now.json()).toMatchObject({ name: winner, version: 2 });
    });

    it("another user's root answers 404 with any If-Match, never 412", async () => {
      const id = await newRoot(alice, 'Versioned 4');
      for (const tag of ['"1"', '"9"']) {
        const res = await app.inject({ method: 'PATCH', url: `/api/roots/${id}/probe`, headers: { ...bob, 'if-match': tag }, payload: { name: 'x' } });
        expect(res.statusCode).toBe(404);
      }
    });
  });

  describe('Idempotency-Key', () => {
    const post = (headers: Record<string, string>, payload: unknown) =>
      app.inject({ method: 'POST', url: '/api/probe-roots', headers, payload: payload as object });
    const rootsNamed = async (name: string) =>
      Number((await query(`SELECT count(*) AS n FROM goals WHERE name = '${name}'`))[0].n);

    it('the same key and body return the first result and create nothing more', async () => {
      const first = await post({ ...alice, 'idempotency-key': 'k-1' }, { name: 'Idem 1' });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await post({ ...alice, 'idempotency-key': 'k-1' }, { name: 'Idem 1' });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      expect(await rootsNamed('Idem 1')).toBe(1);
    });

    it('the same key with a different body answers 422 and creates nothing', async () => {
      await post({ ...alice, 'idempotency-key': 'k-2' }, { name: 'Idem 2' });
      const other = await post({ ...alice, 'idempotency-key': 'k-2' }, { name: 'Idem 2 changed' });
      expect(other.statusCode).toBe(422);
      expect(other.json()).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
      expect(await rootsNamed('Idem 2 changed')).toBe(0);
    });

    it('keys belong to their user: the same key from another user is a new request', async () => {
      const a = await post({ ...alice, 'idempotency-key': 'shared' }, { name: 'Idem 3' });
      const b = await post({ ...bob, 'idempotency-key': 'shared' }, { name: 'Idem 3' });
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(b.json().id).not.toBe(a.json().id);
    });

    it('concurrent duplicates run once: every answer is the first result', async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => post({ ...alice, 'idempotency-key': 'k-burst' }, { name: 'Idem 4' })));
      expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((r) => r.json().id)).size).toBe(1);
      expect(await rootsNamed('Idem 4')).toBe(1);
    });

    it('a request that fails keeps no key, so that a corrected retry can run', async () => {
      await post(alice, { name: 'Idem 5' });
      const clash = await post({ ...alice, 'idempotency-key': 'k-5' }, { name: 'Idem 5' });
      expect(clash.statusCode).toBe(409);
      expect(await query(`SELECT id FROM idempotency_keys WHERE key = 'k-5'`)).toEqual([]);
    });

    it('an expired key starts afresh', async () => {
      await post({ ...alice, 'idempotency-key': 'k-6' }, { name: 'Idem 6' });
      await query(`UPDATE idempotency_keys SET expires_at = created_at WHERE key = 'k-6'`);
      await new Promise((r) => setTimeout(r, 5));
      const fresh = await post({ ...alice, 'idempotency-key': 'k-6' }, { name: 'Idem 6 again' });
      expect(fresh.statusCode).toBe(201);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    });

    it('a malformed key answers 400 naming the header, and writes nothing', async () => {
      for (const key of ['', 'has space', 'x'.repeat(201), 'ünïcode']) {
        const res = await post({ ...alice, 'idempotency-key': key }, { name: 'Idem 7' });
        expect(res.statusCode).toBe(400);
        expect(res.json().details).toEqual([{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }]);
      }
      expect(await rootsNamed('Idem 7')).toBe(0);
    });
  });
});
