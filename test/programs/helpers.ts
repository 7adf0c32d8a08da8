import { Api, direct, ok } from '../sessions/helpers';

export { Api, direct, fields, ok, sessionApi, snapshot } from '../sessions/helpers';

/** A root's goal tree, activities and templates (written straight into the database), for plans to use. */
export async function planningRoot(api: Api, name = 'Guitar') {
  const root = await api.newRoot(name);
  const d = direct(api, root);
  const goals = await d.tree();
  const scales = await d.activity('Scales', { metrics: ['bpm'] });
  const chords = await d.activity('Chords', { metrics: ['changes'] });
  const morning = await d.template('Morning', [{ name: 'Warm-up', duration_minutes: 10, activities: [{ activity_id: scales.id }] }]);
  const evening = await d.template('Evening', [{ name: 'Work', duration_minutes: 20, activities: [{ activity_id: chords.id }] }]);
  const extra = await d.template('Extra', [{ name: 'Play', duration_minutes: 5, activities: [{ activity_id: scales.id }] }]);
  return { root, goals, templates: { morning, evening, extra }, at: (path: string) => api.at(root, path) };
}

/** Completes whatever session of the root is open. */
export async function closeOpen(api: Api, root: string): Promise<void> {
  const { session } = await ok(api, 'GET', api.at(root, '/sessions/active'));
  if (session) await ok(api, 'POST', api.at(root, `/sessions/${session.id}/complete`));
}
