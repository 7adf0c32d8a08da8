import { DataSource } from 'typeorm';
import { RequestContext } from '../../src/context/request-context';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RotateResult, TokenService } from '../../src/auth/token.service';

export const PASSWORD = 'correct horse battery';

export async function register(app: NestFastifyApplication, email: string, password = PASSWORD, extra: Record<string, unknown> = {}) {
  return app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password, ...extra } });
}

export async function login(app: NestFastifyApplication, email: string, password = PASSWORD, remoteAddress?: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
}

/** Registers and logs in; returns the token pair. */
export async function signUp(app: NestFastifyApplication, email: string, password = PASSWORD) {
  const r = await register(app, email, password);
  if (r.statusCode !== 201) throw new Error(`register ${email}: ${r.statusCode} ${r.body}`);
  const l = await login(app, email, password);
  if (l.statusCode !== 200) throw new Error(`login ${email}: ${l.statusCode} ${l.body}`);
  return l.json() as { accessToken: string; refreshToken: string; tokenType: string; expiresIn: number };
}

export function me(app: NestFastifyApplication, authorization?: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: '/api/auth/me', headers: authorization === undefined ? headers : { ...headers, authorization } });
}

/**
 * Two rotations of one refresh token, deterministically interleaved: the first has read the
 * row and passed its checks when the second runs to completion. The callbacks answer the
 * active account's token version (0: never raised).
 */
export async function interleavedRotations(app: NestFastifyApplication, refreshToken: string) {
  const tokens = app.get(TokenService);
  const ctx = RequestContext.anonymous('interleaved').withManager(app.get(DataSource).manager);
  let inner: RotateResult | undefined;
  const outer = await tokens.rotate(ctx, refreshToken, async () => {
    inner = await tokens.rotate(ctx, refreshToken, async () => 0);
    return 0;
  });
  return { outer, inner: inner! };
}
