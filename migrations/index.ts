import { InitialSchema1767225600000 } from './1767225600000-InitialSchema';
import { AdoptLegacy1767225600001 } from './1767225600001-AdoptLegacy';
import { RowLevelSecurity1767225600010 } from './1767225600010-RowLevelSecurity';
import { IdempotencyKeys1767225600020 } from './1767225600020-IdempotencyKeys';
import { RootOwnerCheck1767225600030 } from './1767225600030-RootOwnerCheck';
import { EnterRoot1767225600040 } from './1767225600040-EnterRoot';
import { RefreshTokenFamilyEnd1767225600050 } from './1767225600050-RefreshTokenFamilyEnd';
import { TokenVersion1767225600060 } from './1767225600060-TokenVersion';
import { RootInvariants1767225600070 } from './1767225600070-RootInvariants';
import { ProgramGoalLinks1767225600080 } from './1767225600080-ProgramGoalLinks';
import { GoalTargets1767225600100 } from './1767225600100-GoalTargets';
import { GoalLevels1767225600110 } from './1767225600110-GoalLevels';
import { GoalCompletion1767225600120 } from './1767225600120-GoalCompletion';
import { ActivityDefinitions1767225600300 } from './1767225600300-ActivityDefinitions';
import { TemplateSections1767225600301 } from './1767225600301-TemplateSections';
import { PracticeSessions1767225600400 } from './1767225600400-PracticeSessions';
import { SessionSectionsFromData1767225600402 } from './1767225600402-SessionSectionsFromData';
import { Notes1767225600500 } from './1767225600500-Notes';
import { ProgramCalendar1767225600510 } from './1767225600510-ProgramCalendar';
import { AnalyticsTimeZone1767225600520 } from './1767225600520-AnalyticsTimeZone';
import { SeriesIndexes1767225600530 } from './1767225600530-SeriesIndexes';
import { SeriesMaxOrder1767225600540 } from './1767225600540-SeriesMaxOrder';
import { ValueExtremes1767225600550 } from './1767225600550-ValueExtremes';
import { RootDependencies1767225600560 } from './1767225600560-RootDependencies';
import { ValuesByInstanceCover1767225600570 } from './1767225600570-ValuesByInstanceCover';
import { RootVersions1767225600580 } from './1767225600580-RootVersions';

/** Every migration, in order. Listed explicitly so that ts-node, jest and dist all load the same set. */
export const MIGRATIONS = [
  InitialSchema1767225600000,
  AdoptLegacy1767225600001,
  RowLevelSecurity1767225600010,
  IdempotencyKeys1767225600020,
  RootOwnerCheck1767225600030,
  EnterRoot1767225600040,
  RefreshTokenFamilyEnd1767225600050,
  TokenVersion1767225600060,
  RootInvariants1767225600070,
  ProgramGoalLinks1767225600080,
  GoalTargets1767225600100,
  GoalLevels1767225600110,
  GoalCompletion1767225600120,
  ActivityDefinitions1767225600300,
  TemplateSections1767225600301,
  PracticeSessions1767225600400,
  SessionSectionsFromData1767225600402,
  Notes1767225600500,
  ProgramCalendar1767225600510,
  AnalyticsTimeZone1767225600520,
  SeriesIndexes1767225600530,
  SeriesMaxOrder1767225600540,
  ValueExtremes1767225600550,
  RootDependencies1767225600560,
  ValuesByInstanceCover1767225600570,
  RootVersions1767225600580,
];
export { LEGACY_TABLES, LEGACY_PREFIX } from './lib/legacy-stash';
