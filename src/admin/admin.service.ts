import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { endAllLogins } from '../auth/replace-password';
import { User } from '../auth/user.entity';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { migrationState } from '../database/safe-migrations';
import { Goal } from '../goals/goal.entity';
import { Page, PageQuery, paginate } from '../http/pagination';
import { RequestContext } from '../tenancy/request-context';
import { AdminAuditEntry } from './admin-audit.entity';
import { AdminData } from './admin-data.service';
import { TransferRootDto, UpdateUserDto } from './dto/admin.dto';

const userView = (u: User) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  isActive: u.isActive,
  hasPassword: u.passwordHash != null,
  lastLoginAt: u.lastLoginAt,
  createdAt: u.createdAt,
});

const rootView = (g: Goal) => ({
  id: g.id,
  name: g.name,
  type: g.type,
  ownerId: g.userId,
  createdAt: g.createdAt,
  deletedAt: g.deletedAt,
});

@Injectable()
export class AdminService {
  constructor(
    private readonly admin: AdminData,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** What /health no longer tells strangers: the engine, where the data is (password masked), the migrations. */
  dbStatus(ctx: RequestContext) {
    return this.admin.withoutRootScope(ctx, { action: 'db.status' }, async (m) => {
      const { engine, display } = this.config.database;
      const [row] = await m.query(engine === 'postgres' ? 'SHOW server_version' : 'SELECT sqlite_version() AS server_version');
      const migrations = await migrationState(this.dataSource, m.queryRunner!);
      return { environment: this.config.appEnv, engine, database: display, serverVersion: String(row.server_version), migrations };
    });
  }

  listUsers(ctx: RequestContext, page: PageQuery): Promise<Page<ReturnType<typeof userView>>> {
    return this.admin.withoutRootScope(ctx, { action: 'users.list' }, async (m) => {
      const qb = m.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').withDeleted();
      const result = await paginate(qb, 'u', page);
      return { items: result.items.map(userView), nextCursor: result.nextCursor };
    });
  }

  /** Ends every login of a user, access tokens included (a stolen device, a compromised account). */
  logoutUser(ctx: RequestContext, userId: string) {
    return this.admin.withoutRootScope(ctx, { action: 'users.logout', details: { userId } }, async (m) => {
      if (!(await m.getRepository(User).exists({ where: { id: userId } }))) throw new NotFoundException('User not found');
      const { endedLogins } = await endAllLogins(m, userId, ctx.requireUser().id);
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
    return this.admin.withoutRootScope(ctx, { action: 'users.update', details: { userId, ...dto } }, async (m) => {
      const repo = m.getRepository(User);
      const user = await repo.findOne({ where: { id: userId }, select: { id: true, passwordHash: true } as never });
      if (!user) throw new NotFoundException('User not found');
      // Disabling also ends the account's logins, so that enabling it later revives none of them.
      if (dto.isActive === false) await endAllLogins(m, userId, ctx.requireUser().id, dto);
      else await repo.update({ id: userId }, { ...dto, updatedBy: ctx.requireUser().id });
      const updated = await repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: userId }).getOneOrFail();
      return userView(updated);
    });
  }

  listRoots(ctx: RequestContext, page: PageQuery) {
    return this.admin.withoutRootScope(ctx, { action: 'roots.list' }, async (m) => {
      const qb = m.getRepository(Goal).createQueryBuilder('g').withDeleted().where('g.parent_id IS NULL AND g.id = g.root_id');
      const result = await paginate(qb, 'g', page);
      return { items: result.items.map(rootView), nextCursor: result.nextCursor };
    });
  }

  /** Hands a root to another user, such as a legacy file's placeholder owner's roots to their person. */
  transferRoot(ctx: RequestContext, rootId: string, dto: TransferRootDto) {
    return this.admin.withoutRootScope(ctx, { action: 'roots.transfer', targetRootId: rootId, details: { to: dto.email } }, async (m) => {
      const root = await m.getRepository(Goal).findOne({ where: { id: rootId, rootId, parentId: IsNull() }, withDeleted: true });
      if (!root) throw new NotFoundException('Root not found');
      const target = await m.getRepository(User).findOne({ where: { email: dto.email } });
      if (!target) throw new NotFoundException('User not found');
      await this.assertNameFree(m, target.id, root);
      await m.getRepository(Goal).update({ id: root.id }, { userId: target.id, updatedBy: ctx.requireUser().id });
      return rootView({ ...root, userId: target.id } as Goal);
    });
  }

  listAudit(ctx: RequestContext, page: PageQuery) {
    return this.admin.withoutRootScope(ctx, { action: 'audit.list' }, async (m) => {
      const result = await paginate(m.getRepository(AdminAuditEntry).createQueryBuilder('a'), 'a', page);
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

  private async assertNameFree(m: EntityManager, userId: string, root: Goal): Promise<void> {
    if (root.deletedAt) return;
    const clash = await m.getRepository(Goal).count({ where: { userId, name: root.name, parentId: IsNull() } });
    if (clash > 0) throw new ConflictException(`That user already has a root named "${root.name}".`);
  }
}
