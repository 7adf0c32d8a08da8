import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Page, PageQuery, DEFAULT_PAGE_SIZE } from '../http/pagination';
import { RequestContext } from '../context/request-context';
import { TenantData } from '../tenancy/tenant-data.service';
import { UpdateLevelDto } from './dto/level.dto';
import { GoalLevel } from './goal-level.entity';
import { GOAL_TYPES, GoalType, rankOf } from './goal.types';
import { LEVEL_DEFAULTS, LevelSettings } from './level-defaults';

export interface Level extends LevelSettings {
  type: GoalType;
  version: number;
}

export function toLevelView(level: Level) {
  return {
    type: level.type,
    rank: rankOf(level.type),
    displayName: level.displayName,
    color: level.color,
    icon: level.icon,
    maxChildren: level.maxChildren,
    descriptionRequired: level.descriptionRequired,
    allowManualCompletion: level.allowManualCompletion,
    autoCompleteWhenChildrenDone: level.autoCompleteWhenChildrenDone,
    defaultDeadlineOffsetDays: level.defaultDeadlineOffsetDays,
    version: level.version,
  };
}
export type LevelView = ReturnType<typeof toLevelView>;

const settingsOf = (row: GoalLevel): Level => ({
  type: row.type,
  displayName: row.displayName,
  color: row.color,
  icon: row.icon,
  maxChildren: row.maxChildren,
  descriptionRequired: row.descriptionRequired,
  allowManualCompletion: row.allowManualCompletion,
  autoCompleteWhenChildrenDone: row.autoCompleteWhenChildrenDone,
  defaultDeadlineOffsetDays: row.defaultDeadlineOffsetDays,
  version: row.version,
});

const LEVEL_NOT_FOUND = 'Level not found: a level is one of the eight goal types';

/**
 * A root's settings for its eight levels. Every root gets its rows when it is created (and
 * existing roots got theirs in the GoalLevels migration); a root without them, such as one a
 * script wrote, reads the defaults, and its first PATCH writes the row.
 */
@Injectable()
export class LevelsService {
  constructor(private readonly tenantData: TenantData) {}

  private get rows() {
    return this.tenantData.repo(GoalLevel);
  }

  async all(ctx: RequestContext): Promise<Record<GoalType, Level>> {
    const rows = await this.rows.find(ctx, {});
    const out = {} as Record<GoalType, Level>;
    for (const type of GOAL_TYPES) out[type] = { type, ...LEVEL_DEFAULTS[type], version: 1 };
    for (const row of rows) out[row.type] = settingsOf(row);
    return out;
  }

  async of(ctx: RequestContext, type: GoalType): Promise<Level> {
    const row = await this.rows.findOne(ctx, { type });
    return row ? settingsOf(row) : { type, ...LEVEL_DEFAULTS[type], version: 1 };
  }

  /** The eight levels from the root down, as a page; the cursor is the last type seen. */
  async list(ctx: RequestContext, page: PageQuery): Promise<Page<LevelView>> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const start = page.cursor === undefined ? 0 : rankOf(decodeCursor(page.cursor)) + 1;
    const levels = await this.all(ctx);
    const types = GOAL_TYPES.slice(start, start + limit);
    const more = start + limit < GOAL_TYPES.length;
    return {
      items: types.map((t) => toLevelView(levels[t])),
      nextCursor: more ? Buffer.from(JSON.stringify({ t: types[types.length - 1] })).toString('base64url') : null,
    };
  }

  async update(ctx: RequestContext, type: string, dto: UpdateLevelDto): Promise<LevelView> {
    if (!(GOAL_TYPES as readonly string[]).includes(type)) throw new NotFoundException(LEVEL_NOT_FOUND);
    const level = type as GoalType;
    const patch: Partial<GoalLevel> = {};
    for (const key of Object.keys(dto) as (keyof UpdateLevelDto)[]) {
      if (dto[key] !== undefined) (patch as Record<string, unknown>)[key] = dto[key];
    }
    const existing = await this.rows.findOne(ctx, { type: level });
    if (!existing) {
      await this.rows.insert(ctx, { type: level, ...LEVEL_DEFAULTS[level], ...patch });
    } else if (Object.keys(patch).length > 0) {
      await this.rows.update(ctx, { id: existing.id }, patch);
    }
    return toLevelView(await this.of(ctx, level));
  }

  /** A new root's eight rows (the context is already in that root). */
  async createDefaults(ctx: RequestContext): Promise<void> {
    await this.rows.insert(ctx, GOAL_TYPES.map((type) => ({ type, ...LEVEL_DEFAULTS[type] })));
  }
}

function decodeCursor(cursor: string): GoalType {
  try {
    const t = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown }).t;
    if ((GOAL_TYPES as readonly unknown[]).includes(t)) return t as GoalType;
  } catch {
    // the uniform error below
  }
  throw new BadRequestException({
    message: 'Invalid request: cursor',
    details: [{ field: 'cursor', message: 'cursor must be a value returned as nextCursor by this list' }],
  });
}
