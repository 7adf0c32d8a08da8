import { Injectable } from '@nestjs/common';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { ActivityGroup } from '../activities/activity-group.entity';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { SessionSection } from '../sessions/session-section.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { AnalyticsDates, inWindow, instantReader, SESSION_AT, truthReader, Window } from './analytics-dates';
import { CalendarBucket, RangeQuery, SessionSummaryQuery } from './dto/analytics.dto';
import { HeatmapView, SessionSummaryView } from './session-stats.view';
import { addDays, bucketEnd, bucketOf, daysBetween, localDay, localHour, startOfDay } from './time-zone';

/** Upper bounds, in minutes, of the duration bins; the last bin is open. */
const DURATION_BINS = [15, 30, 60, 120];
const HEATMAP_DAYS = 365;

interface SessionRow {
  id: string;
  at: Date;
  completed: boolean;
  seconds: number | null;
}

/** GET /analytics/sessions/summary and GET /analytics/heatmap: sessions by their start, read in the time zone. */
@Injectable()
export class SessionStatsService {
  constructor(
    private readonly data: TenantData,
    private readonly dates: AnalyticsDates,
  ) {}

  async summary(ctx: RequestContext, query: SessionSummaryQuery): Promise<SessionSummaryView> {
    const window = await this.dates.window(ctx, query);
    const bucket: CalendarBucket = query.bucket ?? 'week';
    const sessions = await this.sessions(ctx, window);
    const timed = sessions.filter((s) => s.seconds !== null);
    const totalSeconds = timed.reduce((t, s) => t + s.seconds!, 0);

    const sections = await inWindow(ctx, this.instanceTime(ctx), window)
      .leftJoin(SessionSection, 'sec', 'sec.id = i.section_id AND sec.deleted_at IS NULL')
      .addSelect('sec.name', 'name')
      .groupBy('sec.name')
      .getRawMany<{ name: string | null; seconds: unknown }>();
    const groups = await inWindow(ctx, this.instanceTime(ctx), window)
      .innerJoin(ActivityDefinition, 'a', 'a.id = i.activity_definition_id')
      .leftJoin(ActivityGroup, 'grp', 'grp.id = a.group_id AND grp.deleted_at IS NULL')
      .addSelect('grp.id', 'id')
      .addSelect('grp.name', 'name')
      .groupBy('grp.id')
      .addGroupBy('grp.name')
      .getRawMany<{ id: string | null; name: string | null; seconds: unknown }>();

    const buckets = new Map<string, { date: string; start: string; end: string; sessions: number; completed: number; activeSeconds: number }>();
    const hours = new Array<number>(24).fill(0);
    for (const s of sessions) {
      const first = bucketOf(localDay(s.at, window.zone), bucket);
      let b = buckets.get(first);
      if (!b) {
        b = { date: first, start: startOfDay(first, window.zone).toISOString(), end: startOfDay(bucketEnd(first, bucket), window.zone).toISOString(), sessions: 0, completed: 0, activeSeconds: 0 };
        buckets.set(first, b);
      }
      b.sessions += 1;
      b.completed += s.completed ? 1 : 0;
      b.activeSeconds += s.seconds ?? 0;
      hours[localHour(s.at, window.zone)] += 1;
    }
    const bins = [...DURATION_BINS, null].map((upTo, k) => ({ fromMinutes: k === 0 ? 0 : DURATION_BINS[k - 1], toMinutes: upTo, sessions: 0 }));
    for (const s of timed) bins[binOf(s.seconds! / 60)].sessions += 1;
    const bySeconds = <T extends { seconds: number }>(a: T, b: T) => b.seconds - a.seconds;

    return {
      timeZone: window.zone,
      from: window.fromDay ?? null,
      to: window.toDay ?? null,
      bucket,
      sessions: { total: sessions.length, completed: sessions.filter((s) => s.completed).length, inProgress: sessions.filter((s) => !s.completed).length },
      activeSeconds: { total: totalSeconds, average: timed.length ? totalSeconds / timed.length : null, sessionsTimed: timed.length },
      bySection: sections.map((r) => ({ name: r.name, seconds: Number(r.seconds) })).sort((a, b) => bySeconds(a, b) || String(a.name).localeCompare(String(b.name))),
      byGroup: groups.map((r) => ({ groupId: r.id, name: r.name, seconds: Number(r.seconds) })).sort((a, b) => bySeconds(a, b) || String(a.name).localeCompare(String(b.name))),
      startHours: hours.map((sessions, hour) => ({ hour, sessions })),
      durations: bins,
      buckets: [...buckets.values()].sort((a, b) => a.date.localeCompare(b.date)),
    };
  }

  async heatmap(ctx: RequestContext, query: RangeQuery, now = new Date()): Promise<HeatmapView> {
    const zone = await this.dates.zone(ctx, query.tz);
    const today = localDay(now, zone);
    const to = query.to ?? today;
    const from = query.from ?? addDays(to, -(HEATMAP_DAYS - 1));
    const window = await this.dates.window(ctx, { ...query, tz: zone, from, to });
    // Streaks look at every day with practice, whatever the range shown.
    const days = new Map<string, { date: string; sessions: number; activeSeconds: number }>();
    for (const s of await this.sessions(ctx, { zone })) {
      const date = localDay(s.at, zone);
      const d = days.get(date) ?? { date, sessions: 0, activeSeconds: 0 };
      d.sessions += 1;
      d.activeSeconds += s.seconds ?? 0;
      days.set(date, d);
    }
    const practised = [...days.keys()].sort();
    let longest = 0;
    let run = 0;
    for (let k = 0; k < practised.length; k++) {
      run = k > 0 && daysBetween(practised[k - 1], practised[k]) === 1 ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    // The current streak ends today, or yesterday while today has no practice yet.
    let current = 0;
    for (let day = days.has(today) ? today : addDays(today, -1); days.has(day); day = addDays(day, -1)) current += 1;
    return {
      timeZone: zone,
      from: window.fromDay!,
      to: window.toDay!,
      days: practised
        .filter((d) => d >= from && d <= to)
        .map((d) => days.get(d)!)
        .map((d) => ({ date: d.date, sessions: d.sessions, activeMinutes: Math.round(d.activeSeconds / 60) })),
      currentStreak: current,
      longestStreak: longest,
    };
  }

  private async sessions(ctx: RequestContext, window: Window): Promise<SessionRow[]> {
    const qb = this.data
      .repo(Goal)
      .createQueryBuilder(ctx, 'g')
      .select('g.id', 'id')
      .addSelect(SESSION_AT, 'at')
      .addSelect('g.completed', 'completed')
      .addSelect('g.total_duration_seconds', 'seconds')
      .andWhere(`g.type = 'PracticeSession'`)
      .andWhere('g.deleted_at IS NULL');
    const rows = await inWindow(ctx, qb, window).getRawMany<{ id: string; at: unknown; completed: unknown; seconds: unknown }>();
    const instant = instantReader(ctx);
    const isTrue = truthReader(ctx);
    return rows.map((r) => ({ id: r.id, at: instant(r.at), completed: isTrue(r.completed), seconds: r.seconds === null ? null : Number(r.seconds) }));
  }

  /** The active seconds of live instances in live sessions, to be grouped. */
  private instanceTime(ctx: RequestContext) {
    return this.data
      .repo(ActivityInstance)
      .createQueryBuilder(ctx, 'i')
      .innerJoin(Goal, 'g', `g.id = i.practice_session_id AND g.type = 'PracticeSession' AND g.deleted_at IS NULL`)
      .select('COALESCE(SUM(i.duration_seconds), 0)', 'seconds')
      .andWhere('i.deleted_at IS NULL');
  }
}

function binOf(minutes: number): number {
  const k = DURATION_BINS.findIndex((upTo) => minutes < upTo);
  return k === -1 ? DURATION_BINS.length : k;
}
