import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createVerifier } from 'fast-jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { accountRepo } from '../database/account-data';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { RefreshToken } from './refresh-token.entity';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface AccessClaims {
  sub: string;
  /** users.token_version when the token was issued; a token without the claim counts as 0. */
  ver: number;
}

/** Why a refresh token was refused; the caller sees one 401 whatever the reason. */
export type RefreshRefusal = 'unknown' | 'expired' | 'revoked' | 'reused';

export type RotateResult = { ok: true; userId: string; pair: TokenPair } | { ok: false; reason: RefreshRefusal };

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Refresh tokens are 32 random bytes, base64url: 43 characters. Anything else is not ours. */
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** At most this many verified access tokens are remembered. */
const VERIFIED_TOKENS = 10_000;

@Injectable()
export class TokenService {
  /** fast-jwt, made once: the key and the pinned options are not parsed again per request. */
  private readonly verifier: (token: string) => { sub?: unknown; exp?: unknown; ver?: unknown };
  /**
   * Tokens already verified, each until its own exp: this runs on every request, and a Map
   * lookup costs far less than the HMAC, the base64 and the JSON parse. Keyed by the token
   * itself (fast-jwt's own cache hashes every token with sha256 first, a third of the guard's
   * measured cost), so two tokens can never share an entry. Bounded: the oldest goes first.
   */
  private readonly verified = new Map<string, AccessClaims & { expiresAtMs: number }>();

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.verifier = createVerifier({
      key: config.jwt.secret,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      allowedIss: config.jwt.issuer,
      allowedAud: config.jwt.audience,
      requiredClaims: ['exp', 'sub', 'iss', 'aud'],
    });
  }

  signAccess(userId: string, tokenVersion: number): string {
    // jti keeps two tokens issued in the same second distinct.
    return this.jwt.sign({ ver: tokenVersion }, { subject: userId, jwtid: randomUUID() });
  }

  /**
   * HS256 only (alg none and every other algorithm are refused), with our issuer and audience,
   * unexpired. Returns undefined for any token that fails, whatever the reason.
   */
  verifyAccess(token: string): AccessClaims | undefined {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return { sub: known.sub, ver: known.ver };
    if (known) this.verified.delete(token);
    let claims: { sub?: unknown; exp?: unknown; ver?: unknown };
    try {
      claims = this.verifier(token);
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string' || claims.sub === '' || typeof claims.exp !== 'number') return undefined;
    const ver = claims.ver === undefined ? 0 : claims.ver;
    if (!Number.isSafeInteger(ver)) return undefined;
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { sub: claims.sub, ver: ver as number, expiresAtMs: claims.exp * 1000 });
    return { sub: claims.sub, ver: ver as number };
  }

  /** A new login: a new family, in the context's unit of work. */
  async issue(ctx: RequestContext, userId: string, tokenVersion: number): Promise<TokenPair> {
    await this.pruneDead(ctx, userId);
    const familyExpiresAt = new Date(Date.now() + this.config.jwt.refreshMaxAgeSeconds * 1000);
    const refreshToken = await this.insertRefresh(ctx, userId, randomUUID(), familyExpiresAt);
    return this.pair(userId, tokenVersion, refreshToken);
  }

  /**
   * Each rotation adds a row, so a login also forgets the user's tokens that can never work
   * again: expired or revoked. Presented later, such a token is refused as unknown instead, the
   * same 401. Spent tokens of live families stay: they are how reuse is detected.
   */
  private async pruneDead(ctx: RequestContext, userId: string): Promise<void> {
    await accountRepo(ctx, RefreshToken)
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId AND (expires_at <= :now OR revoked_at IS NOT NULL)', { userId, now: new Date() })
      .execute();
  }

  /**
   * Spends a refresh token and issues the next one of its family. Race-safe without a
   * transaction, across processes: the successor is inserted first, then the token is spent
   * with a conditional UPDATE. Of two concurrent uses only one UPDATE matches; the loser is a
   * reuse and revokes the family, and the winner's successor already exists to be revoked with it.
   * With JWT_REFRESH_REUSE_GRACE_SECONDS, a token spent less than that long ago is not a reuse:
   * a second use (or the loser of the race) gets its own successor in the same family.
   */
  async rotate(ctx: RequestContext, token: string, activeTokenVersion: (userId: string) => Promise<number | undefined>): Promise<RotateResult> {
    if (!REFRESH_TOKEN.test(token)) return { ok: false, reason: 'unknown' };
    const refreshTokens = accountRepo(ctx, RefreshToken);
    const row = await refreshTokens.findOne({ where: { tokenHash: hashRefreshToken(token) } });
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    if (row.usedAt && !this.withinGrace(row.usedAt)) {
      await this.revokeFamily(ctx, row.familyId);
      return { ok: false, reason: 'reused' };
    }
    if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
    const tokenVersion = await activeTokenVersion(row.userId);
    if (tokenVersion === undefined) {
      await this.revokeFamily(ctx, row.familyId);
      return { ok: false, reason: 'revoked' };
    }
    const next = await this.insertRefresh(ctx, row.userId, row.familyId, row.familyExpiresAt);
    const spent = row.usedAt
      ? undefined
      : await refreshTokens.update({ id: row.id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: new Date() });
    if (spent?.affected !== 1 && !(await this.repeatStillLive(ctx, row))) {
      await this.revokeFamily(ctx, row.familyId);
      return { ok: false, reason: 'reused' };
    }
    return { ok: true, userId: row.userId, pair: this.pair(row.userId, tokenVersion, next) };
  }

  private withinGrace(usedAt: Date): boolean {
    const grace = this.config.jwt.refreshReuseGraceSeconds;
    return grace > 0 && Date.now() - usedAt.getTime() <= grace * 1000;
  }

  /**
   * A repeated use, or one that lost the spend to another: the row as it stands now decides,
   * so that a logout or a revocation that raced with this rotation still wins.
   */
  private async repeatStillLive(ctx: RequestContext, row: RefreshToken): Promise<boolean> {
    if (this.config.jwt.refreshReuseGraceSeconds === 0) return false;
    const now = await accountRepo(ctx, RefreshToken).findOne({ where: { id: row.id }, select: { id: true, usedAt: true, revokedAt: true } });
    return !!now && !now.revokedAt && !!now.usedAt && this.withinGrace(now.usedAt);
  }

  /** Logout: the token's whole family. Unknown tokens are ignored: logout is idempotent. */
  async revoke(ctx: RequestContext, token: string): Promise<void> {
    if (!REFRESH_TOKEN.test(token)) return;
    const row = await accountRepo(ctx, RefreshToken).findOne({ where: { tokenHash: hashRefreshToken(token) }, select: { id: true, familyId: true } });
    if (row) await this.revokeFamily(ctx, row.familyId);
  }

  async revokeFamily(ctx: RequestContext, familyId: string): Promise<void> {
    await accountRepo(ctx, RefreshToken).update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private pair(userId: string, tokenVersion: number, refreshToken: string): TokenPair {
    return {
      accessToken: this.signAccess(userId, tokenVersion),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwt.accessTtlSeconds,
    };
  }

  /** Each token lives the refresh TTL, but never past its family's end. */
  private async insertRefresh(ctx: RequestContext, userId: string, familyId: string, familyExpiresAt: Date | null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const ttlEnd = Date.now() + this.config.jwt.refreshTtlSeconds * 1000;
    await accountRepo(ctx, RefreshToken).insert({
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(familyExpiresAt ? Math.min(ttlEnd, familyExpiresAt.getTime()) : ttlEnd),
      familyExpiresAt,
      createdBy: userId,
      updatedBy: userId,
    });
    return token;
  }
}
