import { Api, direct, ok } from '../sessions/helpers';

export { ok, fields } from '../sessions/helpers';

/**
 * Practice written straight into the database with chosen instants, so that every expected
 * figure can be computed by hand: sessions (goal rows), their instances and their values.
 */
export function practice(api: Api, root: string) {
  const d = direct(api, root);
  return {
    ...d,
    async session(parentId: string, start: string, options: { durationSeconds?: number; completed?: boolean; name?: string } = {}) {
      return d.insert('Goal', {
        type: 'PracticeSession',
        name: options.name ?? `Session ${start}`,
        parentId,
        sessionStart: new Date(start),
        sessionEnd: options.durationSeconds !== undefined ? new Date(Date.parse(start) + options.durationSeconds * 1000) : null,
        totalDurationSeconds: options.durationSeconds ?? null,
        completed: options.completed ?? false,
      });
    },
    /** An instance of `activityId` in the session; `sets` are the values of each set, by metric id. */
    async instance(sessionId: string, activityId: string, sets: Record<string, number>[], options: { durationSeconds?: number; sectionId?: string; createdAt?: string; splitId?: string } = {}) {
      const id = await d.insert('ActivityInstance', {
        practiceSessionId: sessionId,
        activityDefinitionId: activityId,
        durationSeconds: options.durationSeconds ?? null,
        sectionId: options.sectionId ?? null,
        ...(options.createdAt ? { createdAt: new Date(options.createdAt) } : {}),
      });
      for (const [setIndex, values] of sets.entries()) {
        for (const [metricId, value] of Object.entries(values)) {
          await d.insert('MetricValue', { activityInstanceId: id, metricDefinitionId: metricId, splitDefinitionId: options.splitId ?? null, value, setIndex });
        }
      }
      return id;
    },
  };
}

export const get = (api: Api, root: string, path: string) => ok(api, 'GET', api.at(root, `/analytics${path}`));
