import { randomUUID } from 'node:crypto';
import { describeDb } from '../helpers/db';
import { Api, chain, goalApi, practice } from './helpers';

const fields = (res: { json(): { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);
const TYPES = ['UltimateGoal', 'LongTermGoal', 'MidTermGoal', 'ShortTermGoal', 'PracticeSession', 'ImmediateGoal', 'MicroGoal', 'NanoGoal'];
const p = (engine: string) => (engine === 'postgres' ? '$1' : '?');

describeDb('levels, completion and pauses', () => {
  let api: Api;
  beforeAll(async () => {
    api = await goalApi('levels@example.com');
  });
  afterAll(async () => api?.t.close());

  describe('levels', () => {
    it("lists a new root's eight levels with the Flask app's names, a color and an icon each, written as rows", async () => {
      const root = await api.newRoot();
      const res = await api.req('GET', api.at(root, '/levels'));
      expect(res.statusCode).toBe(200);
      const { items, nextCursor } = res.json();
      expect(nextCursor).toBeNull();
      expect(items.map((l: { type: string }) => l.type)).toEqual(TYPES);
      expect(items[0]).toMatchObject({ type: 'UltimateGoal', rank: 0, displayName: 'Ultimate Goal', maxChildren: null, descriptionRequired: false, allowManualCompletion: true, autoCompleteWhenChildrenDone: false, defaultDeadlineOffsetDays: null, version: 1 });
      expect(items.map((l: { displayName: string }) => l.displayName)).toEqual(TYPES.map((t) => t.replace(/([a-z])([A-Z])/g, '$1 $2')));
      for (const l of items) {
        expect(l.color).toMatch(/^#[0-9a-f]{6}$/);
        expect(l.icon).toMatch(/^[a-z-]+$/);
      }
      const rows = await api.t.db.dataSource.query(`SELECT type FROM goal_levels WHERE root_id = ${p(api.t.db.engine)}`, [root]);
      expect(rows.map((r: { type: string }) => r.type).sort()).toEqual([...TYPES].sort());
    });

    it('pages with limit and cursor, and refuses bad ones naming them', async () => {
      const root = await api.newRoot();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { type: string }[]; nextCursor: string | null } = (await api.req('GET', api.at(root, `/levels?limit=3${cursor ? `&cursor=${cursor}` : ''}`))).json();
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((l) => l.type));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(TYPES);
      for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=x', 'limit'], ['cursor=bogus', 'cursor'], ['sort=rank', 'sort']]) {
        const res = await api.req('GET', api.at(root, `/levels?${query}`));
        expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
        expect(fields(res)).toContain(field);
      }
    });

    it('patches a level with If-Match, and refuses bad input naming it, writing nothing', async () => {
      const root = await api.newRoot();
      const ok = await api.req('PATCH', api.at(root, '/levels/MidTermGoal'), { displayName: 'Quarter', color: '#abc', icon: 'calendar', maxChildren: 4, autoCompleteWhenChildrenDone: true, defaultDeadlineOffsetDays: 90 }, { 'if-match': '"1"' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ type: 'MidTermGoal', displayName: 'Quarter', color: '#abc', icon: 'calendar', maxChildren: 4, autoCompleteWhenChildrenDone: true, defaultDeadlineOffsetDays: 90, version: 2 });
      expect(ok.headers.etag).toBe('"2"');
      const before = await api.snapshot(root);
      expect((await api.req('PATCH', api.at(root, '/levels/MidTermGoal'), { icon: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(412);
      for (const [payload, field] of [
        [{ displayName: '' }, 'displayName'],
        [{ color: 'blue' }, 'color'],
        [{ icon: 'two words' }, 'icon'],
        [{ maxChildren: -1 }, 'maxChildren'],
        [{ maxChildren: 'many' }, 'maxChildren'],
        [{ defaultDeadlineOffsetDays: 1.5 }, 'defaultDeadlineOffsetDays'],
        [{ descriptionRequired: 'yes' }, 'descriptionRequired'],
        [{ type: 'NanoGoal' }, 'type'],
        [{ rootId: root }, 'rootId'],
        [{ version: 9 }, 'version'],
      ] as [unknown, string][]) {
        const res = await api.req('PATCH', api.at(root, '/levels/MidTermGoal'), payload);
        expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
        expect(fields(res)).toContain(field);
      }
      for (const type of ['WeeklyGoal', 'midtermgoal', randomUUID()]) {
        const res = await api.req('PATCH', api.at(root, `/levels/${type}`), { icon: 'x' });
        expect({ type, status: res.statusCode }).toEqual({ type, status: 404 });
      }
      expect(await api.snapshot(root)).toBe(before);
    });

    it('a root without level rows reads the defaults, and its first PATCH writes the row', async () => {
      const root = await api.newRoot();
      await api.t.db.dataSource.query(`DELETE FROM goal_levels WHERE root_id = ${p(api.t.db.engine)}`, [root]);
      const items = (await api.req('GET', api.at(root, '/levels'))).json().items;
      expect(items).toHaveLength(8);
      const res = await api.req('PATCH', api.at(root, '/levels/NanoGoal'), { color: '#000000' });
      expect(res.json()).toMatchObject({ type: 'NanoGoal', displayName: 'Nano Goal', color: '#000000', version: 1 });
      expect((await api.req('GET', api.at(root, '/levels'))).json().items[7].color).toBe('#000000');
    });
  });

  describe('completing by hand', () => {
    it('completes and re-opens, with 409 for each wrong state, writing nothing', async () => {
      const root = await api.newRoot();
      const c = await chain(api, root);
      const parentVersion = (await api.req('GET', api.at(root, `/goals/${c.mtg}`))).json().version;
      const done = await api.req('POST', api.at(root, `/goals/${c.stg}/complete`), undefined, { 'if-match': '"1"' });
      // Nothing changed for the parent (its level does not auto-complete): it keeps its version.
      expect((await api.req('GET', api.at(root, `/goals/${c.mtg}`))).json().version).toBe(parentVersion);
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ completed: true, completionSource: 'manual', completedBySessionId: null, version: 2 });
      expect(done.json().completedAt).not.toBeNull();
      let before = await api.snapshot(root);
      const again = await api.req('POST', api.at(root, `/goals/${c.stg}/complete`));
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toMatch(/already completed/);
      expect((await api.req('POST', api.at(root, `/goals/${c.stg}/pause`))).statusCode).toBe(409);
      expect((await api.req('POST', api.at(root, `/goals/${c.stg}/complete`), { completed: true })).statusCode).toBe(400);
      expect((await api.req('POST', api.at(root, `/goals/${randomUUID()}/complete`))).statusCode).toBe(404);
      expect(await api.snapshot(root)).toBe(before);

      const open = await api.req('POST', api.at(root, `/goals/${c.stg}/uncomplete`));
      expect(open.statusCode).toBe(200);
      expect(open.json()).toMatchObject({ completed: false, completedAt: null, completionSource: null });
      expect(open.json().manuallyUncompletedAt).not.toBeNull();
      before = await api.snapshot(root);
      expect((await api.req('POST', api.at(root, `/goals/${c.stg}/uncomplete`))).statusCode).toBe(409);
      const session = await practice(api, root).session(c.stg, '2026-01-01T10:00:00Z');
      before = await api.snapshot(root);
      expect((await api.req('POST', api.at(root, `/goals/${session}/complete`))).statusCode).toBe(409);
      expect((await api.req('POST', api.at(root, `/goals/${session}/pause`))).statusCode).toBe(409);
      expect(await api.snapshot(root)).toBe(before);
    });

    it('refuses a manual completion where the level forbids it, also through the root PATCH', async () => {
      const root = await api.newRoot();
      const c = await chain(api, root);
      await api.req('PATCH', api.at(root, '/levels/ShortTermGoal'), { allowManualCompletion: false });
      await api.req('PATCH', api.at(root, '/levels/UltimateGoal'), { allowManualCompletion: false });
      const before = await api.snapshot(root);
      const res = await api.req('POST', api.at(root, `/goals/${c.stg}/complete`));
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toMatch(/Short Term Goal goals cannot be completed by hand/);
      expect((await api.req('PATCH', `/api/roots/${root}`, { completed: true })).statusCode).toBe(409);
      expect(await api.snapshot(root)).toBe(before);
    });
  });

  describe('pauses', () => {
    it('pauses and resumes, keeps every interval, and refuses completion while paused', async () => {
      const root = await api.newRoot();
      const c = await chain(api, root);
      for (let i = 0; i < 2; i++) {
        const paused = await api.req('POST', api.at(root, `/goals/${c.mtg}/pause`));
        expect(paused.statusCode).toBe(200);
        expect(paused.json()).toMatchObject({ paused: true, pausedAt: expect.any(String) });
        const before = await api.snapshot(root);
        expect((await api.req('POST', api.at(root, `/goals/${c.mtg}/pause`))).statusCode).toBe(409);
        const blocked = await api.req('POST', api.at(root, `/goals/${c.mtg}/complete`));
        expect(blocked.statusCode).toBe(409);
        expect(blocked.json().message).toMatch(/paused/);
        expect(await api.snapshot(root)).toBe(before);
        const resumed = await api.req('POST', api.at(root, `/goals/${c.mtg}/resume`));
        expect(resumed.json()).toMatchObject({ paused: false, pausedAt: null });
      }
      expect((await api.req('POST', api.at(root, `/goals/${c.mtg}/resume`))).statusCode).toBe(409);
      const intervals = await api.t.db.dataSource.query(`SELECT paused_at, resumed_at FROM goal_pauses WHERE goal_id = ${p(api.t.db.engine)}`, [c.mtg]);
      expect(intervals).toHaveLength(2);
      for (const i of intervals) expect(i.resumed_at).not.toBeNull();
      await api.req('POST', api.at(root, `/goals/${root}/pause`));
      expect((await api.req('PATCH', `/api/roots/${root}`, { completed: true })).statusCode).toBe(409);
    });
  });

  describe('cascades from children', () => {
    it("completes parents up the tree where the level says so, re-opens them when a child re-opens, and lists what changed", async () => {
      const root = await api.newRoot();
      const c = await chain(api, root);
      const stg2 = await c.add(c.mtg, 'ShortTermGoal', 'Short 2');
      await api.req('PATCH', api.at(root, '/levels/MidTermGoal'), { autoCompleteWhenChildrenDone: true });
      await api.req('PATCH', api.at(root, '/levels/LongTermGoal'), { autoCompleteWhenChildrenDone: true });
      const first = await api.req('POST', api.at(root, `/goals/${c.stg}/complete`));
      expect(first.json().changed.goals).toEqual([]);
      const second = await api.req('POST', api.at(root, `/goals/${stg2}/complete`));
      expect(second.json().changed.goals.map((g: { id: string; change: string; completionSource: string }) => [g.id, g.change, g.completionSource])).toEqual([
        [c.mtg, 'completed', 'children'],
        [c.ltg, 'completed', 'children'],
      ]);
      // The root's level does not auto-complete.
      expect((await api.req('GET', api.at(root, `/goals/${root}`))).json().completed).toBe(false);
      const reopen = await api.req('POST', api.at(root, `/goals/${stg2}/uncomplete`));
      expect(reopen.json().changed.goals.map((g: { id: string; change: string }) => [g.id, g.change])).toEqual([
        [c.mtg, 'uncompleted'],
        [c.ltg, 'uncompleted'],
      ]);
      // A new open child re-opens a parent its children completed.
      await api.req('POST', api.at(root, `/goals/${stg2}/complete`));
      const added = await api.req('POST', api.at(root, '/goals'), { parentId: c.mtg, type: 'ShortTermGoal', name: 'Short 3' });
      expect(added.json().changed.goals.map((g: { id: string; change: string }) => [g.id, g.change])).toEqual([
        [c.mtg, 'uncompleted'],
        [c.ltg, 'uncompleted'],
      ]);
    });

    it('a parent re-opened by hand stays open until one of its children newly completes', async () => {
      const root = await api.newRoot();
      const c = await chain(api, root);
      const stg2 = await c.add(c.mtg, 'ShortTermGoal', 'Short 2');
      await api.req('PATCH', api.at(root, '/levels/MidTermGoal'), { autoCompleteWhenChildrenDone: true });
      await api.req('POST', api.at(root, `/goals/${c.stg}/complete`));
      await api.req('POST', api.at(root, `/goals/${stg2}/complete`));
      expect((await api.req('GET', api.at(root, `/goals/${c.mtg}`))).json()).toMatchObject({ completed: true, completionSource: 'children' });
      const byHand = await api.req('POST', api.at(root, `/goals/${c.mtg}/uncomplete`));
      expect(byHand.json()).toMatchObject({ completed: false, manuallyUncompletedAt: expect.any(String) });
      // A cascade with nothing new leaves it open.
      const evaluated = await api.req('POST', api.at(root, `/goals/${c.mtg}/targets/evaluate`));
      expect(evaluated.statusCode).toBe(200);
      expect(evaluated.json().changed.goals).toEqual([]);
      expect((await api.req('GET', api.at(root, `/goals/${c.mtg}`))).json().completed).toBe(false);
      // Something changes: a child re-opened and completed again.
      await api.req('POST', api.at(root, `/goals/${stg2}/uncomplete`));
      const again = await api.req('POST', api.at(root, `/goals/${stg2}/complete`));
      expect(again.json().changed.goals).toEqual([expect.objectContaining({ id: c.mtg, change: 'completed', completionSource: 'children' })]);
      expect((await api.req('GET', api.at(root, `/goals/${c.mtg}`))).json().manuallyUncompletedAt).toBeNull();
    });
  });
});
