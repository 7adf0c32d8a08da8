/**
 * The benchmark data set: users with one root each, their goal trees, activities (plain, with
 * sets, with splits), and completed practice sessions with sections, instances, sets and values,
 * written through the real schema (the migrations on a fresh database) with prepared statements
 * in big transactions. A tool, not a feature: it writes SQL directly.
 *
 *   npm run bench:data -- --scale S|M|L [--out /tmp/fg-bench-M.db]        # SQLite (the default)
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/fg_bench_m npm run bench:data -- --scale M
 *
 * Writes the database and, beside it (<out>.json, or /tmp/fg-bench-<scale>-pg.json), a manifest
 * that `npm run bench` reads: the password, the roots, and ids of sessions, instances and metrics.
 *
 * Scales (instances hold 3 values each: 3 metrics, 3 sets of one metric, or one metric in 3 splits):
 *   L: 1,000 users, 950,000 instances; 10 roots hold 10% of them, the others share the rest;
 *   M: a tenth of L (100 users, 95,000 instances); S: 10 users, 5,000 instances (a smoke test).
 * Plus, at every scale but S, the same heavy "series" root: 5,000 sessions of 10 instances, whose
 * first activity records 10 sets of one metric (50,000 values of one activity and metric). It is
 * the same at M and L, so that L ÷ M compares the same root under 10x more data of other tenants.
 * L comes to about 1,000,000 instances and 3,000,000 values.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import { GOAL_TYPES } from '../src/goals/goal.types';
import { LEVEL_DEFAULTS } from '../src/goals/level-defaults';
import { PasswordService } from '../src/auth/password.service';
import { openSink, Sink } from './data-sink';

export const BENCH_PASSWORD = 'bench password 123';
const SCALES = {
  S: { users: 10, instances: 5_000, seriesSessions: 500 },
  M: { users: 100, instances: 95_000, seriesSessions: 5_000 },
  L: { users: 1_000, instances: 950_000, seriesSessions: 5_000 },
} as const;
type Scale = keyof typeof SCALES;
const PER_SESSION = 10;
const HEAVY_ROOTS = 10;

/** Time-ordered UUIDs (v7 layout): the primary-key indexes are appended to, not split at random. */
let seq = 0;
const base = Date.now() - 20 * 365 * 86400_000;
function id(): string {
  const t = (base + seq++).toString(16).padStart(12, '0');
  const r = () => Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r().slice(1)}-${(0x8000 | (Math.random() * 0x3fff)).toString(16)}-${r()}${r()}${r()}`;
}

export interface RootManifest {
  email: string;
  userId: string;
  rootId: string;
  sessions: number;
  /** The latest session: 10 instances with 3 values each. */
  hotSessionId: string;
  /** A plain instance of the latest session, and its activity's three metrics. */
  hotInstanceId: string;
  hotMetricIds: string[];
  /** The activity with sets, and its metric. */
  setsActivityId: string;
  setsMetricId: string;
}
export interface Manifest {
  scale: Scale;
  engine: 'sqlite' | 'postgres';
  database: string;
  password: string;
  counts: Record<string, number>;
  roots: RootManifest[];
  series?: RootManifest;
}

interface Activity {
  id: string;
  kind: 'sets' | 'splits' | 'plain';
  metrics: { id: string; hib: boolean }[];
  splits: string[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One user, their root, tree and activities, and `sessions` completed sessions ending today. */
function writeRoot(sink: Sink, n: number, sessions: number, setsPerInstance: number, passwordHash: string, now: number, email = `bench-${n}@example.com`): RootManifest {
  const userId = id();
  const rootId = id();
  const created = new Date(now - (sessions + 30) * DAY);
  sink.add('users', { id: userId, created_at: created, updated_at: created, email, display_name: `Bench ${n}`, password_hash: passwordHash, role: 'user', is_active: true, token_version: 0 });
  const audit = (at: Date) => ({ created_at: at, updated_at: at, created_by: userId, updated_by: userId, root_id: rootId });
  const goal = (gid: string, type: string, name: string, parent: string | null, at: Date, extra: object = {}) =>
    sink.add('goals', { id: gid, ...audit(at), type, name, parent_id: parent, user_id: parent ? null : userId, completed: false, sort_order: 0, version: 1, inherit_parent_activities: false, ...extra });
  goal(rootId, 'UltimateGoal', `Music ${n}`, null, created);
  for (const type of GOAL_TYPES) {
    const l = LEVEL_DEFAULTS[type];
    sink.add('goal_levels', {
      id: id(), ...audit(created), type, display_name: l.displayName, color: l.color, icon: l.icon, max_children: l.maxChildren,
      description_required: l.descriptionRequired, allow_manual_completion: l.allowManualCompletion,
      auto_complete_when_children_done: l.autoCompleteWhenChildrenDone, default_deadline_offset_days: l.defaultDeadlineOffsetDays, version: 1,
    });
  }
  const longTerm = id();
  goal(longTerm, 'LongTermGoal', 'Play the Goldberg Variations', rootId, created);
  const shortTerm: string[] = [];
  for (let m = 0; m < 2; m++) {
    const mid = id();
    goal(mid, 'MidTermGoal', `Mid-term goal ${m + 1}`, longTerm, created, { sort_order: m });
    for (let s = 0; s < 2; s++) {
      const stg = id();
      goal(stg, 'ShortTermGoal', `Short-term goal ${m + 1}.${s + 1}`, mid, created, { sort_order: s });
      shortTerm.push(stg);
    }
  }

  const group = id();
  sink.add('activity_groups', { id: group, ...audit(created), name: 'Technique', sort_order: 0, version: 1 });
  const activities: Activity[] = [];
  const names = ['Long tones', 'Hands separately', 'Scales', 'Arpeggios', 'Etudes', 'Sight reading', 'Repertoire', 'Chords', 'Ear training', 'Improvisation'];
  names.forEach((name, k) => {
    const kind = k === 0 ? 'sets' : k === 1 ? 'splits' : 'plain';
    const aid = id();
    sink.add('activity_definitions', {
      id: aid, ...audit(created), group_id: group, name, has_sets: kind === 'sets', has_metrics: true, metrics_multiplicative: false,
      has_splits: kind === 'splits', sort_order: k, recovered_from_legacy: false, version: 1,
    });
    const metricNames = kind === 'plain' ? [['Tempo', 'bpm', true], ['Mistakes', 'count', false], ['Minutes', 'min', true]] : [['Tempo', 'bpm', true]];
    const metrics = metricNames.map(([mname, unit, hib], j) => {
      const mid = id();
      sink.add('metric_definitions', {
        id: mid, ...audit(created), activity_id: aid, name: mname, unit, is_active: true, is_top_set_metric: kind === 'sets' && j === 0,
        is_multiplicative: true, sort_order: j, recovered_from_legacy: false, higher_is_better: hib,
      });
      return { id: mid, hib: hib as boolean };
    });
    const splits = kind === 'splits'
      ? ['Left', 'Right', 'Both'].map((sname, j) => {
          const sid = id();
          sink.add('split_definitions', { id: sid, ...audit(created), activity_id: aid, name: sname, order: j, is_active: true });
          return sid;
        })
      : [];
    activities.push({ id: aid, kind, metrics, splits });
  });

  let hot: { session: string; instance: string; metrics: string[] } | undefined;
  for (let s = 0; s < sessions; s++) {
    const start = new Date(now - (sessions - s) * DAY + 18 * 60 * MINUTE);
    const end = new Date(start.getTime() + 50 * MINUTE);
    const session = id();
    const stg = shortTerm[s % shortTerm.length];
    const day = `${String(start.getUTCMonth() + 1).padStart(2, '0')}/${String(start.getUTCDate()).padStart(2, '0')}/${start.getUTCFullYear()}`;
    goal(session, 'PracticeSession', `Practice Session ${s + 1} - ${day}`, stg, start, {
      updated_at: end, session_start: start, session_end: end, completed: true, completed_at: end, total_duration_seconds: 45 * 60, sort_order: s,
    });
    sink.add('practice_session_goals', { id: id(), ...audit(start), practice_session_id: session, short_term_goal_id: stg });
    const sections = ['Warm-up', 'Main'].map((name, position) => {
      const sid = id();
      sink.add('session_sections', { id: sid, ...audit(start), session_id: session, position, name, duration_minutes: position ? 40 : 10 });
      return sid;
    });
    for (let k = 0; k < PER_SESSION; k++) {
      const a = activities[(k + s) % activities.length];
      const iid = id();
      const at = new Date(start.getTime() + k * 4 * MINUTE);
      const stop = new Date(at.getTime() + 4 * MINUTE);
      sink.add('activity_instances', {
        id: iid, ...audit(at), practice_session_id: session, activity_definition_id: a.id, time_start: at, time_stop: stop, duration_seconds: 240,
        total_paused_seconds: 0, completed: true, sort_order: k, section_id: sections[k < 3 ? 0 : 1], version: 1,
      });
      const value = (base: number, set: number) => base + ((s * 7 + set * 3 + k) % 20);
      const v = (metric: string, split: string | null, setIndex: number, x: number) =>
        sink.add('metric_values', { id: id(), ...audit(stop), activity_instance_id: iid, metric_definition_id: metric, split_definition_id: split, value: x, set_index: setIndex });
      if (a.kind === 'sets') {
        for (let p = 0; p < setsPerInstance; p++) {
          sink.add('activity_sets', { id: id(), ...audit(stop), activity_instance_id: iid, position: p });
          v(a.metrics[0].id, null, p, value(60, p));
        }
      } else if (a.kind === 'splits') {
        a.splits.forEach((split, j) => v(a.metrics[0].id, split, 0, value(80, j)));
      } else {
        v(a.metrics[0].id, null, 0, value(90, 0));
        v(a.metrics[1].id, null, 0, (s + k) % 5);
        v(a.metrics[2].id, null, 0, 4);
        if (s === sessions - 1 && !hot) hot = { session, instance: iid, metrics: a.metrics.map((m) => m.id) };
      }
    }
  }
  return {
    email, userId, rootId, sessions,
    hotSessionId: hot!.session,
    hotInstanceId: hot!.instance,
    hotMetricIds: hot!.metrics,
    setsActivityId: activities[0].id,
    setsMetricId: activities[0].metrics[0].id,
  };
}

function parseArgs(argv: string[]): { scale: Scale; out?: string } {
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const scale = (at('--scale') ?? 'S').toUpperCase() as Scale;
  if (!(scale in SCALES)) throw new Error(`--scale must be S, M or L, not ${scale}`);
  return { scale, out: at('--out') };
}

async function main(): Promise<void> {
  const { scale, out } = parseArgs(process.argv.slice(2));
  const size = SCALES[scale];
  const t0 = Date.now();
  const pg = process.env.DATABASE_URL;
  const target = pg ?? out ?? `/tmp/fg-bench-${scale}.db`;
  const sink = await openSink(target);
  const tMigrated = Date.now();
  console.log(`[${((tMigrated - t0) / 1000).toFixed(1)} s] migrated ${sink.engine} ${target}`);
  const passwordHash = await new PasswordService().hash(BENCH_PASSWORD);
  const now = Date.now();

  // Sessions per root: 10 heavy roots share 10% of the instances, the others the rest.
  const sessionsTotal = size.instances / PER_SESSION;
  const heavy = Math.min(HEAVY_ROOTS, size.users);
  const perHeavy = Math.round((sessionsTotal * 0.1) / heavy);
  const perOther = size.users > heavy ? Math.round((sessionsTotal * 0.9) / (size.users - heavy)) : 0;
  const roots: RootManifest[] = [];
  for (let n = 0; n < size.users; n++) {
    const r = writeRoot(sink, n, n < heavy ? perHeavy : perOther, 3, passwordHash, now);
    // The heavy roots are the first ten; the harness spreads its clients over the others.
    roots.push(r);
    await sink.maybeCommit();
    if (n % 100 === 99) console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${n + 1} users`);
  }
  const series = writeRoot(sink, size.users, size.seriesSessions, 10, passwordHash, now, 'bench-series@example.com');
  await sink.commit();
  const tWritten = Date.now();
  console.log(`[${((tWritten - t0) / 1000).toFixed(1)} s] written`);
  const counts = await sink.finish();
  const tDone = Date.now();
  console.log(`[${((tDone - t0) / 1000).toFixed(1)} s] checked: ${JSON.stringify(counts)}`);
  console.log(`generation: migrations ${((tMigrated - t0) / 1000).toFixed(1)} s, rows ${((tWritten - tMigrated) / 1000).toFixed(1)} s, checks and indexes ${((tDone - tWritten) / 1000).toFixed(1)} s, total ${((tDone - t0) / 1000).toFixed(1)} s`);
  const manifest: Manifest = { scale, engine: sink.engine, database: target, password: BENCH_PASSWORD, counts, roots, series };
  const manifestPath = pg ? `/tmp/fg-bench-${scale}-pg.json` : `${target}.json`;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  console.log(`manifest: ${manifestPath}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
