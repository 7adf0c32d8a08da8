import { TenantEntity } from '../database/base.entity';
import { RequestContext } from '../context/request-context';
import { TenantRepository } from '../tenancy/tenant-repository';
import { conflict, invalid, missingReference } from './references';

/** A metric or split definition, as reconciliation sees it. */
type Part = TenantEntity & { activityId: string; name: string; isActive: boolean };

export interface PartPlan<R extends Part, D extends { id?: string; name: string }> {
  /** `metrics` or `splits`: the body field, for the names of errors. */
  field: string;
  /** `Metric` or `Split`: for messages. */
  what: string;
  repo: TenantRepository<R>;
  activityId: string;
  /** The activity's live rows, active or not. */
  current: R[];
  /** The new active list, in order. */
  desired: D[];
  /** The columns a desired item gives its row: the whole row for a new one, a patch for a kept one. */
  columns(item: D, position: number, row?: R): Partial<R>;
  /** Which of these rows recorded values name (deleted values included: a restore may bring them back). */
  withValues(ids: string[]): Promise<Set<string>>;
  deletionId: string;
}

const at = (field: string, i: number, sub: string) => `${field}.${i}.${sub}`;

/** Checks a desired list against the rows; throws the 4xx before anything is written. */
function check<R extends Part, D extends { id?: string; name: string }>(plan: PartPlan<R, D>, retained: R[]): void {
  const byId = new Map(plan.current.map((r) => [r.id, r]));
  const ids = new Set<string>();
  const names = new Set<string>();
  plan.desired.forEach((d, i) => {
    if (d.id !== undefined) {
      if (!byId.has(d.id)) throw missingReference(at(plan.field, i, 'id'), `${plan.what} of this activity`);
      if (ids.has(d.id)) throw invalid(at(plan.field, i, 'id'), `${plan.field} names this id twice`);
      ids.add(d.id);
    }
    if (names.has(d.name)) throw invalid(at(plan.field, i, 'name'), `${plan.field} names "${d.name}" twice`);
    names.add(d.name);
    const clash = retained.find((r) => r.name === d.name && !ids.has(r.id) && r.id !== d.id);
    if (clash) {
      throw conflict(
        at(plan.field, i, 'name'),
        `An inactive ${plan.what.toLowerCase()} of this activity is named "${d.name}"; send its id (${clash.id}) to bring it back, or choose another name.`,
      );
    }
  });
}

/**
 * Makes the activity's active metrics (or splits) the desired list, by id. A row left out that
 * recorded values name is deactivated, so that its history stays readable; one without values is
 * soft-deleted. An inactive row named by id becomes active again. Names stay unique among the
 * live rows of the activity throughout, even when two of them swap names.
 */
export async function reconcileParts<R extends Part, D extends { id?: string; name: string }>(
  ctx: RequestContext,
  plan: PartPlan<R, D>,
): Promise<void> {
  const kept = new Set(plan.desired.map((d) => d.id).filter((id): id is string => id !== undefined));
  const leaving = plan.current.filter((r) => r.isActive && !kept.has(r.id));
  const withValues = await plan.withValues(leaving.map((r) => r.id));
  const deactivated = leaving.filter((r) => withValues.has(r.id));
  const dropped = leaving.filter((r) => !withValues.has(r.id));
  // Rows that stay live without being in the list: the inactive ones, old and new.
  const retained = plan.current.filter((r) => !kept.has(r.id) && (!r.isActive || withValues.has(r.id)));
  check(plan, retained);

  await plan.repo.softDelete(ctx, dropped.map((r) => r.id), plan.deletionId);
  for (const r of deactivated) await plan.repo.update(ctx, { id: r.id } as never, { isActive: false } as Partial<R>);

  const byId = new Map(plan.current.map((r) => [r.id, r]));
  const updates = plan.desired.flatMap((d, i) => (d.id ? [{ row: byId.get(d.id)!, patch: plan.columns(d, i, byId.get(d.id)) }] : []));
  // A name that moves to another row is parked on a unique placeholder first.
  const renamed = updates.filter((u) => u.patch.name !== undefined && u.patch.name !== u.row.name);
  for (const u of renamed) await plan.repo.update(ctx, { id: u.row.id } as never, { name: `~${u.row.id}` } as Partial<R>);
  for (const u of updates) {
    const patch = changed(u.row, { ...u.patch, isActive: true } as Partial<R>);
    if (renamed.includes(u)) patch.name = u.patch.name;
    if (Object.keys(patch).length > 0) await plan.repo.update(ctx, { id: u.row.id } as never, patch);
  }
  const fresh = plan.desired.flatMap((d, i) => (d.id ? [] : [{ ...plan.columns(d, i), activityId: plan.activityId, isActive: true } as Partial<R>]));
  if (fresh.length > 0) await plan.repo.insert(ctx, fresh);
}

/** The part of a patch that differs from the row. */
function changed<R>(row: R, patch: Partial<R>): Partial<R> {
  const out: Partial<R> = {};
  for (const [k, v] of Object.entries(patch) as [keyof R, R[keyof R]][]) if (row[k] !== v) out[k] = v;
  return out;
}
