import { MigrationInterface, QueryRunner } from 'typeorm';
import { createRootVersions, dropRootVersions, trackRootVersions, untrackRootVersions } from './lib/root-versions';
import { withoutForcedRls } from './lib/sql';
import { engineOf } from './lib/table-spec';

/** Frozen: every table with a root_id as of this migration. */
const TRACKED = [
  'activity_definitions',
  'activity_groups',
  'activity_instances',
  'activity_sets',
  'goal_activities',
  'goal_activity_groups',
  'goal_levels',
  'goal_pauses',
  'goal_targets',
  'goals',
  'metric_definitions',
  'metric_values',
  'notes',
  'practice_session_goals',
  'program_block_goals',
  'program_blocks',
  'program_day_sessions',
  'program_days',
  'program_goals',
  'programs',
  'scheduled_sessions',
  'session_sections',
  'session_template_activities',
  'session_template_sections',
  'session_templates',
  'split_definitions',
  'target_conditions',
];

/**
 * A version token per root, which every write to the root's rows replaces (lib/root-versions.ts):
 * the root's answers that cost most to compute (the analytics series) are kept while the token
 * holds, in each process, and a change made by any instance, tool or migration ends them.
 * Triggers rather than the service's write path, so that nothing writes around them.
 */
export class RootVersions1767225600580 implements MigrationInterface {
  name = 'RootVersions1767225600580';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createRootVersions(queryRunner);
    const token = engineOf(queryRunner) === 'postgres' ? `nextval('root_version_seq')::text` : `lower(hex(randomblob(8)))`;
    await withoutForcedRls(queryRunner, ['goals'], () =>
      queryRunner.query(`INSERT INTO root_versions (root_id, version) SELECT r.root_id, ${token} FROM (SELECT DISTINCT root_id FROM goals) r`),
    );
    await trackRootVersions(queryRunner, TRACKED);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await untrackRootVersions(queryRunner, TRACKED);
    await dropRootVersions(queryRunner);
  }
}
