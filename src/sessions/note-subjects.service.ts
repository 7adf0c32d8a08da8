import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ActivityDefinition } from '../activities/activity-definition.entity';
import { RequestContext } from '../context/request-context';
import { Goal } from '../goals/goal.entity';
import { NoteSubjects } from '../notes/note-subjects';
import { NoteSubjectType } from '../notes/note.entity';
import { TenantData } from '../tenancy/tenant-data.service';
import { ActivityInstance } from './activity-instance.entity';

/** IN lists of at most this many ids per query. */
const CHUNK = 500;

/** When a session took place, for "earlier": its start, else when it was made. */
const startOf = (g: Goal) => (g.sessionStart ?? g.createdAt).getTime();

/**
 * Answers the notes' questions (their port NoteSubjects): this folder sees goals, activities
 * and instances, the things a note may be about.
 */
@Injectable()
export class SessionNoteSubjects implements NoteSubjects {
  constructor(private readonly data: TenantData) {}

  async exists(ctx: RequestContext, type: NoteSubjectType, id: string): Promise<boolean> {
    switch (type) {
      case 'root':
        return id === ctx.requireRoot();
      case 'goal': {
        const goal = await this.data.repo(Goal).findById(ctx, id);
        return !!goal && goal.parentId !== null && goal.type !== 'PracticeSession';
      }
      case 'session':
        return !!(await this.data.repo(Goal).findOne(ctx, { id, type: 'PracticeSession' }));
      case 'activity':
        return !!(await this.data.repo(ActivityDefinition).findById(ctx, id));
      case 'instance':
        return !!(await this.data.repo(ActivityInstance).findById(ctx, id));
    }
  }

  async previousSession(ctx: RequestContext, sessionId: string): Promise<string | null> {
    const session = await this.data.repo(Goal).findOne(ctx, { id: sessionId, type: 'PracticeSession' });
    if (!session) return null;
    const activityIds = await this.activityIdsOf(ctx, sessionId);
    const own = activityIds.length;
    if (own === 0) return null;
    // Sessions with at least one of these activities, and how many of them each shares.
    const shared = new Map<string, number>();
    for (let i = 0; i < activityIds.length; i += CHUNK) {
      const rows: { sessionId: string; activityId: string }[] = await this.data
        .repo(ActivityInstance)
        .createQueryBuilder(ctx, 'i')
        .select('i.practice_session_id', 'sessionId')
        .addSelect('i.activity_definition_id', 'activityId')
        .andWhere('i.activity_definition_id IN (:...ids)', { ids: activityIds.slice(i, i + CHUNK) })
        .andWhere('i.practice_session_id <> :sessionId', { sessionId })
        .groupBy('i.practice_session_id')
        .addGroupBy('i.activity_definition_id')
        .getRawMany();
      for (const r of rows) shared.set(r.sessionId, (shared.get(r.sessionId) ?? 0) + 1);
    }
    const candidates: Goal[] = [];
    const ids = [...shared.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      candidates.push(...(await this.data.repo(Goal).find(ctx, { where: { id: In(ids.slice(i, i + CHUNK)), type: 'PracticeSession' } })));
    }
    const earlier = candidates.filter((g) => startOf(g) < startOf(session));
    if (earlier.length === 0) return null;
    const totals = await this.activitiesOf(ctx, earlier.map((g) => g.id));
    const same = (g: Goal) => shared.get(g.id) === own && totals.get(g.id) === own;
    // The same set first, then the most shared; the latest among equals.
    earlier.sort(
      (a, b) =>
        Number(same(b)) - Number(same(a)) ||
        shared.get(b.id)! - shared.get(a.id)! ||
        startOf(b) - startOf(a) ||
        b.createdAt.getTime() - a.createdAt.getTime() ||
        (a.id < b.id ? 1 : -1),
    );
    return earlier[0].id;
  }

  /** How many distinct activities the live instances of each session have. */
  private async activitiesOf(ctx: RequestContext, sessionIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < sessionIds.length; i += CHUNK) {
      const rows: { sessionId: string; n: string | number }[] = await this.data
        .repo(ActivityInstance)
        .createQueryBuilder(ctx, 'i')
        .select('i.practice_session_id', 'sessionId')
        .addSelect('COUNT(DISTINCT i.activity_definition_id)', 'n')
        .andWhere('i.practice_session_id IN (:...ids)', { ids: sessionIds.slice(i, i + CHUNK) })
        .groupBy('i.practice_session_id')
        .getRawMany();
      for (const r of rows) out.set(r.sessionId, Number(r.n));
    }
    return out;
  }

  private async activityIdsOf(ctx: RequestContext, sessionId: string): Promise<string[]> {
    const instances = await this.data.repo(ActivityInstance).find(ctx, { where: { practiceSessionId: sessionId } });
    return [...new Set(instances.map((i) => i.activityDefinitionId))];
  }
}
