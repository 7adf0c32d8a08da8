import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { endAllLogins } from '../auth/replace-password';
import { User } from '../auth/user.entity';
import { toAdminUserView } from '../auth/user.view';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { RequestContext } from '../context/request-context';
import { dialectOf } from '../database/dialect';
import { migrationState } from '../database/safe-migrations';
import { Goal } from '../goals/goal.entity';
import { toAdminRootView } from '../goals/goal.view';
import { Page, PageQuery, paginate } from '../http/pagination';
import { TenantData } from '../tenancy/tenant-data.service';
import { AdminAuditEntry } from './admin-audit.entity';
import { AdminData } from './admin-data.service';
import { TransferRootDto, UpdateUserDto } from './dto/admin.dto';

/** Every method acts across tenants, so every one goes through AdminData's audited door. */
@Injectable()
export class AdminService {
  constructor(
    private readonly admin: AdminData,
    private readonly tenantData: TenantData,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What /health no longer tells strangers: the engine, where the data is (password masked), the migrations. */
  dbStatus(ctx: RequestContext) {
    return this.admin.withoutRootScope(ctx, { action: 'db.status' }, async (c) => {
      const m = c.requireManager();
      const { engine, display } = this.config.database;
      const [row] = await m.query(dialectOf(m.connection).serverVersion);
      const migrations = await migrationState(m.connection, m.queryRunner!);
      return { environment: this.config.appEnv, engine, database: display, serverVersion: String(row.server_version), migrations };
    });
  }

  listUsers(ctx: RequestContext, page: PageQuery): Promise<Page<ReturnType<typeof toAdminUserView>>> {
    return this.admin.withoutRootScope(ctx, { action: 'users.list' }, async (c) => {
      const qb = c.requireManager().getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').withDeleted();
      const result = await paginate(qb, 'u', page);
      return { items: result.items.map(toAdminUserView), nextCursor: result.nextCursor };
    });
  }

  /** Ends every login of a user, access tokens included (a stolen device, a compromised account). */
  logoutUser(ctx: RequestContext, userId: string) {
    return this.admin.withoutRootScope(ctx, { action: 'users.logout', details: { userId } }, async (c) => {
      if (!(await c.requireManager().getRepository(User).exists({ where: { id: userId } }))) throw new NotFoundException('User not found');
      const { endedLogins } = await endAllLogins(c, userId, c.requireUser().id);
      return { id: userId, endedLogins };
    });
  }

  updateUser(ctx: RequestContext, userId: string, dto: UpdateUserDto) {
    if (dto.isActive === undefined && dto.role === undefined) {
      throw new BadRequestException({
        message: 'Invalid request: isActive, role',
        details: [{ field: 'isActive', message: 'give isActive or role' }],
      });
    }
    if (userId === ctx.requireUser().id && (dto.isActive === false || dto.role === 'user')) {
      throw new ConflictException('An administrator cannot disable or demote themselves.');
    }
    return this.admin.withoutRootScope(ctx, { action: 'users.update', details: { userId, ...dto } }, async (c) => {
      const repo = c.requireManager().getRepository(User);
      const user = await repo.findOne({ where: { id: userId }, select: { id: true, passwordHash: true } as never });
      if (!user) throw new NotFoundException('User not found');
      // Disabling also ends the account's logins, so that enabling it later revives none of them.
      if (dto.isActive === false) await endAllLogins(c, userId, c.requireUser().id, dto);
      else await repo.update({ id: userId }, { ...dto, updatedBy: c.requireUser().id });
      const updated = await repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: userId }).getOneOrFail();
      return toAdminUserView(updated);
    });
  }

  listRoots(ctx: RequestContext, page: PageQuery) {
    return this.admin.withoutRootScope(ctx, { action: 'roots.list' }, async (c) => {
      const qb = c.requireManager().getRepository(Goal).createQueryBuilder('g').withDeleted().where('g.parent_id IS NULL AND g.id = g.root_id');
      const result = await paginate(qb, 'g', page);
      return { items: result.items.map(toAdminRootView), nextCursor: result.nextCursor };
    });
  }

  /** Hands a root to another user, such as a legacy file's placeholder owner's roots to their person. */
  transferRoot(ctx: RequestContext, rootId: string, dto: TransferRootDto) {
    return this.admin.withoutRootScope(ctx, { action: 'roots.transfer', targetRootId: rootId, details: { to: dto.email } }, async (c) => {
      const m = c.requireManager();
      const root = await m.getRepository(Goal).findOne({ where: { id: rootId, rootId }, withDeleted: true });
      if (!root || root.parentId !== null) throw new NotFoundException('Root not found');
      const target = await m.getRepository(User).findOne({ where: { email: dto.email } });
      if (!target) throw new NotFoundException('User not found');
      if (!(await this.tenantData.owned(Goal).transfer(c, root, target.id))) {
        throw new ConflictException(`That user already has a root named "${root.name}".`);
      }
      return toAdminRootView({ ...root, userId: target.id } as Goal);
    });
  }

  listAudit(ctx: RequestContext, page: PageQuery) {
    return this.admin.withoutRootScope(ctx, { action: 'audit.list' }, async (c) => {
      const result = await paginate(c.requireManager().getRepository(AdminAuditEntry).createQueryBuilder('a'), 'a', page);
      return {
        items: result.items.map((a) => ({
          id: a.id,
          actorUserId: a.actorUserId,
          action: a.action,
          targetRootId: a.targetRootId,
          requestId: a.requestId,
          details: a.details,
          createdAt: a.createdAt,
        })),
        nextCursor: result.nextCursor,
      };
    });
  }
}
