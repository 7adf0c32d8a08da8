import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, fields, notesRoot, ok, sessionApi } from './helpers';

/**
 * GET /sessions/:sessionId/notes, and with previous=true the notes of the previous session with
 * the same activities: the latest earlier session whose set of activities equals this one's,
 * else the one sharing the most (the latest among ties).
 */
describeDb('notes of a session and of the previous one', () => {
  let api: Api;
  beforeAll(async () => {
    api = await sessionApi('notes-sessions@example.com');
  });
  afterAll(async () => api?.t.close());

  it('answers the previous session with the same set of activities, even when a later one overlaps', async () => {
    const r = await notesRoot(api, 'Same');
    const { scales, chords, arpeggios } = r;
    const same = await r.session('2026-03-01T10:00:00Z', [chords.id, scales.id, scales.id]);
    const older = await r.session('2026-02-01T10:00:00Z', [scales.id, chords.id]);
    const overlap = await r.session('2026-03-02T10:00:00Z', [scales.id, chords.id, arpeggios.id]);
    const current = await r.session('2026-03-03T10:00:00Z', [scales.id, chords.id]);
    // Later than the current one: never "previous".
    const later = await r.session('2026-03-04T10:00:00Z', [scales.id, chords.id]);
    const mine = await r.note('session', current.id, 'today');
    const last = await r.note('session', same.id, 'last time');
    await r.note('session', older.id, 'long ago');
    await r.note('session', overlap.id, 'overlap');
    await r.note('session', later.id, 'later');
    await r.note('instance', same.instances[0], 'an instance of last time');

    const plain = await ok(api, 'GET', r.at(`/sessions/${current.id}/notes`));
    expect(plain).toEqual({ items: [expect.objectContaining({ id: mine.id })], nextCursor: null, previousSessionId: null });
    const withPrevious = await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true`));
    expect(withPrevious.previousSessionId).toBe(same.id);
    expect(withPrevious.items.map((n: { id: string }) => n.id).sort()).toEqual([mine.id, last.id].sort());
    const off = await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=false`));
    expect(off.previousSessionId).toBeNull();
    expect(off.items).toHaveLength(1);

    // The same set deleted: the one sharing the most activities (the later of equals) takes its place.
    await ok(api, 'DELETE', r.at(`/sessions/${same.id}`));
    expect((await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true`))).previousSessionId).toBe(older.id);
    await ok(api, 'DELETE', r.at(`/sessions/${older.id}`));
    expect((await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true`))).previousSessionId).toBe(overlap.id);
  });

  it('falls back to the most shared activities, and answers none when nothing is shared', async () => {
    const r = await notesRoot(api, 'Overlap');
    const { scales, chords, arpeggios } = r;
    const two = await r.session('2026-03-01T10:00:00Z', [scales.id, chords.id]);
    // Later, but sharing one activity where the earlier one shares two.
    const one = await r.session('2026-03-02T10:00:00Z', [arpeggios.id]);
    const current = await r.session('2026-03-03T10:00:00Z', [scales.id, chords.id, arpeggios.id]);
    const lonely = await r.session('2026-03-04T10:00:00Z', []);
    expect((await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true`))).previousSessionId).toBe(two.id);
    expect((await ok(api, 'GET', r.at(`/sessions/${lonely.id}/notes?previous=true`))).previousSessionId).toBeNull();
    await ok(api, 'DELETE', r.at(`/sessions/${two.id}`));
    expect((await ok(api, 'GET', r.at(`/sessions/${current.id}/notes?previous=true`))).previousSessionId).toBe(one.id);
    const first = await r.session('2026-01-01T10:00:00Z', [chords.id]);
    expect((await ok(api, 'GET', r.at(`/sessions/${first.id}/notes?previous=true`))).previousSessionId).toBeNull();
  });

  it('pages pinned first, then newest first, and refuses bad input', async () => {
    const r = await notesRoot(api, 'Pages');
    const s = await r.session('2026-03-01T10:00:00Z', [r.scales.id]);
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) ids.push((await r.note('session', s.id, `n${k}`)).id);
    await ok(api, 'POST', r.at(`/notes/${ids[0]}/pin`));
    const page1 = await ok(api, 'GET', r.at(`/sessions/${s.id}/notes?limit=2`));
    expect(page1.items[0].id).toBe(ids[0]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await ok(api, 'GET', r.at(`/sessions/${s.id}/notes?limit=2&cursor=${page1.nextCursor}`));
    expect([...page1.items, ...page2.items].map((n: { id: string }) => n.id).sort()).toEqual([...ids].sort());
    for (const [query, field] of [
      ['?previous=yes', 'previous'],
      ['?limit=0', 'limit'],
      ['?cursor=x', 'cursor'],
      ['?other=1', 'other'],
    ]) {
      const res = await api.req('GET', r.at(`/sessions/${s.id}/notes${query}`));
      expect({ query, status: res.statusCode, fields: fields(res) }).toEqual({ query, status: 400, fields: expect.arrayContaining([field]) });
    }
    const other = await notesRoot(api, 'Elsewhere');
    const foreign = await other.session('2026-03-01T10:00:00Z', [other.scales.id]);
    for (const id of [randomUUID(), 'nope', foreign.id, r.goals.stg]) {
      expect((await api.req('GET', r.at(`/sessions/${id}/notes`))).statusCode).toBe(404);
    }
  });
});
