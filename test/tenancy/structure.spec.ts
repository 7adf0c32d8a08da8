import { DataSource } from 'typeorm';
import { ENTITIES, TENANT_ENTITIES } from '../../src/database/entities';
import { TenantEntity } from '../../src/database/base.entity';
import { depcruise, eslint, sourceTree } from '../helpers/boundary';

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
});

/**
 * The boundary is checked by ESLint and dependency-cruiser in `npm test` (npm run lint). These
 * prove that the tools catch each kind of breach, and that src/ has none.
 */
describe('the boundary tools', () => {
  // Each test starts the real tools (node processes), as `npm run lint` does.
  const TOOL_TIMEOUT = 180_000;
  const LEAKY_SERVICE = [
    ["import { Injectable } from '@nestjs/common';", null],
    ["import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';", 'no-restricted-imports InjectDataSource, InjectRepository'],
    ["import { DataSource, EntityManager, Repository } from 'typeorm';", 'no-restricted-imports DataSource, EntityManager, Repository'],
    ["import { Goal } from './goal.entity';", null],
    ['@Injectable()', null],
    ['export class LeakyService {', null],
    ['  constructor(', null],
    ['    @InjectDataSource() private readonly dataSource: DataSource,', 'no-restricted-syntax @InjectDataSource'],
    ['    @InjectRepository(Goal) private readonly goals: Repository<Goal>,', 'no-restricted-syntax @InjectRepository'],
    ['  ) {}', null],
    ["  rawSql() { return this.dataSource.query('SELECT * FROM goals WHERE name = $1', ['x']); }", 'no-restricted-syntax dataSource.query'],
    ["  byName() { return this.dataSource.getRepository('Goal').find(); }", 'no-restricted-syntax getRepository by name'],
    ['  held(manager: EntityManager) { const repo = manager.getRepository(Goal); return repo.find(); }', 'no-restricted-syntax repository in a variable'],
    ["  managerSql(manager: EntityManager) { return manager.query('DELETE FROM goals'); }", 'no-restricted-syntax manager.query'],
    ['  viaTenancy() { return this.goals; }', null],
    ['}', null],
  ] as const;
  const code = LEAKY_SERVICE.map(([line]) => line).join('\n') + '\n';

  it('ESLint reports every raw data access in a feature: the imports, the injections, .query() and getRepository()', async () => {
    const messages = await eslint({ stdin: code, filePath: 'src/goals/leaky.service.ts' });
    // Each import line is one message per banned name; every other breach is one message on its line.
    const expected = LEAKY_SERVICE.flatMap(([, breach], i) => {
      if (!breach) return [];
      const rule = breach.slice(0, breach.indexOf(' '));
      const count = rule === 'no-restricted-imports' ? breach.split(',').length : 1;
      return Array.from({ length: count }, () => `${i + 1} ${rule}`);
    });
    expect(messages.map((m) => `${m.line} ${m.ruleId}`).sort()).toEqual(expected.sort());
    expect(messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Raw SQL \(\.query\(\)\)/), expect.stringMatching(/^A TypeORM repository/), expect.stringMatching(/^Injecting/)]),
    );
  }, TOOL_TIMEOUT);

  it('ESLint accepts the same code in src/database, src/tenancy and src/admin, the owners of raw data access', async () => {
    const folders = ['database', 'tenancy', 'admin'];
    const found = await Promise.all(folders.map(async (folder) => ({ folder, messages: await eslint({ stdin: code, filePath: `src/${folder}/owner.service.ts` }) })));
    expect(found).toEqual(folders.map((folder) => ({ folder, messages: [] })));
  }, TOOL_TIMEOUT);

  it("ESLint reports a DTO's own trim, sent or present anywhere in src/, and accepts src/http/dto-rules.ts", async () => {
    const own = [
      'export const trim = ({ value }: { value: unknown }) => value;',
      'const sent = (_: object, v: unknown) => v !== undefined;',
      'export const present = (_: object, v: unknown) => v !== null;',
      'const present = [1, 2].map((n) => n);',
    ].join('\n') + '\n';
    for (const filePath of ['src/notes/dto/note.dto.ts', 'src/admin/dto/own.dto.ts']) {
      const messages = await eslint({ stdin: own, filePath });
      expect({ filePath, lines: messages.map((m) => `${m.line} ${m.ruleId}`) }).toEqual({ filePath, lines: ['1 no-restricted-syntax', '2 no-restricted-syntax', '3 no-restricted-syntax'] });
    }
    expect(await eslint({ stdin: own, filePath: 'src/http/dto-rules.ts' })).toEqual([]);
  }, TOOL_TIMEOUT);

  it('dependency-cruiser reports a module cycle, a folder cycle, a feature importing src/admin, auth importing tenancy, and src/context importing src/', async () => {
    const tree = sourceTree({
      'src/goals/a.ts': "import { b } from './b';\nexport const a = () => b;",
      'src/goals/b.ts': "import { a } from './a';\nexport const b = () => a;",
      'src/activities/p.ts': "import { q } from '../sessions/q';\nexport const p = q;",
      'src/sessions/q.ts': "import { r } from '../activities/r';\nexport const q = r;",
      'src/activities/r.ts': 'export const r = 1;',
      'src/programs/uses-admin.ts': "import { audit } from '../admin/audit';\nexport const x = audit;",
      'src/admin/audit.ts': 'export const audit = 1;',
      'src/cli/grant.ts': "import { audit } from '../admin/audit';\nexport const y = audit;",
      'src/auth/guard.ts': "import type { Ctx } from '../tenancy/ctx';\nexport type G = Ctx;",
      'src/tenancy/ctx.ts': 'export interface Ctx { root: string }',
      'src/context/request-context.ts': "import { r } from '../activities/r';\nimport { own } from './own';\nexport const c = r + own;",
      'src/context/own.ts': 'export const own = 1;',
    });
    try {
      const found = (await depcruise(tree.dir)).map((v) =>
        v.cycle ? `${v.rule.name}: ${v.cycle.map((c) => c.name).sort().join(' <-> ')}` : `${v.rule.name}: ${v.from} -> ${v.to}`,
      );
      expect([...new Set(found)].sort()).toEqual(
        [
          'no-circular: src/goals/a.ts <-> src/goals/b.ts',
          'no-folder-cycles: src/activities <-> src/sessions',
          'features-not-admin: src/programs/uses-admin.ts -> src/admin/audit.ts',
          'auth-not-tenancy: src/auth/guard.ts -> src/tenancy/ctx.ts',
          'context-imports-nothing: src/context/request-context.ts -> src/activities/r.ts',
        ].sort(),
      );
    } finally {
      tree.remove();
    }
  }, TOOL_TIMEOUT);

  it('src/ itself has no breach, with no exception list to hide one', async () => {
    expect(await eslint({ paths: ['src'] })).toEqual([]);
    expect(await depcruise('.')).toEqual([]);
  }, TOOL_TIMEOUT);
});
