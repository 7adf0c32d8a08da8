import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PasswordService } from './password.service';
import { AuthRateLimitGuard, rateLimitOptions } from './rate-limit';
import { ACCESS_TOKEN_ALGORITHM, TokenService } from './token.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse
        // it as a public key on every verify, which measured as most of the guard's cost.
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as string,
        signOptions: {
          algorithm: ACCESS_TOKEN_ALGORITHM,
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          expiresIn: config.jwt.accessTtlSeconds,
        },
        // Pinned: a token's own header never chooses how it is checked.
        verifyOptions: {
          algorithms: [ACCESS_TOKEN_ALGORITHM],
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
        },
      }),
    }),
    ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: rateLimitOptions }),
  ],
  controllers: [AuthController],
  providers: [AuthService, PasswordService, TokenService, AuthRateLimitGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, TokenService, PasswordService],
})
export class AuthModule {}
