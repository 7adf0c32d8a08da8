import { RequestContext } from '../context/request-context';
import { Page, PageQuery } from '../http/pagination';
import { HistoryEntryView } from './activity-history.view';

/**
 * What activities need to know of recorded practice (instances and values, src/sessions).
 * Sessions build on activities, so activities name the question here and src/sessions answers
 * it (PracticeRecordsModule): the import goes one way only.
 */
export abstract class PracticeRecords {
  /** Which of these metrics recorded values name, deleted values included (a restore may bring them back). */
  abstract metricsWithValues(ctx: RequestContext, metricIds: string[]): Promise<Set<string>>;

  /**
   * Which of these splits recorded values name, deleted values included. `metricIds` are every
   * metric of the splits' activity, deleted ones included: a value's split and metric belong to
   * one activity, and the values are found through them.
   */
  abstract splitsWithValues(ctx: RequestContext, metricIds: string[], splitIds: string[]): Promise<Set<string>>;

  /** The activity's instances in live sessions, newest first, each with its session and values. */
  abstract history(ctx: RequestContext, activityId: string, page: PageQuery): Promise<Page<HistoryEntryView>>;
}
