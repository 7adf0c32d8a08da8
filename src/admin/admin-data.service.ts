import { ForbiddenException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { RequestContext } from '../tenancy/request-context';
import { AdminAuditEntry } from './admin-audit.entity';

export interface AuditNote {
  action: string;
  targetRootId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The one cross-tenant door, and it is explicit: only an admin passes, and every pass writes
 * an admin_audit_log row in the same transaction as the work it covers. On PostgreSQL the
 * row-level security bypass is opened by fg_begin_admin_bypass(), which writes that row itself.
 */
@Injectable()
export class AdminData {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  withoutRootScope<R>(ctx: RequestContext, note: AuditNote, fn: (manager: EntityManager) => Promise<R>): Promise<R> {
    const user = ctx.requireUser();
    if (user.role !== 'admin') throw new ForbiddenException('Administrators only.');
    return this.unitOfWork.run({ userId: user.id }, async (manager) => {
      if (this.unitOfWork.isPostgres) {
        await manager.query('SELECT fg_begin_admin_bypass($1, $2, $3, $4, $5)', [
          user.id,
          note.action,
          note.targetRootId ?? null,
          ctx.requestId,
          JSON.stringify(note.details ?? {}),
        ]);
      } else {
        await manager.getRepository(AdminAuditEntry).insert({
          id: randomUUID(),
          actorUserId: user.id,
          action: note.action,
          targetRootId: note.targetRootId ?? null,
          requestId: ctx.requestId,
          details: { rls_bypass: false, details: note.details ?? {} },
          createdBy: user.id,
          updatedBy: user.id,
        });
      }
      return fn(manager);
    });
  }
}
