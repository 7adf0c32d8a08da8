import { GoalType } from './goal.types';

export interface LevelSettings {
  displayName: string;
  color: string;
  icon: string;
  maxChildren: number | null;
  descriptionRequired: boolean;
  allowManualCompletion: boolean;
  autoCompleteWhenChildrenDone: boolean;
  defaultDeadlineOffsetDays: number | null;
}

const level = (displayName: string, color: string, icon: string): LevelSettings => ({
  displayName,
  color,
  icon,
  maxChildren: null,
  descriptionRequired: false,
  allowManualCompletion: true,
  autoCompleteWhenChildrenDone: false,
  defaultDeadlineOffsetDays: null,
});

/**
 * Every root starts with these: the Flask app's level names, a color and an icon each.
 * The GoalLevels migration wrote the same values for the roots that existed then; it keeps its
 * own frozen copy, so changing these changes new roots only.
 */
export const LEVEL_DEFAULTS: Record<GoalType, LevelSettings> = {
  UltimateGoal: level('Ultimate Goal', '#7c3aed', 'mountain'),
  LongTermGoal: level('Long Term Goal', '#2563eb', 'compass'),
  MidTermGoal: level('Mid Term Goal', '#0891b2', 'map'),
  ShortTermGoal: level('Short Term Goal', '#059669', 'flag'),
  PracticeSession: level('Practice Session', '#ca8a04', 'timer'),
  ImmediateGoal: level('Immediate Goal', '#ea580c', 'target'),
  MicroGoal: level('Micro Goal', '#dc2626', 'crosshair'),
  NanoGoal: level('Nano Goal', '#db2777', 'dot'),
};
