import { sql } from '../foundation/helpers';
import { Api, direct, fields, ok, sessionApi, snapshot } from '../sessions/helpers';

export { Api, fields, ok, sessionApi, snapshot };

/** A root with a goal tree, two activities, a template, and helpers for sessions and notes. */
export async function notesRoot(api: Api, name: string) {
  const root = await api.newRoot(name);
  const d = direct(api, root);
  const goals = await d.tree();
  const scales = await d.activity(`Scales ${name}`, { metrics: ['bpm'] });
  const chords = await d.activity(`Chords ${name}`, { metrics: ['changes'] });
  const arpeggios = await d.activity(`Arpeggios ${name}`, { metrics: ['bpm'] });
  const at = (path: string) => api.at(root, path);
  return {
    root,
    goals,
    scales,
    chords,
    arpeggios,
    at,
    /** A completed session started at `start`, with one instance of each activity, in order. */
    async session(start: string, activityIds: string[]) {
      const s = await ok(api, 'POST', at('/sessions?force=true'), { parentGoalIds: [goals.stg], sessionStart: start });
      const instances: string[] = [];
      for (const activityId of activityIds) instances.push((await ok(api, 'POST', at(`/sessions/${s.id}/activities`), { activityId })).id);
      await ok(api, 'POST', at(`/sessions/${s.id}/complete`));
      return { id: s.id as string, instances };
    },
    note: async (type: string, id: string, content = `About ${type}`) => ok(api, 'POST', at('/notes'), { content, about: { type, id } }),
  };
}

/** Sets a note's created_at, so that "newest first" is decided by the test, not by the clock. */
export async function setCreatedAt(api: Api, noteId: string, iso: string): Promise<void> {
  const pg = api.t.db.engine === 'postgres';
  const value = pg ? iso : new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
  await sql(api.t.db.dataSource, 'UPDATE notes SET created_at = ? WHERE id = ?', [value, noteId]);
}

/** Every page of a list, following nextCursor. */
export async function allPages(api: Api, url: string, limit = 2): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page = await ok(api, 'GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
