import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createMigratedDatabase, describeDb, ENGINE, TestDatabase } from '../helpers/db';
import { SafeDataSource } from '../../src/database/data-source';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** After migration:run, TypeORM's own diff of entities against the database finds nothing, on each engine. */
describeDb(`schema:log after migration:run (${ENGINE})`, () => {
  let db: TestDatabase & { dataSource: SafeDataSource };
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(async () => db?.drop());

  it("the SchemaBuilder's log() has no query to run", async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('`npm run schema:log` (the typeorm CLI through ormconfig.ts) reports the schema up to date', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, APP_ENV: 'test', LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    delete env.DATABASE_PATH;
    delete env.DB_ENGINE;
    if (db.engine === 'postgres') env.DATABASE_URL = db.config.database.location;
    else env.DATABASE_PATH = db.location;
    const { stdout, stderr } = await run('npm', ['run', '-s', 'schema:log'], { cwd: ROOT, env, timeout: 60000 });
    expect(stderr).toContain(db.engine === 'postgres' ? 'database=postgres' : `database=sqlite ${db.location}`);
    expect(stdout).toContain('Your schema is up to date');
  });
});
