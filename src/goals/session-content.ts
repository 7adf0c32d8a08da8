import { RequestContext } from '../context/request-context';

/** A live activity instance, as targets read it: which session, and when it started. */
export interface InstanceEvidence {
  id: string;
  practiceSessionId: string;
  timeStart: Date | null;
}

/** A live metric value, as targets read it. */
export interface ValueEvidence {
  activityInstanceId: string;
  metricDefinitionId: string;
  value: number;
}

/** Rows of sessions' content that a delete took or a restore brought back. */
export interface ContentCounts {
  sections: number;
  activityInstances: number;
  sets: number;
  metricValues: number;
}

/** What a delete took: the content, and the notes about its instances (src/notes), under the same id. */
export interface TakenContent extends ContentCounts {
  notes: number;
}

/**
 * What the goal tree needs of the content of practice sessions (sections, instances, sets,
 * values: src/sessions). Sessions are goals and build on this folder, so the goal tree names
 * the question here and src/sessions answers it (PracticeRecordsModule): imports go one way.
 */
export abstract class SessionContent {
  /** The live instances of an activity in the root. */
  abstract instancesOf(ctx: RequestContext, activityId: string): Promise<InstanceEvidence[]>;

  /** The live values of a metric in the root. */
  abstract valuesOf(ctx: RequestContext, metricId: string): Promise<ValueEvidence[]>;

  /** Soft-deletes the live content of these sessions under the deletion id. */
  abstract take(ctx: RequestContext, sessionIds: string[], deletionId: string): Promise<TakenContent>;

  /** Brings back the content that this deletion id took (the goal tree restores the notes of the deletion itself). */
  abstract restore(ctx: RequestContext, deletionId: string): Promise<ContentCounts>;
}
