import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';

export interface AuditNote {
  action: string;
  targetRootId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The one cross-tenant door, and it is explicit: only an admin passes (RequestContext.
 * requireAdmin, the one check of the role), and every pass writes an admin_audit_log row in the
 * request's unit of work, with the work it covers (Dialect.adminBypass: where row-level security
 * applies, the bypass is opened by the function that writes that row).
 */
@Injectable()
export class AdminData {
  async withoutRootScope<R>(ctx: RequestContext, note: AuditNote, fn: (ctx: RequestContext) => Promise<R>): Promise<R> {
    const admin = ctx.requireAdmin();
    const manager = ctx.requireManager();
    const dialect = dialectOf(manager.connection);
    const bypass = dialect.adminBypass({
      actorUserId: admin.id,
      action: note.action,
      targetRootId: note.targetRootId ?? null,
      requestId: ctx.requestId,
      details: note.details ?? {},
    });
    await manager.query(dialect.sql(bypass.sql), bypass.params);
    return fn(ctx);
  }
}
