import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { allPages, Api, fields, notesRoot, ok, sessionApi, setCreatedAt, snapshot } from './helpers';

/**
 * The notes routes: create about each kind of thing, list (pinned first, newest first, filters,
 * pages), read with ETag, PATCH with If-Match, pin, unpin, delete. Every bad input answers a 4xx
 * naming the field, and writes nothing.
 */
describeDb('notes', () => {
  let api: Api;
  let r: Awaited<ReturnType<typeof notesRoot>>;
  let other: Awaited<ReturnType<typeof notesRoot>>;
  let session: { id: string; instances: string[] };
  let otherSession: { id: string; instances: string[] };

  /** Answers `status`, names `field` (if given), and leaves the root's rows as they were. */
  async function refused(method: string, url: string, body: unknown, status: number, field?: string, headers?: Record<string, string>) {
    const before = await snapshot(api, r.root);
    const res = await api.req(method, url, body, headers);
    expect({ method, url, body, status: res.statusCode }).toEqual({ method, url, body, status });
    if (field) expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    expect(res.json()).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    expect(await snapshot(api, r.root)).toBe(before);
    return res.json();
  }

  beforeAll(async () => {
    api = await sessionApi('notes@example.com');
    r = await notesRoot(api, 'Guitar');
    other = await notesRoot(api, 'Piano');
    session = await r.session('2026-03-01T10:00:00Z', [r.scales.id]);
    otherSession = await other.session('2026-03-01T10:00:00Z', [other.scales.id]);
  });
  afterAll(async () => api?.t.close());

  describe('POST /notes', () => {
    it('writes a note about each kind of thing of the root', async () => {
      const subjects: [string, string][] = [
        ['root', r.root],
        ['goal', r.goals.ltg],
        ['goal', r.goals.stg],
        ['session', session.id],
        ['activity', r.scales.id],
        ['instance', session.instances[0]],
      ];
      for (const [type, id] of subjects) {
        const res = await api.req('POST', r.at('/notes'), { content: `# ${type}\n\n*Markdown* stays as written.`, about: { type, id } });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toEqual({
          id: expect.any(String),
          content: `# ${type}\n\n*Markdown* stays as written.`,
          about: { type, id },
          pinned: false,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          version: 1,
        });
        const read = await api.req('GET', r.at(`/notes/${res.json().id}`));
        expect(read.statusCode).toBe(200);
        expect(read.headers.etag).toBe('"1"');
      }
    });

    it('takes 20,000 characters, and replays a retry with the same Idempotency-Key', async () => {
      const body = { content: 'x'.repeat(20_000), about: { type: 'root', id: r.root } };
      const first = await api.req('POST', r.at('/notes'), body, { 'idempotency-key': 'long-note' });
      expect(first.statusCode).toBe(201);
      const before = await snapshot(api, r.root);
      const retry = await api.req('POST', r.at('/notes'), body, { 'idempotency-key': 'long-note' });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json().id).toBe(first.json().id);
      expect(await snapshot(api, r.root)).toBe(before);
      await refused('POST', r.at('/notes'), { ...body, content: 'other' }, 422, undefined, { 'idempotency-key': 'long-note' });
    });

    it('refuses bad bodies with a 400 naming the field', async () => {
      const about = { type: 'goal', id: r.goals.ltg };
      await refused('POST', r.at('/notes'), { about }, 400, 'content');
      await refused('POST', r.at('/notes'), { content: '', about }, 400, 'content');
      await refused('POST', r.at('/notes'), { content: 42, about }, 400, 'content');
      await refused('POST', r.at('/notes'), { content: 'x'.repeat(20_001), about }, 400, 'content');
      await refused('POST', r.at('/notes'), { content: 'x' }, 400, 'about');
      await refused('POST', r.at('/notes'), { content: 'x', about: 'goal' }, 400, 'about');
      await refused('POST', r.at('/notes'), { content: 'x', about: { id: r.goals.ltg } }, 400, 'about.type');
      await refused('POST', r.at('/notes'), { content: 'x', about: { type: 'program', id: r.goals.ltg } }, 400, 'about.type');
      await refused('POST', r.at('/notes'), { content: 'x', about: { type: 'goal' } }, 400, 'about.id');
      await refused('POST', r.at('/notes'), { content: 'x', about: { type: 'goal', id: 7 } }, 400, 'about.id');
      await refused('POST', r.at('/notes'), { content: 'x', about: { ...about, extra: 1 } }, 400, 'about.extra');
      for (const serverField of ['id', 'pinned', 'rootId', 'version', 'createdAt', 'deletedAt']) {
        await refused('POST', r.at('/notes'), { content: 'x', about, [serverField]: serverField === 'pinned' ? true : 'x' }, 400, serverField);
      }
    });

    it('answers 404 naming about.id for a thing of another root, an unknown, malformed or deleted one, or one of another type', async () => {
      const deletedGoal = await ok(api, 'POST', r.at('/goals'), { parentId: r.root, type: 'LongTermGoal', name: 'Gone' });
      await ok(api, 'DELETE', r.at(`/goals/${deletedGoal.id}`));
      const misses: [string, string][] = [
        ['root', other.root],
        ['goal', other.goals.ltg],
        ['session', otherSession.id],
        ['activity', other.scales.id],
        ['instance', otherSession.instances[0]],
        ['goal', randomUUID()],
        ['goal', 'not-an-id'],
        ['goal', deletedGoal.id],
        // The right root, the wrong kind of thing.
        ['goal', session.id],
        ['goal', r.root],
        ['session', r.goals.stg],
        ['activity', r.goals.ltg],
        ['instance', session.id],
        ['root', r.goals.ltg],
      ];
      for (const [type, id] of misses) await refused('POST', r.at('/notes'), { content: 'x', about: { type, id } }, 404, 'about.id');
    });
  });

  describe('GET /notes', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      const list = await notesRoot(api, 'Lists');
      const s = await list.session('2026-03-02T10:00:00Z', [list.scales.id]);
      ids = {
        a: (await list.note('goal', list.goals.ltg, 'a')).id,
        b: (await list.note('goal', list.goals.mtg, 'b')).id,
        c: (await list.note('session', s.id, 'c')).id,
        d: (await list.note('goal', list.goals.ltg, 'd')).id,
        e: (await list.note('activity', list.scales.id, 'e')).id,
      };
      for (const [k, day] of Object.entries({ a: 1, b: 2, c: 3, d: 4, e: 5 })) await setCreatedAt(api, ids[k], `2026-04-0${day}T12:00:00.000Z`);
      await ok(api, 'POST', list.at(`/notes/${ids.b}/pin`));
      await ok(api, 'POST', list.at(`/notes/${ids.a}/pin`));
      listRoot = list;
    });
    let listRoot: Awaited<ReturnType<typeof notesRoot>>;
    const contents = (items: { content: string }[]) => items.map((n) => n.content);

    it('puts pinned notes first, then the newest first, on every page', async () => {
      expect(contents(await allPages(api, listRoot.at('/notes')))).toEqual(['b', 'a', 'e', 'd', 'c']);
      expect(contents(await allPages(api, listRoot.at('/notes'), 1))).toEqual(['b', 'a', 'e', 'd', 'c']);
      expect(contents((await ok(api, 'GET', listRoot.at('/notes'))).items)).toEqual(['b', 'a', 'e', 'd', 'c']);
    });

    it('filters by what the notes are about', async () => {
      expect(contents(await allPages(api, listRoot.at('/notes?aboutType=goal')))).toEqual(['b', 'a', 'd']);
      expect(contents(await allPages(api, listRoot.at(`/notes?aboutType=goal&aboutId=${listRoot.goals.ltg}`)))).toEqual(['a', 'd']);
      expect(contents(await allPages(api, listRoot.at('/notes?aboutType=session')))).toEqual(['c']);
      expect(contents(await allPages(api, listRoot.at(`/notes?aboutType=activity&aboutId=${listRoot.scales.id}`)))).toEqual(['e']);
      expect((await ok(api, 'GET', listRoot.at('/notes?aboutType=instance'))).items).toEqual([]);
    });

    it('refuses bad filters and pages with a 400 naming the parameter', async () => {
      const bad: [string, string][] = [
        ['?aboutType=program', 'aboutType'],
        [`?aboutId=${listRoot.goals.ltg}`, 'aboutType'],
        ['?aboutType=goal&aboutId=nope', 'aboutId'],
        [`?aboutType=goal&aboutId=${randomUUID()}`, 'aboutId'],
        [`?aboutType=goal&aboutId=${other.goals.ltg}`, 'aboutId'],
        [`?aboutType=session&aboutId=${listRoot.goals.ltg}`, 'aboutId'],
        ['?limit=0', 'limit'],
        ['?limit=201', 'limit'],
        ['?cursor=bogus', 'cursor'],
        ['?sort=new', 'sort'],
      ];
      for (const [query, field] of bad) {
        const res = await api.req('GET', listRoot.at(`/notes${query}`));
        expect({ query, status: res.statusCode, fields: fields(res) }).toEqual({ query, status: 400, fields: expect.arrayContaining([field]) });
      }
    });
  });

  describe('GET, PATCH, pin, unpin and DELETE /notes/:noteId', () => {
    let note: { id: string };
    beforeAll(async () => {
      note = await r.note('goal', r.goals.mtg, 'First words');
    });

    it('changes the text only with the current version, and refuses bad bodies', async () => {
      await refused('PATCH', r.at(`/notes/${note.id}`), { content: 'Stale' }, 412, undefined, { 'if-match': '"9"' });
      await refused('PATCH', r.at(`/notes/${note.id}`), {}, 400, 'content');
      await refused('PATCH', r.at(`/notes/${note.id}`), { content: '' }, 400, 'content');
      await refused('PATCH', r.at(`/notes/${note.id}`), { content: 'x'.repeat(20_001) }, 400, 'content');
      await refused('PATCH', r.at(`/notes/${note.id}`), { content: 'x', about: { type: 'root', id: r.root } }, 400, 'about');
      await refused('PATCH', r.at(`/notes/${note.id}`), { content: 'x', pinned: true }, 400, 'pinned');
      const res = await api.req('PATCH', r.at(`/notes/${note.id}`), { content: 'Second words' }, { 'if-match': '"1"' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.json()).toMatchObject({ id: note.id, content: 'Second words', about: { type: 'goal', id: r.goals.mtg }, version: 2 });
    });

    it('pins and unpins, with If-Match and Idempotency-Key', async () => {
      await refused('POST', r.at(`/notes/${note.id}/pin`), {}, 412, undefined, { 'if-match': '"1"' });
      await refused('POST', r.at(`/notes/${note.id}/pin`), { pinned: true }, 400, 'pinned');
      const pinned = await api.req('POST', r.at(`/notes/${note.id}/pin`), undefined, { 'if-match': '"2"', 'idempotency-key': 'pin-1' });
      expect(pinned.statusCode).toBe(200);
      expect(pinned.json()).toMatchObject({ pinned: true, version: 3 });
      const again = await ok(api, 'POST', r.at(`/notes/${note.id}/pin`));
      expect(again).toMatchObject({ pinned: true, version: 3 });
      const unpinned = await ok(api, 'POST', r.at(`/notes/${note.id}/unpin`));
      expect(unpinned).toMatchObject({ pinned: false, version: 4 });
      await refused('POST', r.at(`/notes/${note.id}/unpin`), { x: 1 }, 400, 'x');
    });

    it('deletes with If-Match; the note is gone from reads and lists', async () => {
      await refused('DELETE', r.at(`/notes/${note.id}`), undefined, 412, undefined, { 'if-match': '"1"' });
      const res = await api.req('DELETE', r.at(`/notes/${note.id}`), undefined, { 'if-match': '"4"' });
      expect(res.statusCode).toBe(204);
      expect((await api.req('GET', r.at(`/notes/${note.id}`))).statusCode).toBe(404);
      expect((await allPages(api, r.at('/notes'), 50)).map((n) => n.id)).not.toContain(note.id);
    });

    it('answers 404 for an unknown, malformed, deleted or foreign note on every route, writing nothing', async () => {
      const foreign = await other.note('root', other.root);
      for (const id of [randomUUID(), 'nope', note.id, foreign.id]) {
        expect((await api.req('GET', r.at(`/notes/${id}`))).statusCode).toBe(404);
        await refused('PATCH', r.at(`/notes/${id}`), { content: 'x' }, 404);
        await refused('POST', r.at(`/notes/${id}/pin`), undefined, 404);
        await refused('POST', r.at(`/notes/${id}/unpin`), undefined, 404);
        await refused('DELETE', r.at(`/notes/${id}`), undefined, 404);
      }
    });
  });

  it('answers noteCount on the reads of a goal, a session and an activity', async () => {
    const c = await notesRoot(api, 'Counts');
    const s = await c.session('2026-03-05T10:00:00Z', [c.chords.id]);
    await c.note('goal', c.goals.stg);
    await c.note('goal', c.goals.stg);
    await c.note('session', s.id);
    await c.note('activity', c.chords.id);
    await c.note('activity', c.chords.id);
    await c.note('activity', c.chords.id);
    const gone = await c.note('activity', c.chords.id);
    await ok(api, 'DELETE', c.at(`/notes/${gone.id}`));
    expect((await ok(api, 'GET', c.at(`/goals/${c.goals.stg}`))).noteCount).toBe(2);
    expect((await ok(api, 'GET', c.at(`/goals/${c.goals.mtg}`))).noteCount).toBe(0);
    expect((await ok(api, 'GET', c.at(`/sessions/${s.id}`))).noteCount).toBe(1);
    expect((await ok(api, 'GET', c.at(`/activities/${c.chords.id}`))).noteCount).toBe(3);
    expect((await ok(api, 'GET', c.at(`/activities/${c.scales.id}`))).noteCount).toBe(0);
    const listed = (await ok(api, 'GET', c.at('/activities'))).items;
    expect(Object.fromEntries(listed.map((a: { id: string; noteCount: number }) => [a.id, a.noteCount]))).toEqual({
      [c.scales.id]: 0,
      [c.chords.id]: 3,
      [c.arpeggios.id]: 0,
    });
  });
});
