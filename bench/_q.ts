import 'reflect-metadata';
import { createApp } from '../src/app.factory';
import { createMigratedDatabase } from '../test/helpers/db';
import { postJson } from './lib';
async function main() {
  const db = await createMigratedDatabase({ LOG_LEVEL: 'silent' });
  const app = await createApp({ config: db.config, dataSource: db.dataSource });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const user = await postJson(base, '/api/auth/register', { email: 'q@example.com', password: 'bench password 123' });
  const { accessToken } = await postJson(base, '/api/auth/login', { email: 'q@example.com', password: 'bench password 123' });
  const root = await postJson(base, '/api/roots', { name: 'R' }, accessToken);
  const ds = db.dataSource;
  const q1 = 'SELECT id, email, role, is_active FROM users WHERE id = ? AND deleted_at IS NULL';
  const q2 = 'SELECT 1 AS owned FROM goals WHERE id = ? AND root_id = id AND user_id = ? AND parent_id IS NULL AND deleted_at IS NULL';
  for (let r = 0; r < 3; r++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < 20000; i++) await ds.query(q1, [user.id]);
    const a = Number(process.hrtime.bigint() - t) / 20000 / 1000;
    t = process.hrtime.bigint();
    for (let i = 0; i < 20000; i++) await ds.query(q2, [root.id, user.id]);
    const b = Number(process.hrtime.bigint() - t) / 20000 / 1000;
    const q3 = 'SELECT users.id, users.email, users.role, users.is_active, EXISTS (SELECT 1 AS owned FROM goals WHERE id = ? AND root_id = id AND user_id = users.id AND parent_id IS NULL AND deleted_at IS NULL) AS owned FROM users WHERE users.id = ? AND users.deleted_at IS NULL';
    t = process.hrtime.bigint();
    for (let i = 0; i < 20000; i++) await ds.query(q3, [root.id, user.id]);
    const c = Number(process.hrtime.bigint() - t) / 20000 / 1000;
    t = process.hrtime.bigint();
    const repo = ds.getRepository('Goal');
    for (let i = 0; i < 20000; i++) await repo.findOne({ where: { id: root.id, rootId: root.id } });
    const d = Number(process.hrtime.bigint() - t) / 20000 / 1000;
    console.log(`combined ${c.toFixed(1)} us, findOne ${d.toFixed(1)}`);
    console.log(`user ${a.toFixed(1)} us, owned ${b.toFixed(1)} us, raw owned ${c.toFixed(1)} us`);
  }
  console.log(raw(ds));
  await app.close(); await db.drop();
}
function raw(ds: any) { const c = ds.driver.databaseConnection; return { journal: c.pragma('journal_mode', { simple: true }), cache: c.pragma('cache_size', { simple: true }), mmap: c.pragma('mmap_size', { simple: true }) }; }
main();
