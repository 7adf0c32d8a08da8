import { randomUUID } from 'node:crypto';
import { describeDb, TestApp } from '../helpers/db';
import { allPages, appWithTwoUsers, expectRefusal, practice, RootClient, sqlOf, unchanged } from '../activities/helpers';

describeDb('session templates', () => {
  let t: TestApp;
  let a: RootClient;
  let b: RootClient;
  const act: Record<string, string> = {};
  let foreignActivity: string;
  let foreignTemplate: string;

  const post = async (c: RootClient, path: string, body: object) => {
    const res = await c.call('POST', path, body);
    expect({ path, status: res.statusCode, body: res.json() }).toMatchObject({ status: 201 });
    return res.json();
  };
  const plan = (...sections: [string, number, string[]][]) =>
    sections.map(([name, durationMinutes, ids]) => ({ name, durationMinutes, activities: ids.map((activityId) => ({ activityId })) }));
  const shape = (view: any) => view.sections.map((s: any) => [s.position, s.name, s.durationMinutes, s.activities.map((x: any) => x.name)]);

  beforeAll(async () => {
    ({ t, a, b } = await appWithTwoUsers());
    for (const name of ['Scales', 'Arpeggios', 'Etude', 'Sight reading']) act[name] = (await post(a, '/activities', { name })).id;
    foreignActivity = (await post(b, '/activities', { name: 'B activity' })).id;
    foreignTemplate = (await post(b, '/session-templates', { name: 'B template', sections: plan(['B', 5, [foreignActivity]]) })).id;
  });
  afterAll(async () => t?.close());

  it('makes a template of sections of the root’s activities', async () => {
    const res = await a.call('POST', '/session-templates', {
      name: ' Morning ',
      description: 'Daily',
      sections: plan(['Warm-up', 10, [act.Scales, act.Arpeggios]], ['Main', 30, [act.Etude]], ['Cool-down', 5, []]),
    });
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ name: 'Morning', description: 'Daily', totalDurationMinutes: 45, version: 1 });
    expect(shape(view)).toEqual([
      [0, 'Warm-up', 10, ['Scales', 'Arpeggios']],
      [1, 'Main', 30, ['Etude']],
      [2, 'Cool-down', 5, []],
    ]);
    expect(view.sections[0].activities[0]).toEqual({ id: expect.any(String), activityId: act.Scales, name: 'Scales', deleted: false });
    const got = await a.call('GET', `/session-templates/${view.id}`);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(view);
    expect((await post(a, '/session-templates', { name: 'Empty' })).sections).toEqual([]);
  });

  it('refuses bad bodies and activities that are not live in this root, naming the field, and writes nothing', async () => {
    const gone = (await post(a, '/activities', { name: 'Gone soon' })).id;
    expect((await a.call('DELETE', `/activities/${gone}`)).statusCode).toBe(204);
    const one = (extra: object) => ({ name: 'New', sections: [{ name: 'S', durationMinutes: 5, ...extra }] });
    await unchanged(t, a.rootId, async () => {
      for (const [body, status, field] of [
        [{}, 400, 'name'],
        [{ name: '' }, 400, 'name'],
        [{ name: 'x'.repeat(201) }, 400, 'name'],
        [{ name: 'New', description: [] }, 400, 'description'],
        [{ name: 'New', sections: {} }, 400, 'sections'],
        [{ name: 'New', sections: null }, 400, 'sections'],
        [{ name: 'New', sections: Array.from({ length: 51 }, (_, i) => ({ name: `S${i}`, durationMinutes: 1 })) }, 400, 'sections'],
        [{ name: 'New', sections: [{ durationMinutes: 5 }] }, 400, 'sections.0.name'],
        [{ name: 'New', sections: [{ name: 'S' }] }, 400, 'sections.0.durationMinutes'],
        [one({ durationMinutes: -1 }), 400, 'sections.0.durationMinutes'],
        [one({ durationMinutes: 2.5 }), 400, 'sections.0.durationMinutes'],
        [one({ durationMinutes: 1441 }), 400, 'sections.0.durationMinutes'],
        [one({ durationMinutes: '10' }), 400, 'sections.0.durationMinutes'],
        [one({ activities: 'Scales' }), 400, 'sections.0.activities'],
        [one({ activities: [{}] }), 400, 'sections.0.activities.0.activityId'],
        [one({ activities: [{ activityId: 'scales' }] }), 400, 'sections.0.activities.0.activityId'],
        [one({ activities: [{ activityId: act.Scales, name: 'x' }] }), 400, 'sections.0.activities.0.name'],
        [one({ activities: Array.from({ length: 101 }, () => ({ activityId: act.Scales })) }), 400, 'sections.0.activities'],
        [one({ extra: 1 }), 400, 'sections.0.extra'],
        [one({ activities: [{ activityId: act.Scales }, { activityId: randomUUID() }] }), 404, 'sections.0.activities.1.activityId'],
        [one({ activities: [{ activityId: foreignActivity }] }), 404, 'sections.0.activities.0.activityId'],
        [one({ activities: [{ activityId: gone }] }), 404, 'sections.0.activities.0.activityId'],
        [{ name: 'New', id: randomUUID() }, 400, 'id'],
        [{ name: 'New', rootId: a.rootId }, 400, 'rootId'],
        [{ name: 'New', version: 2 }, 400, 'version'],
        [{ name: 'New', legacyTemplateData: {} }, 400, 'legacyTemplateData'],
        [{ name: 'New', templateData: {} }, 400, 'templateData'],
        [{ name: 'Morning' }, 409, 'name'],
      ] as const) {
        expectRefusal(await a.call('POST', '/session-templates', body), status, field);
      }
      const foreign = await a.call('POST', '/session-templates', one({ activities: [{ activityId: foreignActivity }] }));
      const unknown = await a.call('POST', '/session-templates', one({ activities: [{ activityId: randomUUID() }] }));
      expect(foreign.json()).toEqual(unknown.json());
    });
  });

  it('lists templates page by page', async () => {
    for (const name of ['P1', 'P2', 'P3']) await post(a, '/session-templates', { name, sections: plan(['Only', 1, [act.Scales]]) });
    const all = await allPages(a, '/session-templates', 2);
    expect(all.map((x) => x.name)).toEqual(expect.arrayContaining(['Morning', 'Empty', 'P1', 'P2', 'P3']));
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    expect(all.map((x) => x.id)).not.toContain(foreignTemplate);
    expect(all.find((x) => x.name === 'P2').sections[0].activities[0].name).toBe('Scales');
    expectRefusal(await a.call('GET', '/session-templates?limit=0'), 400, 'limit');
    expectRefusal(await a.call('GET', '/session-templates?cursor=bad'), 400, 'cursor');
  });

  it('answers unknown, malformed and foreign templates with the same 404, and writes nothing', async () => {
    const unknown = await a.call('GET', `/session-templates/${randomUUID()}`);
    expectRefusal(unknown, 404);
    await unchanged(t, a.rootId, async () => {
      for (const [method, path, body] of [
        ['GET', `/session-templates/${foreignTemplate}`, undefined],
        ['GET', '/session-templates/123', undefined],
        ['PATCH', `/session-templates/${foreignTemplate}`, { name: 'Taken over' }],
        ['DELETE', `/session-templates/${foreignTemplate}`, undefined],
        ['GET', `/session-templates/${foreignTemplate}/stats`, undefined],
        ['GET', '/session-templates/123/stats', undefined],
      ] as const) {
        const res = await a.call(method, path, body);
        expect({ path, status: res.statusCode, body: res.json() }).toEqual({ path, status: 404, body: unknown.json() });
      }
    });
  });

  it('replaces the sections by position: rows kept in place, the surplus soft-deleted, new ones added', async () => {
    const created = await post(a, '/session-templates', { name: 'Editable', sections: plan(['A', 5, [act.Scales, act.Etude]], ['B', 5, [act.Etude]], ['C', 5, []]) });
    const ids = created.sections.map((s: any) => s.id);
    const res = await a.call(
      'PATCH',
      `/session-templates/${created.id}`,
      { name: 'Edited', sections: plan(['A2', 7, [act.Arpeggios]], ['B', 5, [act.Etude, act.Scales]]) },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ name: 'Edited', version: 2, totalDurationMinutes: 12 });
    expect(shape(view)).toEqual([
      [0, 'A2', 7, ['Arpeggios']],
      [1, 'B', 5, ['Etude', 'Scales']],
    ]);
    expect(view.sections.map((s: any) => s.id)).toEqual(ids.slice(0, 2));
    const [c] = await sqlOf(t)(`SELECT deleted_at, deletion_id FROM session_template_sections WHERE id = ?`, [ids[2]]);
    expect(c.deleted_at).not.toBeNull();
    const grown = await a.call('PATCH', `/session-templates/${created.id}`, { sections: plan(['A2', 7, []], ['B', 5, [act.Etude]], ['D', 9, [act.Scales]]) });
    expect(shape(grown.json())).toEqual([
      [0, 'A2', 7, []],
      [1, 'B', 5, ['Etude']],
      [2, 'D', 9, ['Scales']],
    ]);
    expect(grown.json().version).toBe(3);
    // A PATCH without sections leaves them alone.
    expect(shape((await a.call('PATCH', `/session-templates/${created.id}`, { description: 'kept' })).json())).toEqual(shape(grown.json()));
  });

  it('refuses bad PATCHes, naming the field, and writes nothing', async () => {
    const created = await post(a, '/session-templates', { name: 'Guarded', sections: plan(['A', 5, [act.Scales]]) });
    await unchanged(t, a.rootId, async () => {
      for (const [body, status, field] of [
        [{ name: null }, 400, 'name'],
        [{ name: 'Morning' }, 409, 'name'],
        [{ sections: plan(['A', 5, [foreignActivity]]) }, 404, 'sections.0.activities.0.activityId'],
        [{ sections: [{ name: 'A', durationMinutes: 5 }, { name: 'B', durationMinutes: -2 }] }, 400, 'sections.1.durationMinutes'],
        [{ sections: null }, 400, 'sections'],
        [{ version: 5 }, 400, 'version'],
      ] as const) {
        expectRefusal(await a.call('PATCH', `/session-templates/${created.id}`, body), status, field);
      }
      expectRefusal(await a.call('PATCH', `/session-templates/${created.id}`, { name: 'Late' }, { 'if-match': '"7"' }), 412);
    });
  });

  it('shows a planned activity deleted since, and asks for a live one when the plan is saved again', async () => {
    const temp = (await post(a, '/activities', { name: 'Temporary' })).id;
    const created = await post(a, '/session-templates', { name: 'With temp', sections: plan(['S', 5, [temp]]) });
    await a.call('DELETE', `/activities/${temp}`);
    const view = (await a.call('GET', `/session-templates/${created.id}`)).json();
    expect(view.sections[0].activities[0]).toMatchObject({ activityId: temp, name: 'Temporary', deleted: true });
    await unchanged(t, a.rootId, async () =>
      expectRefusal(await a.call('PATCH', `/session-templates/${created.id}`, { sections: plan(['S', 5, [temp]]) }), 404, 'sections.0.activities.0.activityId'),
    );
  });

  it('refuses to delete a template that a program schedules, naming the program; deletes it softly once free', async () => {
    const created = await post(a, '/session-templates', { name: 'Scheduled', sections: plan(['S', 5, [act.Scales]]) });
    const ds = t.db.dataSource;
    const base = { rootId: a.rootId };
    const program = randomUUID();
    const block = randomUUID();
    const day = randomUUID();
    await ds.getRepository('Program').insert({ id: program, ...base, name: 'Spring plan', startDate: new Date('2026-03-01'), endDate: new Date('2026-05-01'), weeklySchedule: {} });
    await ds.getRepository('ProgramBlock').insert({ id: block, ...base, programId: program, name: 'Block' });
    await ds.getRepository('ProgramDay').insert({ id: day, ...base, blockId: block, dayNumber: 1 });
    await ds.getRepository('ScheduledSession').insert({ id: randomUUID(), ...base, dayId: day, sessionTemplateId: created.id });
    await unchanged(t, a.rootId, async () => {
      const res = await a.call('DELETE', `/session-templates/${created.id}`);
      expectRefusal(res, 409, 'templateId');
      expect(res.json().message).toContain('"Spring plan"');
      expect(res.json().details[0].message).toContain(program);
    });
    await sqlOf(t)(`UPDATE programs SET deleted_at = created_at, deletion_id = ? WHERE id = ?`, [randomUUID(), program]);
    expect((await a.call('DELETE', `/session-templates/${created.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(204);
    expectRefusal(await a.call('GET', `/session-templates/${created.id}`), 404);
    expectRefusal(await a.call('DELETE', `/session-templates/${created.id}`), 404);
    const [template] = await sqlOf(t)(`SELECT deletion_id FROM session_templates WHERE id = ?`, [created.id]);
    const sections = await sqlOf(t)(`SELECT deletion_id FROM session_template_sections WHERE template_id = ?`, [created.id]);
    const planned = await sqlOf(t)(
      `SELECT p.deletion_id FROM session_template_activities p JOIN session_template_sections s ON s.id = p.section_id WHERE s.template_id = ?`,
      [created.id],
    );
    expect([...sections, ...planned].map((r) => r.deletion_id)).toEqual([template.deletion_id, template.deletion_id]);
    expect((await a.call('POST', '/session-templates', { name: 'Scheduled' })).statusCode).toBe(201);
  });

  it('answers stats: sessions made from it, and average active time per section, ignoring open sessions and days-long timers', async () => {
    const created = await post(a, '/session-templates', { name: 'Measured', sections: plan(['Warm-up', 10, [act.Scales]], ['Main', 20, [act.Etude]], ['Warm-up', 5, []]) });
    const other = await post(a, '/session-templates', { name: 'Unmeasured' });
    const p = practice(t, a.rootId);
    const session = async (day: string, completed: boolean, sections: [string, [number, number][]][], total?: number, template = created.id) => {
      const id = await p.session(`From template ${day}`, `${day}T08:00:00Z`, { templateId: template, completed, totalDurationSeconds: total });
      // The session's sections as rows, each instance naming its section.
      for (const [position, [name, instances]] of sections.entries()) {
        const sectionId = randomUUID();
        await sqlOf(t)(`INSERT INTO session_sections (id, root_id, session_id, position, name) VALUES (?, ?, ?, ?, ?)`, [sectionId, a.rootId, id, position, name]);
        for (const [k, [activityIndex, seconds]] of instances.entries()) {
          const activityId = [act.Scales, act.Etude][activityIndex];
          const instanceId = await p.instance(id, activityId, `${day}T08:0${k}:00Z`, { durationSeconds: seconds });
          await sqlOf(t)(`UPDATE activity_instances SET section_id = ? WHERE id = ?`, [sectionId, instanceId]);
        }
      }
      return id;
    };
    await session('2026-04-01', true, [['Warm-up', [[0, 300], [0, 100]]], ['Main', [[1, 1200]]], ['Warm-up', [[0, 60]]]], 1700);
    await session('2026-04-02', true, [['Warm-up', [[0, 200]]], ['Main', [[1, 90000]]]]);
    await session('2026-04-03', false, [['Warm-up', [[0, 999]]], ['Main', [[1, 999]]]]);
    await session('2026-04-04', true, [['Warm-up', [[0, 500]]]], 500, other.id);
    const deleted = await session('2026-04-05', true, [['Warm-up', [[0, 1000]]]], 1000);
    await sqlOf(t)(`UPDATE goals SET deleted_at = created_at, deletion_id = ? WHERE id = ?`, [randomUUID(), deleted]);

    const res = await a.call('GET', `/session-templates/${created.id}/stats`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      templateId: created.id,
      sessionCount: 3,
      completedSessionCount: 2,
      // 1700, and the second session's instance sum (90200 s) is over a day: ignored.
      averageDurationSeconds: 1700,
      firstSessionAt: '2026-04-01T08:00:00.000Z',
      lastSessionAt: '2026-04-03T08:00:00.000Z',
      sections: [
        { position: 0, name: 'Warm-up', plannedMinutes: 10, sessionCount: 2, averageActiveSeconds: 300 },
        { position: 1, name: 'Main', plannedMinutes: 20, sessionCount: 1, averageActiveSeconds: 1200 },
        { position: 2, name: 'Warm-up', plannedMinutes: 5, sessionCount: 1, averageActiveSeconds: 60 },
      ],
    });
    const none = (await a.call('GET', `/session-templates/${(await post(a, '/session-templates', { name: 'Unused', sections: plan(['S', 5, []]) })).id}/stats`)).json();
    expect(none).toMatchObject({ sessionCount: 0, completedSessionCount: 0, averageDurationSeconds: null, firstSessionAt: null, sections: [{ sessionCount: 0, averageActiveSeconds: null }] });
  });

  it('honours an Idempotency-Key on POST', async () => {
    const send = (name: string) => a.call('POST', '/session-templates', { name }, { 'idempotency-key': 'template-key' });
    const first = await send('Idempotent template');
    const again = await send('Idempotent template');
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(again.json().id).toBe(first.json().id);
    await unchanged(t, a.rootId, async () => expectRefusal(await send('Another'), 422));
  });
});
