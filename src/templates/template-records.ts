import { RequestContext } from '../context/request-context';

/** A session made from a template, as its statistics see it. */
export interface TemplateSessionRecord {
  id: string;
  completed: boolean;
  sessionStart: Date | null;
  /** Its active duration, pauses excluded; null when nothing was timed. */
  activeSeconds: number | null;
  /** Its own sections, in order, each with the active seconds of its instances (null: none timed). */
  sections: { name: string; activeSeconds: number | null }[];
}

/**
 * What templates need to know of the sessions made from them (src/sessions) and of the
 * programs that schedule them (src/programs). Both build on templates, so templates name the
 * questions here and those folders answer them: the imports go one way only.
 */
export abstract class TemplateSessionRecords {
  /** The live sessions whose template_id is the template. */
  abstract sessionsFrom(ctx: RequestContext, templateId: string): Promise<TemplateSessionRecord[]>;
}

export abstract class TemplateUsage {
  /** The live programs whose days schedule the template. */
  abstract programsUsing(ctx: RequestContext, templateId: string): Promise<{ id: string; name: string }[]>;
}
