import 'reflect-metadata';
import { createApp } from '../src/app.factory';
import type { AppConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';
import { UnitOfWork } from '../src/database/unit-of-work';
import type { Manifest, RootManifest } from './data';

export interface Captured {
  status: number;
  root: RootManifest;
  statements: { sql: string; params: unknown[] }[];
}

/**
 * Runs one hot route once in-process on a bench data set and captures every statement it sends
 * through TypeORM (the writer and the reader). On a regular root, or on the heavy series root
 * when `where` is `series` (the route `series` always runs there).
 */
export async function captureRoute(config: AppConfig, m: Manifest, which: string, where?: string): Promise<Captured> {
  const ds = createDataSource(config);
  await ds.initialize();
  const app = await createApp({ config, dataSource: ds });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const r = where === 'series' || which === 'series' ? m.series! : m.roots[Math.min(11, m.roots.length - 1)];
  const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: r.email, password: m.password } })).json().accessToken;
  const statements: Captured['statements'] = [];
  const reader = (app.get(UnitOfWork) as unknown as { reader?: unknown }).reader;
  for (const s of [ds, ...(reader ? [reader] : [])] as { logger: object }[]) {
    const original = s.logger;
    s.logger = new Proxy(original, { get: (t, k) => (k === 'logQuery' ? (sql: string, params: unknown[] = []) => statements.push({ sql, params }) : Reflect.get(t, k)) });
  }
  const headers = { authorization: `Bearer ${token}` };
  const base = `/api/roots/${r.rootId}`;
  const res =
    which === 'read'
      ? await app.inject({ method: 'GET', url: `${base}/sessions/${r.hotSessionId}`, headers })
      : which === 'series'
        ? await app.inject({ method: 'GET', url: `${base}/analytics/activities/${r.setsActivityId}/series?metricId=${r.setsMetricId}&agg=max&bucket=week`, headers })
        : which === 'list'
          ? await app.inject({ method: 'GET', url: `${base}/sessions?limit=50`, headers })
          : await app.inject({ method: 'PUT', url: `${base}/activity-instances/${r.hotInstanceId}/metrics`, headers, payload: { values: [{ metricId: r.hotMetricIds[0], value: Math.round(Math.random() * 1000) / 10 }] } });
  await app.close();
  return { status: res.statusCode, root: r, statements };
}
