import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { AuthUser } from '../tenancy/request-context';
import { ACCOUNT_UNAVAILABLE, INVALID_CREDENTIALS, INVALID_REFRESH } from './auth.errors';
import { LoginDto, RegisterDto } from './auth.dto';
import { PasswordService } from './password.service';
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
      select: { id: true, passwordHash: true, isActive: true },
    });
    const usable = user && user.isActive && user.passwordHash;
    const ok = usable ? await this.passwords.verify(user.passwordHash!, dto.password) : await this.passwords.verifyDummy(dto.password);
    if (!ok || !user) throw new UnauthorizedException(INVALID_CREDENTIALS);

    const changes: Partial<User> = { lastLoginAt: new Date() };
    if (this.passwords.needsRehash(user.passwordHash!)) changes.passwordHash = await this.passwords.hash(dto.password);
    return this.unitOfWork.write(async () => {
      await this.users.update({ id: user.id }, changes);
      return this.tokens.issue(user.id);
    });
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.unitOfWork.write(() => this.tokens.rotate(refreshToken, (userId) => this.isActive(userId)));
    if (!result.ok) throw new UnauthorizedException(INVALID_REFRESH);
    return result.pair;
  }

  logout(refreshToken: string): Promise<void> {
    return this.unitOfWork.write(() => this.tokens.revoke(refreshToken));
  }

  async me(auth: AuthUser): Promise<UserView> {
    const user = await this.users.findOneBy({ id: auth.id });
    // Deleted between the guard's check and this read: the same answer the guard would give.
    if (!user) throw new UnauthorizedException(ACCOUNT_UNAVAILABLE);
    return toUserView(user);
  }

  private isActive(userId: string): Promise<boolean> {
    return this.users.exists({ where: { id: userId, isActive: true } });
  }
}
