import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, ok, sessionApi } from '../sessions/helpers';

/**
 * The trash, through HTTP: every deletion of a root, newest first, with what it took; a
 * restore through the owning feature, with its rules; 404 for an id that is not this root's.
 */
describeDb('the trash', () => {
  let api: Api;
  let other: Api;
  let root: string;
  const at = (path: string) => api.at(root, path);
  const trash = async (query = '') => ok(api, 'GET', at(`/trash${query}`));
  const restore = (deletionId: string) => api.req('POST', at(`/trash/${deletionId}/restore`), {});
  const goal = async (parentId: string, type: string, name: string) => (await ok(api, 'POST', at('/goals'), { parentId, type, name })).id as string;

  let ltg: string;
  let mtg: string;
  let stg: string;
  let activity: { id: string; metric: string };
  let template: string;
  let group: string;
  let session: string;

  beforeAll(async () => {
    api = await sessionApi('trash@example.com');
    other = await sessionApi('other-trash@example.com');
    root = await api.newRoot('Trash root');
    ltg = await goal(root, 'LongTermGoal', 'Long');
    mtg = await goal(ltg, 'MidTermGoal', 'Mid');
    stg = await goal(mtg, 'ShortTermGoal', 'Short');
    group = (await ok(api, 'POST', at('/activity-groups'), { name: 'Technique' })).id;
    const made = await ok(api, 'POST', at('/activities'), { name: 'Scales', groupId: group, metrics: [{ name: 'bpm', unit: 'bpm' }] });
    activity = { id: made.id, metric: made.metrics[0].id };
    template = (await ok(api, 'POST', at('/session-templates'), { name: 'Morning', sections: [{ name: 'Warm-up', durationMinutes: 5, activities: [{ activityId: activity.id }] }] })).id;
    session = (await ok(api, 'POST', at('/sessions'), { parentGoalIds: [stg], templateId: template })).id;
    await ok(api, 'POST', at(`/sessions/${session}/complete`));
  });
  afterAll(async () => {
    await api?.t.close();
    await other?.t.close();
  });

  it('is empty while nothing is deleted', async () => {
    expect(await trash()).toEqual({ items: [], nextCursor: null });
  });

  it('lists each deletion, newest first, with its type, top item and the rows it took per table; a restore takes it off', async () => {
    await ok(api, 'DELETE', at(`/sessions/${session}`));
    await ok(api, 'DELETE', at(`/session-templates/${template}`));
    await ok(api, 'DELETE', at(`/activities/${activity.id}`));
    await ok(api, 'DELETE', at(`/activity-groups/${group}`));
    const deleted = await ok(api, 'DELETE', at(`/goals/${mtg}`));

    const { items, nextCursor } = await trash();
    expect(nextCursor).toBeNull();
    // Deleted in this order; two deletes in the same millisecond would tie, so the order is checked by time below.
    const expected = [
      ['goal', mtg, 'Mid'],
      ['activityGroup', group, 'Technique'],
      ['activity', activity.id, 'Scales'],
      ['template', template, 'Morning'],
      ['session', session, expect.stringMatching(/^Practice Session 1/)],
    ];
    expect(items).toHaveLength(5);
    expect(items.map((i: any) => [i.type, i.id, i.name])).toEqual(expect.arrayContaining(expected));
    const [g, grp, act, tpl, ses] = expected.map(([type]) => items.find((i: any) => i.type === type));
    expect(g.deletionId).toBe(deleted.deletionId);
    // The goal deletion took the mid-term and short-term goals (the session went before, in its own deletion).
    expect(g.rows).toEqual({ goals: 2 });
    expect(grp.rows).toEqual({ activity_groups: 1 });
    expect(act.rows).toEqual({ activity_definitions: 1 });
    expect(tpl.rows).toEqual({ session_templates: 1, session_template_sections: 1, session_template_activities: 1 });
    expect(ses.rows).toMatchObject({ goals: 1, practice_session_goals: 1, session_sections: 1, activity_instances: 1 });
    expect(ses.totalRows).toBe(Object.values(ses.rows as Record<string, number>).reduce((a, b) => a + b, 0));
    for (const item of items) expect(Number.isNaN(Date.parse(item.deletedAt))).toBe(false);
    const times = items.map((i: any) => Date.parse(i.deletedAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    // Pages of two walk the same list, without repeats.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await trash(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items.map((i: any) => i.deletionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(items.map((i: any) => i.deletionId));
    expect((await api.req('GET', at('/trash?cursor=nonsense'))).statusCode).toBe(400);
  });

  it('restores a session only after its goal: the goal tree rule holds (409), then each kind through its feature', async () => {
    const items = (await trash()).items as any[];
    const byType = (type: string) => items.find((i) => i.type === type);

    // The session's short-term goal is deleted (with the mid-term goal): 409, nothing restored.
    const refused = await restore(byType('session').deletionId);
    expect(refused.statusCode).toBe(409);
    expect((await trash()).items).toHaveLength(5);

    const goalBack = await ok(api, 'POST', at(`/trash/${byType('goal').deletionId}/restore`), {});
    expect(goalBack).toMatchObject({ type: 'goal', id: mtg, restored: { goals: 2 }, item: { id: mtg, name: 'Mid' } });
    expect((await ok(api, 'GET', at(`/goals/${stg}`))).name).toBe('Short');

    // The activity's group is deleted: 409 until the group is back.
    expect((await restore(byType('activity').deletionId)).statusCode).toBe(409);
    const groupBack = await ok(api, 'POST', at(`/trash/${byType('activityGroup').deletionId}/restore`), {});
    expect(groupBack).toMatchObject({ type: 'activityGroup', id: group, restored: { activityGroups: 1 } });
    // The delete moved the activity to no group, so its restore no longer waits for the group.
    const activityBack = await ok(api, 'POST', at(`/trash/${byType('activity').deletionId}/restore`), {});
    expect(activityBack).toMatchObject({ type: 'activity', id: activity.id, item: { name: 'Scales' } });

    const templateBack = await ok(api, 'POST', at(`/trash/${byType('template').deletionId}/restore`), {});
    expect(templateBack).toMatchObject({ type: 'template', restored: { sessionTemplates: 1, sessionTemplateSections: 1, sessionTemplateActivities: 1 } });
    expect((await ok(api, 'GET', at(`/session-templates/${template}`))).sections).toHaveLength(1);

    const sessionBack = await ok(api, 'POST', at(`/trash/${byType('session').deletionId}/restore`), {});
    expect(sessionBack).toMatchObject({ type: 'session', id: session, restored: { sessions: 1 } });
    expect((await ok(api, 'GET', at(`/sessions/${session}`))).instances).toHaveLength(1);

    expect(await trash()).toEqual({ items: [], nextCursor: null });
    // A restored deletion is gone: its id answers 404 now.
    expect((await restore(byType('goal').deletionId)).statusCode).toBe(404);
  });

  it('refuses a taken name with 409 and restores nothing', async () => {
    const made = await ok(api, 'POST', at('/activities'), { name: 'Twice' });
    await ok(api, 'DELETE', at(`/activities/${made.id}`));
    await ok(api, 'POST', at('/activities'), { name: 'Twice' });
    const [item] = (await trash()).items;
    const res = await restore(item.deletionId);
    expect(res.statusCode).toBe(409);
    expect((await trash()).items.map((i: any) => i.deletionId)).toEqual([item.deletionId]);
  });

  it("answers 404 for an unknown, malformed or another root's deletion id, and for a deletion that is no trash item", async () => {
    const foreignRoot = await other.newRoot('Foreign');
    const foreign = await other.req('POST', other.at(foreignRoot, '/goals'), { parentId: foreignRoot, type: 'LongTermGoal', name: 'Theirs' });
    const foreignDeletion = (await other.req('DELETE', other.at(foreignRoot, `/goals/${foreign.json().id}`))).json().deletionId;
    const answers = await Promise.all([randomUUID(), 'not-an-id', foreignDeletion].map(restore));
    expect(answers.map((a) => a.statusCode)).toEqual([404, 404, 404]);
    expect(answers[2].json()).toEqual(answers[0].json());
    // A metric dropped by a PATCH is soft-deleted under a deletion id, but is not a trash item.
    const made = await ok(api, 'POST', at('/activities'), { name: 'Patched', metrics: [{ name: 'a', unit: 'x' }, { name: 'b', unit: 'x' }] });
    await ok(api, 'PATCH', at(`/activities/${made.id}`), { metrics: [{ id: made.metrics[0].id, name: 'a', unit: 'x' }] });
    const listed = (await trash()).items.map((i: any) => i.name);
    expect(listed).not.toContain('Patched');
    // The other user sees none of this root's trash.
    expect((await other.req('GET', other.at(root, '/trash'))).statusCode).toBe(404);
  });
});
