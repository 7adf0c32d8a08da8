import { randomUUID } from 'node:crypto';
import { Adoption } from '../adoption';

const PLACEHOLDER_OWNER_EMAIL = 'legacy-owner@fractal-goals.invalid';

/** The legacy roots' owner: LEGACY_OWNER_EMAIL (created when missing), else a disabled placeholder. */
export async function assignOwner(a: Adoption): Promise<void> {
  const named = (process.env.LEGACY_OWNER_EMAIL ?? '').trim().toLowerCase();
  if (named && !/^[^\s@]+@[^\s@]+$/.test(named)) {
    throw new Error(`LEGACY_OWNER_EMAIL is not an email address: ${JSON.stringify(process.env.LEGACY_OWNER_EMAIL)}`);
  }
  const email = named || PLACEHOLDER_OWNER_EMAIL;
  const existing = await a.sql<{ id: string }>(`SELECT id FROM users WHERE email = ?`, [email]);
  let id = existing[0]?.id;
  if (!id) {
    id = randomUUID();
    await a.sql(
      `INSERT INTO users (id, created_at, updated_at, email, display_name, password_hash, role, is_active)
       VALUES (?, ?, ?, ?, ?, NULL, 'user', ?)`,
      [id, a.now, a.now, email, named ? null : 'Legacy owner (unclaimed)', named ? 1 : 0],
    );
  }
  await a.sql(`UPDATE goals SET user_id = ? WHERE id = root_id AND parent_id IS NULL AND user_id IS NULL`, [id]);
  const roots = await a.changes();
  a.report.owner = { email, created: !existing[0], placeholder: !named, roots };
}
