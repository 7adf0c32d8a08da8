import { DataSource, EntityManager, EntityMetadata } from 'typeorm';
import { dialectOf } from './dialect';
import { ENTITIES, TENANT_ENTITIES } from './entities';

/** The command may not run as asked: nothing was removed. */
export class PurgeRefused extends Error {}

export interface PurgeReport {
  /** Deletions whose latest row was deleted before this are purged. */
  cutoff: Date;
  /** Deletions removed, each with its root. */
  purged: { deletionId: string; rootId: string }[];
  /** Rows removed, per table, children first. */
  removed: Record<string, number>;
  /** Old deletions kept, because rows outside them still refer to their rows. */
  skipped: { deletionId: string; rootId: string; reason: string }[];
}

interface Deletion {
  rootId: string;
  latest: Date;
}

/**
 * Live rows that belong to a deleted row and go with it when it is purged, when nothing else
 * refers to them: an activity's delete leaves its metrics and splits live (sessions keep showing
 * them), a goal's delete leaves its links to activities and groups.
 */
const PARTS = [
  { table: 'metric_definitions', column: 'activity_id', owner: 'activity_definitions' },
  { table: 'split_definitions', column: 'activity_id', owner: 'activity_definitions' },
  { table: 'goal_activities', column: 'goal_id', owner: 'goals' },
  { table: 'goal_activity_groups', column: 'goal_id', owner: 'goals' },
];

/** Deletion ids per DELETE: well under both engines' limits on bound parameters. */
const CHUNK = 500;

/** Either engine's timestamp as read raw: a Date (PostgreSQL) or UTC text without a zone (SQLite). */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

const q = (name: string) => `"${name}"`;

/**
 * Removes for good, in every root and in one transaction, every deletion (the rows sharing a
 * deletion id) whose rows were all deleted before the cutoff. Cross-tenant by nature, so it
 * lives here and not in a feature. A deletion that rows outside the purge still refer to (a
 * live child, a later deletion's row, a deleted activity whose instances stay in their
 * sessions, a deleted root whose goals are live) is skipped and reported: removing it would
 * cascade into them, or fail. Tables are emptied children first.
 */
export async function purgeTrash(ds: DataSource, retentionDays: number, now = new Date()): Promise<PurgeReport> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return ds.transaction(async (manager) => {
    const check = dialectOf(ds).rlsBypassCheck;
    if (check) {
      const [who] = (await manager.query(check)) as { bypass: boolean }[];
      if (!who?.bypass) {
        throw new PurgeRefused(
          'trash:purge must connect as the database owner with SUPERUSER or BYPASSRLS (the URL used for migrations, not fractal_app): row-level security would hide every root from it.',
        );
      }
    }
    const tenant = TENANT_ENTITIES.map((e) => ds.getMetadata(e));
    const deletions = await readDeletions(manager, tenant);
    const purge = new Set([...deletions].filter(([, d]) => d.latest < cutoff).map(([id]) => id));
    const skipped = await keepReferenced(manager, ds, tenant, purge, deletions);
    const ids = [...purge].sort((x, y) => deletions.get(x)!.latest.getTime() - deletions.get(y)!.latest.getTime());
    const removed: Record<string, number> = {};
    for (const meta of childrenFirst(tenant)) {
      let count = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const result = await manager
          .createQueryBuilder()
          .delete()
          .from(meta.target)
          .where('deletion_id IN (:...purgeIds)', { purgeIds: ids.slice(i, i + CHUNK) })
          .execute();
        count += result.affected ?? 0;
        for (const part of PARTS.filter((x) => x.table === meta.tableName)) {
          const parts = await manager
            .createQueryBuilder()
            .delete()
            .from(meta.target)
            .where(`deletion_id IS NULL AND ${part.column} IN (SELECT o.id FROM ${q(part.owner)} o WHERE o.deletion_id IN (:...purgeIds))`, {
              purgeIds: ids.slice(i, i + CHUNK),
            })
            .execute();
          count += parts.affected ?? 0;
        }
      }
      if (count > 0) removed[meta.tableName] = count;
    }
    return { cutoff, purged: ids.map((deletionId) => ({ deletionId, rootId: deletions.get(deletionId)!.rootId })), removed, skipped };
  });
}

/** Every deletion of every root, with the time of its latest row. */
async function readDeletions(manager: EntityManager, tenant: EntityMetadata[]): Promise<Map<string, Deletion>> {
  const out = new Map<string, Deletion>();
  for (const meta of tenant) {
    const rows = (await manager.query(
      `SELECT root_id AS r, deletion_id AS d, MAX(deleted_at) AS at FROM ${q(meta.tableName)} WHERE deletion_id IS NOT NULL GROUP BY root_id, deletion_id`,
    )) as { r: string; d: string; at: unknown }[];
    for (const row of rows) {
      const at = toDate(row.at);
      const known = out.get(row.d);
      if (!known || known.latest < at) out.set(row.d, { rootId: row.r, latest: at });
    }
  }
  return out;
}

/**
 * Takes out of `purge` every deletion that a row outside the purge refers to, by any foreign
 * key, until none is left: a deletion kept keeps the deletions its rows refer to as well.
 */
async function keepReferenced(
  manager: EntityManager,
  ds: DataSource,
  tenant: EntityMetadata[],
  purge: Set<string>,
  deletions: Map<string, Deletion>,
): Promise<PurgeReport['skipped']> {
  const tenantTables = new Set(tenant.map((m) => m.tableName));
  const refs: { parent: string; child: string | null; reason: string }[] = [];
  for (const child of ENTITIES.map((e) => ds.getMetadata(e))) {
    const childDeletion = child.findColumnWithDatabaseName('deletion_id') ? 'c.deletion_id' : 'NULL';
    for (const fk of child.foreignKeys) {
      const parent = fk.referencedEntityMetadata;
      if (!tenantTables.has(parent.tableName)) continue;
      const on = fk.columnNames.map((c, i) => `c.${q(c)} = p.${q(fk.referencedColumnNames[i])}`).join(' AND ');
      const isPart = PARTS.some((part) => part.table === child.tableName && fk.columnNames.includes(part.column) && part.owner === parent.tableName);
      const outside = isPart ? `(c.deletion_id IS NOT NULL AND c.deletion_id <> p.deletion_id)` : `(${childDeletion} IS NULL OR ${childDeletion} <> p.deletion_id)`;
      const reason = `rows of ${child.tableName} outside it refer to its ${parent.tableName} (${fk.name ?? fk.columnNames.join(', ')})`;
      const rows = (await manager.query(
        `SELECT DISTINCT p.deletion_id AS pd, ${childDeletion} AS cd FROM ${q(child.tableName)} c JOIN ${q(parent.tableName)} p ON ${on} WHERE p.deletion_id IS NOT NULL AND ${outside}`,
      )) as { pd: string; cd: string | null }[];
      for (const r of rows) refs.push({ parent: r.pd, child: r.cd, reason });
      // A live part goes with its owner's deletion: whatever refers to the part keeps that deletion.
      for (const part of PARTS.filter((x) => x.table === parent.tableName)) {
        const parts = (await manager.query(
          `SELECT DISTINCT o.deletion_id AS pd, ${childDeletion} AS cd FROM ${q(child.tableName)} c JOIN ${q(parent.tableName)} p ON ${on} ` +
            `JOIN ${q(part.owner)} o ON o.root_id = p.root_id AND o.id = p.${q(part.column)} ` +
            `WHERE p.deletion_id IS NULL AND o.deletion_id IS NOT NULL AND (${childDeletion} IS NULL OR ${childDeletion} <> o.deletion_id)`,
        )) as { pd: string; cd: string | null }[];
        for (const r of parts) refs.push({ parent: r.pd, child: r.cd, reason: `rows of ${child.tableName} refer to its ${part.table}` });
      }
    }
  }
  const skipped: PurgeReport['skipped'] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const ref of refs) {
      if (!purge.has(ref.parent) || (ref.child !== null && purge.has(ref.child))) continue;
      purge.delete(ref.parent);
      skipped.push({ deletionId: ref.parent, rootId: deletions.get(ref.parent)?.rootId ?? '', reason: ref.reason });
      changed = true;
    }
  }
  return skipped;
}

/**
 * Tables ordered so that a table comes before every table it refers to. The keys to the root
 * (root_id) are left out: every table has one, and a root is purged only with all of its rows.
 */
function childrenFirst(tenant: EntityMetadata[]): EntityMetadata[] {
  const parentsOf = new Map(
    tenant.map((m) => [
      m.tableName,
      new Set(m.foreignKeys.filter((fk) => !(fk.columnNames.length === 1 && fk.columnNames[0] === 'root_id')).map((fk) => fk.referencedEntityMetadata.tableName)),
    ]),
  );
  const ordered: EntityMetadata[] = [];
  const left = [...tenant];
  while (left.length > 0) {
    // A table whose rows nobody left refers to (self references aside) goes next.
    const i = left.findIndex((m) => !left.some((o) => o !== m && parentsOf.get(o.tableName)!.has(m.tableName)));
    ordered.push(...left.splice(i >= 0 ? i : 0, 1));
  }
  return ordered;
}
