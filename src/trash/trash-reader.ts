import { BadRequestException, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { ActivityGroup } from '../activities/activity-group.entity';
import { RequestContext } from '../context/request-context';
import { TenantEntity } from '../database/base.entity';
import { TENANT_ENTITIES } from '../database/entities';
import { Goal } from '../goals/goal.entity';
import { DEFAULT_PAGE_SIZE, Page, PageQuery } from '../http/pagination';
import { SessionTemplate } from '../templates/session-template.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { TenantEntityClass } from '../tenancy/tenant-repository';
import { TrashItemView, TrashType } from './trash.view';

/** The tables whose deleted rows are items of the trash: the top of each deletion is one of them. */
const KINDS: { entity: TenantEntityClass; type: TrashType }[] = [
  { entity: Goal, type: 'goal' },
  { entity: ActivityDefinition, type: 'activity' },
  { entity: SessionTemplate, type: 'template' },
  { entity: ActivityGroup, type: 'activityGroup' },
];

/** A deletion's top item. */
export interface DeletionTop {
  deletionId: string;
  type: TrashType;
  id: string;
  name: string;
}

interface Key {
  deletionId: string;
  deletedAt: Date;
}

/** Either engine's deleted_at as read raw: a Date (PostgreSQL) or UTC text without a zone (SQLite). */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

const badCursor = () =>
  new BadRequestException({
    message: 'Invalid request: cursor',
    details: [{ field: 'cursor', message: 'cursor must be a value returned as nextCursor by this list' }],
  });

function decode(cursor: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; d?: unknown };
    const at = typeof key.t === 'string' ? new Date(key.t) : null;
    if (at && !Number.isNaN(at.getTime()) && typeof key.d === 'string' && key.d.length <= 200) return { deletionId: key.d, deletedAt: at };
  } catch {
    // the uniform error below
  }
  throw badCursor();
}

const encode = (k: Key) => Buffer.from(JSON.stringify({ t: k.deletedAt.toISOString(), d: k.deletionId }), 'utf8').toString('base64url');

/** Newest deletion first; ties by deletion id, so that the order is total and pages never overlap. */
const newestFirst = (x: Key, y: Key) => y.deletedAt.getTime() - x.deletedAt.getTime() || (x.deletionId < y.deletionId ? 1 : x.deletionId > y.deletionId ? -1 : 0);

/**
 * Reads the trash of the context's root through the scoped repositories: deletions (rows that
 * share a deletion id) whose top is a goal, session, activity, template or activity group.
 * A restored deletion has no rows with its id any more, so it is not listed.
 */
@Injectable()
export class TrashReader {
  constructor(private readonly tenantData: TenantData) {}

  async list(ctx: RequestContext, page: PageQuery): Promise<Page<TrashItemView>> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const after = page.cursor ? decode(page.cursor) : null;
    const keys = new Map<string, Key>();
    for (const { entity } of KINDS) {
      for (const key of await this.deletionsOf(ctx, entity)) {
        const known = keys.get(key.deletionId);
        if (!known || known.deletedAt < key.deletedAt) keys.set(key.deletionId, key);
      }
    }
    const ordered = [...keys.values()].sort(newestFirst).filter((k) => !after || newestFirst(after, k) < 0);
    const slice = ordered.slice(0, limit);
    const tops = await this.tops(ctx, slice.map((k) => k.deletionId));
    const rows = await this.rowCounts(ctx, slice.map((k) => k.deletionId));
    const items = slice
      .filter((k) => tops.has(k.deletionId))
      .map((k) => {
        const counts = rows.get(k.deletionId) ?? {};
        return {
          ...tops.get(k.deletionId)!,
          deletedAt: k.deletedAt.toISOString(),
          rows: counts,
          totalRows: Object.values(counts).reduce((a, b) => a + b, 0),
        };
      });
    return { items, nextCursor: ordered.length > limit ? encode(slice[slice.length - 1]) : null };
  }

  /** The top item of each of these deletions that has one (a goal deletion's highest goals; the root's own deletion is not trash). */
  async tops(ctx: RequestContext, deletionIds: string[]): Promise<Map<string, DeletionTop>> {
    const out = new Map<string, DeletionTop>();
    if (deletionIds.length === 0) return out;
    const goals = await this.tenantData.repo(Goal).find(ctx, { where: { deletionId: In(deletionIds) }, withDeleted: true });
    const byDeletion = new Map<string, Goal[]>();
    for (const g of goals) byDeletion.set(g.deletionId!, [...(byDeletion.get(g.deletionId!) ?? []), g]);
    for (const [deletionId, taken] of byDeletion) {
      const ids = new Set(taken.map((g) => g.id));
      const top = taken
        .filter((g) => g.parentId !== null && !ids.has(g.parentId))
        .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || x.id.localeCompare(y.id))[0];
      if (top) out.set(deletionId, { deletionId, type: top.type === 'PracticeSession' ? 'session' : 'goal', id: top.id, name: top.name });
    }
    for (const { entity, type } of KINDS.slice(1)) {
      const rows = (await this.tenantData.repo(entity).find(ctx, { where: { deletionId: In(deletionIds) }, withDeleted: true })) as (TenantEntity & { name: string })[];
      for (const r of rows) if (!out.has(r.deletionId!)) out.set(r.deletionId!, { deletionId: r.deletionId!, type, id: r.id, name: r.name });
    }
    return out;
  }

  /** Per deletion, the rows it took in every tenant table: one query a table, whatever the page. */
  private async rowCounts(ctx: RequestContext, deletionIds: string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(deletionIds.map((d) => [d, {}]));
    if (deletionIds.length === 0) return out;
    for (const entity of TENANT_ENTITIES) {
      const table = ctx.requireManager().connection.getMetadata(entity).tableName;
      const raw = await this.tenantData
        .repo(entity as TenantEntityClass)
        .createQueryBuilder(ctx, 'x')
        .withDeleted()
        .select('x.deletion_id', 'deletionId')
        .addSelect('COUNT(*)', 'n')
        .andWhere('x.deletion_id IN (:...trashIds)', { trashIds: deletionIds })
        .groupBy('x.deletion_id')
        .getRawMany<{ deletionId: string; n: string | number }>();
      for (const r of raw) out.get(r.deletionId)![table] = Number(r.n);
    }
    return out;
  }

  /** Each deletion of one kind's table, with its time (the latest of its rows there). */
  private async deletionsOf(ctx: RequestContext, entity: TenantEntityClass): Promise<Key[]> {
    const qb = this.tenantData
      .repo(entity)
      .createQueryBuilder(ctx, 'x')
      .withDeleted()
      .select('x.deletion_id', 'deletionId')
      .addSelect('MAX(x.deleted_at)', 'deletedAt')
      .andWhere('x.deletion_id IS NOT NULL');
    // The root's own deletion is not trash: a deleted root answers 404, and is restored through its own route.
    if (entity === Goal) qb.andWhere('x.parent_id IS NOT NULL');
    const raw = await qb.groupBy('x.deletion_id').getRawMany<{ deletionId: string; deletedAt: unknown }>();
    return raw.map((r) => ({ deletionId: r.deletionId, deletedAt: toDate(r.deletedAt) }));
  }
}
