import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setPassword, SetPasswordRefused } from '../../src/auth/set-password.service';
import { readNewPassword } from '../../src/cli/lib/read-password';
import { User } from '../../src/auth/user.entity';
import { AccountData } from '../../src/database/account-data';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { createTestApp, describeDb, TestApp } from '../helpers/db';
import { login, me, PASSWORD, register } from './helpers';

const NEW_PASSWORD = 'a brand new passphrase';

describeDb('user:set-password', () => {
  let t: TestApp;
  const hashOf = async (email: string) =>
    (await t.db.dataSource.query(`SELECT password_hash FROM users WHERE email = '${email}'`))[0]?.password_hash ?? null;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());
  /** What the command builds: the account tables on the owner's connection, as the CLI has it. */
  const accounts = () => new AccountData(new UnitOfWork(t.db.dataSource));

  it('lets an account created without a password (as LEGACY_OWNER_EMAIL does) log in', async () => {
    await t.db.dataSource.getRepository(User).insert({ id: randomUUID(), email: 'legacy@example.com', passwordHash: null });
    expect((await login(t.app, 'legacy@example.com', NEW_PASSWORD)).statusCode).toBe(401);
    await expect(setPassword(accounts(), 'Legacy@Example.com', NEW_PASSWORD)).resolves.toEqual({ email: 'legacy@example.com', isActive: true, endedLogins: 0 });
    expect((await login(t.app, 'legacy@example.com', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('replaces a password and ends the logins made with the old one', async () => {
    await register(t.app, 'bob@example.com');
    const first = (await login(t.app, 'bob@example.com')).json();
    const second = (await login(t.app, 'bob@example.com')).json();
    await expect(setPassword(accounts(), 'bob@example.com', NEW_PASSWORD)).resolves.toEqual({ email: 'bob@example.com', isActive: true, endedLogins: 2 });
    for (const pair of [first, second]) {
      const refresh = await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: pair.refreshToken } });
      expect(refresh.statusCode).toBe(401);
      expect((await me(t.app, `Bearer ${pair.accessToken}`)).statusCode).toBe(401);
    }
    expect((await login(t.app, 'bob@example.com', PASSWORD)).statusCode).toBe(401);
    expect((await login(t.app, 'bob@example.com', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a password outside the length rules, or an unknown email, and changes nothing', async () => {
    await register(t.app, 'carol@example.com');
    const before = await hashOf('carol@example.com');
    await expect(setPassword(accounts(), 'carol@example.com', 'short')).rejects.toThrow(new SetPasswordRefused('The password must be at least 10 characters long.'));
    await expect(setPassword(accounts(), 'carol@example.com', 'x'.repeat(257))).rejects.toThrow(/at most 256 characters/);
    await expect(setPassword(accounts(), 'nobody@example.com', NEW_PASSWORD)).rejects.toThrow('No account with the email nobody@example.com.');
    expect(await hashOf('carol@example.com')).toBe(before);
    expect((await login(t.app, 'carol@example.com')).statusCode).toBe(200);
  });

  it('sets the password of a disabled account, which still cannot log in, and says so', async () => {
    await register(t.app, 'dora@example.com');
    await t.db.dataSource.getRepository(User).update({ email: 'dora@example.com' }, { isActive: false });
    await expect(setPassword(accounts(), 'dora@example.com', NEW_PASSWORD)).resolves.toEqual({ email: 'dora@example.com', isActive: false, endedLogins: 0 });
    expect((await login(t.app, 'dora@example.com', NEW_PASSWORD)).statusCode).toBe(401);
  });

  it('reads the password from the first line of a piped stdin, never from the arguments', async () => {
    const input = Readable.from(['  spaces kept  \nsecond line\n']) as unknown as NodeJS.ReadStream;
    await expect(readNewPassword(input)).resolves.toBe('  spaces kept  ');
  });
});
