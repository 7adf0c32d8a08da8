import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ACCOUNT_UNAVAILABLE } from '../context/bearer-auth.error';
import { RequestContext } from '../context/request-context';
import { AccountData, accountRepo } from '../database/account-data';
import { constraintViolation } from '../database/dialect';
import { RequestValidationError } from '../http/validation';
import { INVALID_CREDENTIALS, INVALID_REFRESH } from './auth.errors';
import { ChangePasswordDto, LoginDto, RegisterDto, UpdateMeDto } from './auth.dto';
import { PasswordService } from './password.service';
import { endAllLogins, replacePassword } from './replace-password';
import { TokenPair, TokenService } from './token.service';
import { User } from './user.entity';
import { toUserView, UserView } from './user.view';

const EMAIL_TAKEN = 'An account with this email already exists.';


/**
 * Accounts and logins. The public routes (register, login, refresh, logout) open units of their
 * own through AccountData; the signed-in ones run in the request's unit of work. Password
 * hashing never runs inside a public route's unit: where writers are queued, it would hold them all.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountData,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
  ) {}

  async register(ctx: RequestContext, dto: RegisterDto): Promise<UserView> {
    // Deleted accounts keep their address: the unique index covers them too.
    const taken = await this.accounts.read(ctx, (c) => accountRepo(c, User).exists({ where: { email: dto.email }, withDeleted: true }));
    if (taken) throw new ConflictException(EMAIL_TAKEN);
    const passwordHash = await this.passwords.hash(dto.password);
    const user = { id: randomUUID(), email: dto.email, displayName: dto.displayName ?? null, passwordHash, role: 'user' as const, isActive: true };
    try {
      const saved = await this.accounts.write(ctx, async (c) => {
        await accountRepo(c, User).insert(user);
        return accountRepo(c, User).findOneByOrFail({ id: user.id });
      });
      return toUserView(saved);
    } catch (err) {
      if (constraintViolation(err) === 'unique') throw new ConflictException(EMAIL_TAKEN);
      throw err;
    }
  }

  /**
   * Every failure answers the same 401 after the same work: one lookup and one argon2
   * verification, against a dummy hash when there is no usable account.
   */
  async login(ctx: RequestContext, dto: LoginDto): Promise<TokenPair> {
    const user = await this.accounts.read(ctx, (c) =>
      accountRepo(c, User).findOne({ where: { email: dto.email }, select: { id: true, passwordHash: true, isActive: true, tokenVersion: true } }),
    );
    const usable = user && user.isActive && user.passwordHash;
    const ok = usable ? await this.passwords.verify(user.passwordHash!, dto.password) : await this.passwords.verifyDummy(dto.password);
    if (!ok || !user) throw new UnauthorizedException(INVALID_CREDENTIALS);

    const changes: Partial<User> = { lastLoginAt: new Date() };
    if (this.passwords.needsRehash(user.passwordHash!)) changes.passwordHash = await this.passwords.hash(dto.password);
    return this.accounts.write(ctx, async (c) => {
      await accountRepo(c, User).update({ id: user.id }, changes);
      return this.tokens.issue(c, user.id, user.tokenVersion);
    });
  }

  async refresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
    const result = await this.accounts.write(ctx, (c) => this.tokens.rotate(c, refreshToken, (userId) => this.activeTokenVersion(c, userId)));
    if (!result.ok) throw new UnauthorizedException(INVALID_REFRESH);
    return result.pair;
  }

  logout(ctx: RequestContext, refreshToken: string): Promise<void> {
    return this.accounts.write(ctx, (c) => this.tokens.revoke(c, refreshToken));
  }

  /**
   * A new password for the signed-in user, who must give the current one. It ends every login
   * of the account, this one included, with its access tokens, and answers a new login for
   * this client, all in the request's unit of work. A wrong current password is a 400 naming
   * the field, not a 401: the access token is fine, and a client must not take the answer for
   * an expired session.
   */
  async changePassword(ctx: RequestContext, dto: ChangePasswordDto): Promise<TokenPair> {
    const { id } = ctx.requireUser();
    if (dto.newPassword === dto.currentPassword) {
      throw new RequestValidationError([{ field: 'newPassword', message: 'newPassword must differ from currentPassword' }]);
    }
    const user = await accountRepo(ctx, User).findOne({ where: { id }, select: { id: true, passwordHash: true } });
    const ok = user?.passwordHash
      ? await this.passwords.verify(user.passwordHash, dto.currentPassword)
      : await this.passwords.verifyDummy(dto.currentPassword);
    if (!user) throw new UnauthorizedException(ACCOUNT_UNAVAILABLE);
    if (!ok) throw new RequestValidationError([{ field: 'currentPassword', message: 'currentPassword is not the password of this account' }]);
    const passwordHash = await this.passwords.hash(dto.newPassword);
    const { tokenVersion } = await replacePassword(ctx, id, passwordHash, id);
    return this.tokens.issue(ctx, id, tokenVersion);
  }

  /** Logs the account out everywhere: every refresh token, and every access token issued so far. */
  async logoutEverywhere(ctx: RequestContext): Promise<void> {
    const { id } = ctx.requireUser();
    await endAllLogins(ctx, id, id);
  }

  async me(ctx: RequestContext): Promise<UserView> {
    const user = await accountRepo(ctx, User).findOneBy({ id: ctx.requireUser().id });
    // Deleted between the admission and this read: the same answer the admission would give.
    if (!user) throw new UnauthorizedException(ACCOUNT_UNAVAILABLE);
    return toUserView(user);
  }

  async updateMe(ctx: RequestContext, dto: UpdateMeDto): Promise<UserView> {
    const { id } = ctx.requireUser();
    const patch: Partial<User> = { updatedBy: id };
    if (dto.displayName !== undefined) patch.displayName = dto.displayName;
    if (dto.timeZone !== undefined) patch.timeZone = dto.timeZone;
    await accountRepo(ctx, User).update({ id }, patch);
    return this.me(ctx);
  }

  /** The user's own time zone setting (null: none, read as UTC). */
  async timeZoneOf(ctx: RequestContext): Promise<string | null> {
    const user = await accountRepo(ctx, User).findOne({ where: { id: ctx.requireUser().id }, select: { id: true, timeZone: true } });
    return user?.timeZone ?? null;
  }

  private async activeTokenVersion(ctx: RequestContext, userId: string): Promise<number | undefined> {
    const user = await accountRepo(ctx, User).findOne({ where: { id: userId, isActive: true }, select: { id: true, tokenVersion: true } });
    return user?.tokenVersion;
  }
}
