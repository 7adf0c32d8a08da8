import { RequestContext } from '../context/request-context';
import { NoteSubjectType } from './note.entity';

/**
 * What notes need to know of the things they are about (goals, sessions, activities, instances:
 * every feature folder). Those folders build on notes (they count notes and take them along
 * with their deletes), so notes name the question here and the highest folder, src/sessions,
 * answers it (NoteSubjectsModule, @Global): the imports go one way only.
 */
export abstract class NoteSubjects {
  /**
   * Whether `id` names a live thing of this type in the request's root: `root` the root itself,
   * `goal` a goal of the tree that is neither the root nor a session, `session` a practice
   * session, `activity` an activity definition, `instance` an activity instance.
   */
  abstract exists(ctx: RequestContext, type: NoteSubjectType, id: string): Promise<boolean>;

  /**
   * The previous session with the same activities: among the live sessions of the root that
   * started before this one, the latest whose set of activities (of live instances) equals this
   * one's; else the one sharing the most activities with it (the latest among ties); null when
   * none shares any, or this session has no instances.
   */
  abstract previousSession(ctx: RequestContext, sessionId: string): Promise<string | null>;
}
