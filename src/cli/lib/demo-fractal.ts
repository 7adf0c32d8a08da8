import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../app.factory';
import { AppConfig } from '../../config/env';
import { createDataSource, SafeDataSource } from '../../database/data-source';
import { CliError } from './run-cli';

export const DEMO_EMAIL = 'demo@example.com';
const DAY = 86_400_000;

export interface DemoReport {
  email: string;
  password: string;
  rootId: string;
  sessions: number;
}

type Json = Record<string, any>;

/**
 * Builds the demo account and its fractal through the API itself (Fastify inject, no port):
 * every row is made by the services behind the routes, with their rules, never by SQL.
 * Refuses, changing nothing, when the demo account exists already.
 */
export async function seedDemo(config: AppConfig, dataSource: SafeDataSource): Promise<DemoReport> {
  if (await dataSource.showMigrations()) throw new CliError('The database has pending migrations: run npm run migration:run first. Nothing was changed.');
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  // The app owns a connection of its own, and closes it with itself.
  const own = createDataSource(config);
  await own.initialize();
  const app = await createApp({ config, dataSource: own, logDestination: quiet });
  try {
    return await build(app);
  } finally {
    await app.close();
    if (own.isInitialized) await own.destroy();
  }
}

async function build(app: NestFastifyApplication): Promise<DemoReport> {
  let token = '';
  const call = async (method: string, url: string, body?: unknown): Promise<Json> => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res.statusCode === 204 ? {} : (res.json() as Json);
  };
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const registered = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: DEMO_EMAIL, password, displayName: 'Demo' } });
  if (registered.statusCode === 409) {
    throw new CliError(`The demo account ${DEMO_EMAIL} exists already: nothing was changed. Reset its password with npm run user:set-password -- ${DEMO_EMAIL}.`);
  }
  if (registered.statusCode !== 201) throw new Error(`register answered ${registered.statusCode}: ${registered.body}`);
  token = (await call('POST', '/api/auth/login', { email: DEMO_EMAIL, password })).accessToken;

  const root = (await call('POST', '/api/roots', { name: 'Become a complete musician', description: 'The demo fractal' })).id as string;
  const at = (path: string) => `/api/roots/${root}${path}`;
  const goal = async (parentId: string, type: string, name: string) => (await call('POST', at('/goals'), { parentId, type, name })).id as string;
  const jazz = await goal(root, 'LongTermGoal', 'Play jazz standards');
  const byEar = await goal(jazz, 'MidTermGoal', 'Learn ten standards by ear');
  const leaves = await goal(byEar, 'ShortTermGoal', 'Autumn Leaves, head and solo');
  await goal(byEar, 'ShortTermGoal', 'Blue Bossa, head');
  const technique = await goal(root, 'LongTermGoal', 'Solid technique');
  const clean = await goal(technique, 'MidTermGoal', 'Clean scales at 120 bpm');
  const scalesGoal = await goal(clean, 'ShortTermGoal', 'Major scales in all keys');

  const groupTechnique = (await call('POST', at('/activity-groups'), { name: 'Technique' })).id;
  const groupRepertoire = (await call('POST', at('/activity-groups'), { name: 'Repertoire' })).id;
  const scales = await call('POST', at('/activities'), {
    name: 'Scales',
    groupId: groupTechnique,
    metrics: [{ name: 'Tempo', unit: 'bpm', min: 30, max: 300 }],
    splits: [{ name: 'Left hand' }, { name: 'Right hand' }],
  });
  const chords = await call('POST', at('/activities'), {
    name: 'Chord drills',
    groupId: groupTechnique,
    hasSets: true,
    metrics: [
      { name: 'Tempo', unit: 'bpm', isTopSetMetric: true, min: 30, max: 300 },
      { name: 'Clean reps', unit: 'reps', min: 0 },
    ],
  });
  const tune = await call('POST', at('/activities'), {
    name: 'Tune run-through',
    groupId: groupRepertoire,
    metrics: [{ name: 'Mistakes', unit: 'count', higherIsBetter: false, min: 0 }],
  });
  await call('PUT', at(`/goals/${scalesGoal}/activities`), { activityIds: [], groupIds: [groupTechnique] });
  await call('PUT', at(`/goals/${leaves}/activities`), { activityIds: [tune.id, scales.id], groupIds: [] });
  const template = await call('POST', at('/session-templates'), {
    name: 'Daily practice',
    sections: [
      { name: 'Warm-up', durationMinutes: 10, activities: [{ activityId: scales.id }] },
      { name: 'Technique', durationMinutes: 15, activities: [{ activityId: chords.id }] },
      { name: 'Repertoire', durationMinutes: 20, activities: [{ activityId: tune.id }] },
    ],
  });

  // A week of completed sessions, a little better each day; times are set by hand (the timers run on the server's clock).
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  for (let day = 7; day >= 1; day--) {
    const start = today - day * DAY + 7 * 3600_000;
    const progress = 7 - day;
    const session = await call('POST', at('/sessions'), { parentGoalIds: [leaves, scalesGoal], templateId: template.id, sessionStart: new Date(start).toISOString() });
    const [scalesI, chordsI, tuneI] = session.instances as Json[];
    let minute = start;
    for (const [instance, minutes] of [[scalesI, 10], [chordsI, 15], [tuneI, 20]] as const) {
      const timeStart = new Date(minute).toISOString();
      minute += minutes * 60_000;
      await call('PATCH', at(`/activity-instances/${instance.id}`), { timeStart, timeStop: new Date(minute).toISOString(), completed: true });
    }
    const [left, right] = scales.splits as Json[];
    await call('PUT', at(`/activity-instances/${scalesI.id}/metrics`), {
      values: [
        { metricId: scales.metrics[0].id, splitId: left.id, value: 90 + progress * 4 },
        { metricId: scales.metrics[0].id, splitId: right.id, value: 96 + progress * 4 },
      ],
    });
    const [tempo, reps] = chords.metrics as Json[];
    await call('PUT', at(`/activity-instances/${chordsI.id}/sets`), {
      sets: [0, 1, 2].map((k) => ({ values: [{ metricId: tempo.id, value: 70 + progress * 3 + k * 5 }, { metricId: reps.id, value: 10 - k * 2 }] })),
    });
    await call('PUT', at(`/activity-instances/${tuneI.id}/metrics`), { values: [{ metricId: tune.metrics[0].id, value: Math.max(0, 8 - progress) }] });
    await call('PATCH', at(`/sessions/${session.id}`), { sessionEnd: new Date(minute).toISOString() });
    await call('POST', at(`/sessions/${session.id}/complete`));
  }

  // Today's session, in progress: its first timer runs.
  const open = await call('POST', at('/sessions'), { parentGoalIds: [leaves, scalesGoal], templateId: template.id });
  await call('POST', at(`/activity-instances/${(open.instances as Json[])[0].id}/timer/start`));
  return { email: DEMO_EMAIL, password, rootId: root, sessions: 8 };
}
