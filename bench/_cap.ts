import 'reflect-metadata';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/env';
import { createDataSource } from '../src/database/data-source';
import { UnitOfWork } from '../src/database/unit-of-work';
(async () => {
  const m = JSON.parse(fs.readFileSync(process.env.MANIFEST ?? '/tmp/fg-bench-M.db.json', 'utf8'));
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: m.database });
  const ds = createDataSource(config); await ds.initialize();
  const app = await createApp({ config, dataSource: ds });
  await app.init(); await app.getHttpAdapter().getInstance().ready();
  const r = m.roots[11];
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: r.email, password: m.password } });
  const token = login.json().accessToken;
  const captured: { sql: string; params: unknown[] }[] = [];
  const reader = (app.get(UnitOfWork) as any).reader;
  for (const s of [ds, ...(reader ? [reader] : [])] as any[]) { const o = s.logger; s.logger = new Proxy(o, { get: (t, k) => (k === 'logQuery' ? (sql: string, params: unknown[] = []) => captured.push({ sql, params }) : Reflect.get(t, k)) }); }
  const which = process.env.WHICH ?? 'read';
  const res = which === 'read'
    ? await app.inject({ method: 'GET', url: `/api/roots/${r.rootId}/sessions/${r.hotSessionId}`, headers: { authorization: `Bearer ${token}` } })
    : which === 'list' ? await app.inject({ method: 'GET', url: `/api/roots/${r.rootId}/sessions?limit=50`, headers: { authorization: `Bearer ${token}` } })
    : await app.inject({ method: 'PUT', url: `/api/roots/${r.rootId}/activity-instances/${r.hotInstanceId}/metrics`, headers: { authorization: `Bearer ${token}` }, payload: { values: [{ metricId: r.hotMetricIds[0], value: Math.random() * 100 }] } });
  console.log(res.statusCode, captured.length, 'statements');
  const db = new Database(m.database, { readonly: true });
  for (const c of captured) {
    if (!/^\s*(SELECT|WITH)/i.test(c.sql)) { console.log('--', c.sql.slice(0, 100)); continue; }
    const st = db.prepare(c.sql);
    const norm = (c.params as any[]).map((p) => (p instanceof Date ? p.toISOString().replace('T', ' ').replace('Z', '') : typeof p === 'boolean' ? (p ? 1 : 0) : p));
    let best = Infinity; for (let k = 0; k < 3; k++) { const t = performance.now(); st.all(...norm); best = Math.min(best, performance.now() - t); }
    console.log(best.toFixed(2).padStart(7), 'ms', c.sql.replace(/\s+/g, ' ').slice(0, Number(process.env.W ?? 160)));
    if (best > 2) console.log('        PLAN', (db.prepare('EXPLAIN QUERY PLAN ' + c.sql).all(...norm) as any[]).map((x) => x.detail).join(' | '));
  }
  await app.close(); process.exit(0);
})();
