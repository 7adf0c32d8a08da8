import { ActivityDefinition } from '../activities/activity-definition.entity';
import { ActivityGroup } from '../activities/activity-group.entity';
import { GoalActivityGroup } from '../activities/goal-activity-group.entity';
import { GoalActivity } from '../activities/goal-activity.entity';
import { MetricDefinition } from '../activities/metric-definition.entity';
import { SplitDefinition } from '../activities/split-definition.entity';
import { AdminAuditEntry } from '../admin/admin-audit.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { User } from '../auth/user.entity';
import { Goal } from '../goals/goal.entity';
import { GoalLevel } from '../goals/goal-level.entity';
import { GoalPause } from '../goals/goal-pause.entity';
import { GoalTarget } from '../goals/goal-target.entity';
import { TargetCondition } from '../goals/target-condition.entity';
import { PracticeSessionGoal } from '../goals/practice-session-goal.entity';
import { ProgramBlockGoal } from '../programs/program-block-goal.entity';
import { ProgramBlock } from '../programs/program-block.entity';
import { ProgramDaySession } from '../programs/program-day-session.entity';
import { ProgramDay } from '../programs/program-day.entity';
import { ProgramGoal } from '../programs/program-goal.entity';
import { Program } from '../programs/program.entity';
import { ScheduledSession } from '../programs/scheduled-session.entity';
import { ActivityInstance } from '../sessions/activity-instance.entity';
import { ActivitySet } from '../sessions/activity-set.entity';
import { MetricValue } from '../sessions/metric-value.entity';
import { SessionTemplateActivity } from '../templates/session-template-activity.entity';
import { SessionTemplateSection } from '../templates/session-template-section.entity';
import { SessionSection } from '../sessions/session-section.entity';
import { SessionTemplate } from '../templates/session-template.entity';
import { Note } from '../notes/note.entity';
import { LegacyQuarantine } from './legacy-quarantine.entity';

/** Every tenant entity: each has root_id, and is reached only through src/tenancy. */
export const TENANT_ENTITIES = [
  Goal,
  PracticeSessionGoal,
  ActivityGroup,
  ActivityDefinition,
  MetricDefinition,
  SplitDefinition,
  SessionSection,
  ActivityInstance,
  ActivitySet,
  MetricValue,
  SessionTemplate,
  Program,
  ProgramGoal,
  ProgramBlock,
  ProgramBlockGoal,
  ProgramDay,
  ScheduledSession,
  ProgramDaySession,
  GoalLevel,
  GoalPause,
  GoalTarget,
  TargetCondition,
  GoalActivity,
  GoalActivityGroup,
  SessionTemplateSection,
  SessionTemplateActivity,
  Note,
];

export const ENTITIES = [...TENANT_ENTITIES, User, RefreshToken, AdminAuditEntry, LegacyQuarantine];
