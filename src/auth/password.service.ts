import { Injectable, OnModuleInit } from '@nestjs/common';
import { hash, Options, parseOptions, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** argon2id at OWASP's minimum: 19 MiB, 2 passes, 1 lane. (Algorithm.Argon2id is a const enum: 2.) */
export const ARGON2_ID = 2;
export const PASSWORD_HASH_OPTIONS: Options = { algorithm: ARGON2_ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
/** The hash input limit: long enough for any passphrase, short enough that hashing stays cheap. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Hashing runs on libuv's thread pool (@node-rs/argon2 is async native code), never on the
 * event loop. Passwords are NFC-normalized so that the same text typed on two keyboards matches.
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash: Promise<string> | undefined;

  onModuleInit(): void {
    this.dummy();
  }

  hash(password: string): Promise<string> {
    return hash(password.normalize('NFC'), PASSWORD_HASH_OPTIONS);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password.normalize('NFC'));
    } catch {
      // A malformed stored hash is a failed login, not a 500.
      return false;
    }
  }

  /** Verifies against a throwaway hash of the same cost, so that a missing user takes as long as a wrong password. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummy(), password);
    return false;
  }

  /** True when a stored hash is weaker than the current policy, so that login upgrades it. */
  needsRehash(passwordHash: string): boolean {
    try {
      const o = parseOptions(passwordHash);
      return (
        o.algorithm !== ARGON2_ID ||
        o.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost! ||
        o.timeCost < PASSWORD_HASH_OPTIONS.timeCost! ||
        o.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
      );
    } catch {
      return true;
    }
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}
