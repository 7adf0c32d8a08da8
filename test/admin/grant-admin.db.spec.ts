import { randomUUID } from 'node:crypto';
import { grantAdmin, GrantRefused } from '../../src/admin/grant-admin.service';
import { User } from '../../src/auth/user.entity';
import { createMigratedDatabase, describeDb, TestDatabase } from '../helpers/db';
import { SafeDataSource } from '../../src/database/data-source';

describeDb('admin:grant', () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  const roleOf = async (email: string) => (await db.dataSource.getRepository(User).findOneBy({ email }))?.role;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    await db.dataSource.getRepository(User).insert([
      { id: randomUUID(), email: 'ada@example.com' },
      { id: randomUUID(), email: 'bob@example.com' },
    ]);
  });
  afterAll(async () => db?.drop());

  it('makes the account an administrator, found by its email as login normalizes it', async () => {
    await expect(grantAdmin(db.dataSource, '  Ada@Example.COM ')).resolves.toBe('ada@example.com');
    expect(await roleOf('ada@example.com')).toBe('admin');
    expect(await roleOf('bob@example.com')).toBe('user');
  });

  it('refuses an unknown email and changes nothing', async () => {
    await expect(grantAdmin(db.dataSource, 'nobody@example.com')).rejects.toThrow(
      new GrantRefused('No account with the email nobody@example.com. Register it first.'),
    );
    await expect(grantAdmin(db.dataSource, 'nobody@example.com')).rejects.toBeInstanceOf(GrantRefused);
    expect(await roleOf('bob@example.com')).toBe('user');
  });
});
