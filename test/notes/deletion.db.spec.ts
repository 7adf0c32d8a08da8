import { sql } from '../foundation/helpers';
import { describeDb } from '../helpers/db';
import { allPages, Api, notesRoot, ok, sessionApi } from './helpers';

/**
 * Notes go with what they are about, under the same deletion id, and come back with it: goal
 * subtrees (sessions and their instances included), sessions, activities and instances.
 */
describeDb('notes deleted and restored with what they are about', () => {
  let api: Api;
  beforeAll(async () => {
    api = await sessionApi('notes-deletion@example.com');
  });
  afterAll(async () => api?.t.close());

  const row = async (id: string) => (await sql(api.t.db.dataSource, 'SELECT deleted_at, deletion_id FROM notes WHERE id = ?', [id]))[0];
  const liveIds = async (r: Awaited<ReturnType<typeof notesRoot>>) => (await allPages(api, r.at('/notes'), 50)).map((n) => n.id).sort();

  it('a goal delete takes the notes about its subtree, sessions and instances; its restore brings back exactly those', async () => {
    const r = await notesRoot(api, 'Tree');
    const s = await r.session('2026-03-01T10:00:00Z', [r.scales.id, r.chords.id]);
    const kept = [(await r.note('root', r.root)).id, (await r.note('activity', r.scales.id)).id];
    const taken = [
      (await r.note('goal', r.goals.ltg)).id,
      (await r.note('goal', r.goals.mtg)).id,
      (await r.note('goal', r.goals.stg2)).id,
      (await r.note('session', s.id)).id,
      (await r.note('instance', s.instances[1])).id,
    ];
    const earlier = await r.note('goal', r.goals.stg, 'deleted on its own before');
    await ok(api, 'DELETE', r.at(`/notes/${earlier.id}`));
    const earlierDeletion = (await row(earlier.id)).deletion_id;

    const del = await ok(api, 'DELETE', r.at(`/goals/${r.goals.ltg}`));
    expect(del.removed).toMatchObject({ notes: 5, activityInstances: 2 });
    for (const id of taken) expect(await row(id)).toMatchObject({ deletion_id: del.deletionId });
    expect(await liveIds(r)).toEqual([...kept].sort());
    expect((await api.req('GET', r.at(`/notes/${taken[0]}`))).statusCode).toBe(404);
    expect((await row(earlier.id)).deletion_id).toBe(earlierDeletion);

    const back = await ok(api, 'POST', r.at(`/goals/${r.goals.ltg}/restore`));
    expect(back.restored).toMatchObject({ notes: 5 });
    expect(await liveIds(r)).toEqual([...kept, ...taken].sort());
    for (const id of taken) expect(await row(id)).toMatchObject({ deleted_at: null, deletion_id: null });
    // The note deleted before stays deleted, under its own deletion.
    expect((await row(earlier.id)).deletion_id).toBe(earlierDeletion);
    expect((await ok(api, 'GET', r.at(`/goals/${r.goals.ltg}`))).noteCount).toBe(1);
  });

  it('a session delete takes the notes about it and its instances, and its restore brings them back', async () => {
    const r = await notesRoot(api, 'Session');
    const s = await r.session('2026-03-01T10:00:00Z', [r.scales.id]);
    const other = await r.session('2026-03-02T10:00:00Z', [r.scales.id]);
    const onSession = (await r.note('session', s.id)).id;
    const onInstance = (await r.note('instance', s.instances[0])).id;
    const onOther = (await r.note('session', other.id)).id;
    const onGoal = (await r.note('goal', r.goals.stg)).id;
    await ok(api, 'DELETE', r.at(`/sessions/${s.id}`));
    expect(await liveIds(r)).toEqual([onOther, onGoal].sort());
    expect((await row(onSession)).deletion_id).toBe((await row(onInstance)).deletion_id);
    expect((await api.req('GET', r.at(`/sessions/${s.id}/notes`))).statusCode).toBe(404);
    await ok(api, 'POST', r.at(`/sessions/${s.id}/restore`));
    expect(await liveIds(r)).toEqual([onSession, onInstance, onOther, onGoal].sort());
    expect((await ok(api, 'GET', r.at(`/sessions/${s.id}`))).noteCount).toBe(1);
  });

  it('an activity delete takes the notes about it, under its own deletion id', async () => {
    const r = await notesRoot(api, 'Activity');
    const onScales = (await r.note('activity', r.scales.id)).id;
    const onChords = (await r.note('activity', r.chords.id)).id;
    await ok(api, 'DELETE', r.at(`/activities/${r.scales.id}`));
    const activity = (await sql(api.t.db.dataSource, 'SELECT deletion_id FROM activity_definitions WHERE id = ?', [r.scales.id]))[0];
    expect(activity.deletion_id).toEqual(expect.any(String));
    expect((await row(onScales)).deletion_id).toBe(activity.deletion_id);
    expect(await liveIds(r)).toEqual([onChords]);
  });

  it('an instance delete takes the notes about it, under its own deletion id', async () => {
    const r = await notesRoot(api, 'Instance');
    const s = await r.session('2026-03-01T10:00:00Z', [r.scales.id, r.chords.id]);
    const gone = (await r.note('instance', s.instances[0])).id;
    const stays = (await r.note('instance', s.instances[1])).id;
    await ok(api, 'DELETE', r.at(`/activity-instances/${s.instances[0]}`));
    const instance = (await sql(api.t.db.dataSource, 'SELECT deletion_id FROM activity_instances WHERE id = ?', [s.instances[0]]))[0];
    expect(instance.deletion_id).toEqual(expect.any(String));
    expect((await row(gone)).deletion_id).toBe(instance.deletion_id);
    expect(await liveIds(r)).toEqual([stays]);
    const after = await api.req('POST', r.at('/notes'), { content: 'x', about: { type: 'instance', id: s.instances[0] } });
    expect(after.statusCode).toBe(404);
  });
});
