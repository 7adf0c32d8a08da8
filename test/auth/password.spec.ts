import { parseOptions } from '@node-rs/argon2';
import { PASSWORD_HASH_OPTIONS, PasswordService } from '../../src/auth/password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('hashes off the event loop: timers keep firing while a hash is computed', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = process.hrtime.bigint();
    await passwords.hash('correct horse battery');
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    clearInterval(timer);
    // A synchronous hash would hold the loop for its whole duration: no tick at all.
    expect(elapsedMs).toBeGreaterThan(2);
    expect(ticks).toBeGreaterThan(0);
  });

  it('produces argon2id hashes with the policy parameters and a fresh salt each time', async () => {
    const [a, b] = await Promise.all([passwords.hash('same password'), passwords.hash('same password')]);
    expect(a).not.toBe(b);
    expect(parseOptions(a)).toMatchObject({ algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(PASSWORD_HASH_OPTIONS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('verifies, refuses a wrong password, and treats a malformed stored hash as a failure', async () => {
    const hash = await passwords.hash('correct horse battery');
    await expect(passwords.verify(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(passwords.verify(hash, 'correct horse batterY')).resolves.toBe(false);
    await expect(passwords.verify('not-a-hash', 'correct horse battery')).resolves.toBe(false);
  });

  it('matches the same text whether typed composed or decomposed (NFC)', async () => {
    const composed = 'caf\u00e9 au lait 2026';
    const decomposed = 'cafe\u0301 au lait 2026';
    expect(composed).not.toBe(decomposed);
    const hash = await passwords.hash(composed);
    await expect(passwords.verify(hash, decomposed)).resolves.toBe(true);
  });

  it('asks for a rehash of anything weaker than the policy, and not of its own hashes', async () => {
    const { hash } = await import('@node-rs/argon2');
    expect(passwords.needsRehash(await passwords.hash('x'.repeat(12)))).toBe(false);
    expect(passwords.needsRehash(await hash('x'.repeat(12), { algorithm: 2, memoryCost: 8192, timeCost: 2, parallelism: 1 }))).toBe(true);
    expect(passwords.needsRehash(await hash('x'.repeat(12), { algorithm: 1, memoryCost: 19456, timeCost: 2, parallelism: 1 }))).toBe(true);
    expect(passwords.needsRehash('garbage')).toBe(true);
  });

  it('verifies a dummy hash of the same cost, and always fails', async () => {
    await expect(passwords.verifyDummy('anything at all')).resolves.toBe(false);
  });
});
