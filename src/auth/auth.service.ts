import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { RequestValidationError } from '../http/validation';
import { AuthUser } from '../tenancy/request-context';
import { ACCOUNT_UNAVAILABLE, INVALID_CREDENTIALS, INVALID_REFRESH } from './auth.errors';
import { ChangePasswordDto, LoginDto, RegisterDto, UpdateMeDto } from './auth.dto';
import { PasswordService } from './password.service';
import { endAllLogins, replacePassword } from './replace-password';
import { TokenPair, TokenService } from './token.service';
import { User } from './user.entity';
import { toUserView, UserView } from './user.view';

const EMAIL_TAKEN = 'An account with this email already exists.';

function isUniqueViolation(err: unknown): boolean {
  const code = err instanceof QueryFailedError ? (err.driverError as { code?: string } | undefined)?.code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async register(dto: RegisterDto): Promise<UserView> {
    // Deleted accounts keep their address: the unique index covers them too.
    if (await this.users.exists({ where: { email: dto.email }, withDeleted: true })) {
      throw new ConflictException(EMAIL_TAKEN);
    }
    const passwordHash = await this.passwords.hash(dto.password);
    const user = this.users.create({ email: dto.email, displayName: dto.displayName ?? null, passwordHash, role: 'user', isActive: true });
    try {
      await this.unitOfWork.write(() => this.users.save(user));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException(EMAIL_TAKEN);
      throw err;
    }
    return toUserView(user);
  }

  /**
   * Every failure answers the same 401 after the same work: one lookup and one argon2
   * verification, against a dummy hash when there is no usable account.
   */
  async login(dto: LoginDto): Promise<TokenPair> {
    const user = await this.users.findOne({
      where: { email: dto.email },
      select: { id: true, passwordHash: true, isActive: true, tokenVersion: true },
    });
    const usable = user && user.isActive && user.passwordHash;
    const ok = usable ? await this.passwords.verify(user.passwordHash!, dto.password) : await this.passwords.verifyDummy(dto.password);
    if (!ok || !user) throw new UnauthorizedException(INVALID_CREDENTIALS);

    const changes: Partial<User> = { lastLoginAt: new Date() };
    if (this.passwords.needsRehash(user.passwordHash!)) changes.passwordHash = await this.passwords.hash(dto.password);
    return this.unitOfWork.write(async () => {
      await this.users.update({ id: user.id }, changes);
      return this.tokens.issue(user.id, user.tokenVersion);
    });
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.unitOfWork.write(() => this.tokens.rotate(refreshToken, (userId) => this.activeTokenVersion(userId)));
    if (!result.ok) throw new UnauthorizedException(INVALID_REFRESH);
    return result.pair;
  }

  logout(refreshToken: string): Promise<void> {
    return this.unitOfWork.write(() => this.tokens.revoke(refreshToken));
  }

  /**
   * A new password for the signed-in user, who must give the current one. It ends every login
   * of the account, this one included, with its access tokens, and answers a new login for
   * this client, all in one transaction. A wrong current password is a 400 naming the field,
   * not a 401: the access token is fine, and a client must not take the answer for an expired
   * session.
   */
  async changePassword(auth: AuthUser, dto: ChangePasswordDto): Promise<TokenPair> {
    if (dto.newPassword === dto.currentPassword) {
      throw new RequestValidationError([{ field: 'newPassword', message: 'newPassword must differ from currentPassword' }]);
    }
    const user = await this.users.findOne({ where: { id: auth.id }, select: { id: true, passwordHash: true } });
    const ok = user?.passwordHash
      ? await this.passwords.verify(user.passwordHash, dto.currentPassword)
      : await this.passwords.verifyDummy(dto.currentPassword);
    if (!user) throw new UnauthorizedException(ACCOUNT_UNAVAILABLE);
    if (!ok) throw new RequestValidationError([{ field: 'currentPassword', message: 'currentPassword is not the password of this account' }]);
    const passwordHash = await this.passwords.hash(dto.newPassword);
    return this.unitOfWork.run({ userId: user.id }, async (m) => {
      const { tokenVersion } = await replacePassword(m, user.id, passwordHash, user.id);
      return this.tokens.issue(user.id, tokenVersion, m);
    });
  }

  /** Logs the account out everywhere: every refresh token, and every access token issued so far. */
  async logoutEverywhere(auth: AuthUser): Promise<void> {
    await this.unitOfWork.run({ userId: auth.id }, (m) => endAllLogins(m, auth.id, auth.id));
  }

  async me(auth: AuthUser): Promise<UserView> {
    const user = await this.users.findOneBy({ id: auth.id });
    // Deleted between the guard's check and this read: the same answer the guard would give.
    if (!user) throw new UnauthorizedException(ACCOUNT_UNAVAILABLE);
    return toUserView(user);
  }

  async updateMe(auth: AuthUser, dto: UpdateMeDto): Promise<UserView> {
    await this.unitOfWork.write(() => this.users.update({ id: auth.id }, { displayName: dto.displayName, updatedBy: auth.id }));
    return this.me(auth);
  }

  private async activeTokenVersion(userId: string): Promise<number | undefined> {
    const user = await this.users.findOne({ where: { id: userId, isActive: true }, select: { id: true, tokenVersion: true } });
    return user?.tokenVersion;
  }
}
