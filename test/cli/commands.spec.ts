import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { cleanEnv, PROJECT_ROOT, run } from '../foundation/helpers';
import { createMigratedDatabase, TestDatabase } from '../helpers/db';

const CLI = path.join(PROJECT_ROOT, 'src/cli');
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('the commands', () => {
  it('are the files of src/cli, each run by the npm script of its name, and listed in the README table', () => {
    const files = fs.readdirSync(CLI).filter((f) => f.endsWith('.ts')).sort();
    const scripts = Object.entries(pkg.scripts)
      .filter(([, command]) => command.includes('src/cli/'))
      .map(([name, command]) => ({ name, file: /src\/cli\/(\S+\.ts)/.exec(command)![1] }));
    // db:copy runs src/cli/db-copy.ts: the script's name with ':' as '-'.
    expect(scripts.map((s) => s.file).sort()).toEqual(files);
    for (const s of scripts) expect(s).toEqual({ name: s.name, file: `${s.name.replace(/:/g, '-')}.ts` });

    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `npm run ([\w:-]+)[^`]*` \| `src\/cli\/([\w.-]+)` \|/gm)].map((m) => ({ name: m[1], file: m[2] }));
    expect(rows.sort((x, y) => x.name.localeCompare(y.name))).toEqual(scripts.sort((x, y) => x.name.localeCompare(y.name)));
  });

  describe('npm run admin:grant, on the environment database', () => {
    let db: TestDatabase;
    const roleOf = (email: string) => {
      const sqlite = new Database(db.location, { readonly: true });
      try {
        return (sqlite.prepare(`SELECT role FROM users WHERE email = ?`).get(email) as { role: string } | undefined)?.role;
      } finally {
        sqlite.close();
      }
    };
    const grant = (...args: string[]) =>
      run('npm', ['run', '-s', 'admin:grant', '--', ...args], {
        cwd: PROJECT_ROOT,
        env: cleanEnv({ APP_ENV: 'test', DATABASE_PATH: db.location, BACKUP_DIR: db.backupDir }),
        timeoutMs: 120_000,
      });

    beforeAll(async () => {
      const migrated = await createMigratedDatabase();
      await migrated.dataSource.getRepository('User').insert({ id: randomUUID(), email: 'ada@example.com' });
      await migrated.dataSource.destroy();
      db = migrated;
    });
    afterAll(async () => db?.drop());

    it('makes the account an administrator, and says which database it used', async () => {
      const r = await grant('Ada@Example.com');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toContain(`admin:grant environment=test database=sqlite ${db.location}`);
      expect(r.stdout.trim().split('\n').pop()).toBe('ada@example.com is now an administrator.');
      expect(roleOf('ada@example.com')).toBe('admin');
    }, 150_000);

    it('refuses an unknown email in one line (exit 1), and a missing argument with the usage (exit 2)', async () => {
      const unknown = await grant('nobody@example.com');
      expect({ code: unknown.code, stderr: unknown.stderr.trim() }).toEqual({ code: 1, stderr: 'No account with the email nobody@example.com. Register it first.' });
      const none = await grant();
      expect({ code: none.code, stderr: none.stderr.trim() }).toEqual({ code: 2, stderr: 'Usage: npm run admin:grant -- <email>' });
    }, 300_000);
  });
});
