import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES, TENANT_ENTITIES } from '../../src/database/entities';
import { TenantEntity } from '../../src/database/base.entity';

const SRC = path.join(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the tenancy layer is the only way to tenant tables', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ENTITIES });
    await ds.initialize();
  });
  afterAll(async () => ds?.destroy());

  it('every entity with a root_id column is a registered tenant entity, and extends TenantEntity', () => {
    const withRoot = ds.entityMetadatas.filter((m) => m.columns.some((c) => c.databaseName === 'root_id'));
    expect(withRoot.map((m) => m.target).sort()).toEqual([...TENANT_ENTITIES].sort());
    for (const entity of TENANT_ENTITIES) expect(entity.prototype).toBeInstanceOf(TenantEntity);
  });

  it('every tenant table has a root foreign key to goals with ON DELETE CASCADE', () => {
    for (const entity of TENANT_ENTITIES) {
      const meta = ds.getMetadata(entity);
      const fk = meta.foreignKeys.find((f) => f.columnNames.join() === 'root_id');
      expect({ table: meta.tableName, to: fk?.referencedTablePath, onDelete: fk?.onDelete }).toEqual({
        table: meta.tableName,
        to: 'goals',
        onDelete: 'CASCADE',
      });
    }
  });

  it('no code outside src/tenancy and src/admin injects or fetches a tenant repository', () => {
    const names = TENANT_ENTITIES.map((e) => e.name).join('|');
    const direct = new RegExp(
      `(InjectRepository\\(\\s*(${names})\\b|getRepository\\(\\s*(${names})\\b|\\.(find|findOne|findBy|findOneBy|count|insert|update|delete|softDelete|restore|save|createQueryBuilder)\\(\\s*(${names})\\b)`,
    );
    const offenders = sourceFiles(SRC)
      .filter((f) => !f.startsWith(path.join(SRC, 'tenancy')) && !f.startsWith(path.join(SRC, 'admin')))
      .filter((f) => direct.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
