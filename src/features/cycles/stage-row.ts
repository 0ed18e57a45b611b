import type { CyclePlan, PlannedStage, ResolvedReminderRules, StageOwner, StageState } from './model.js';

/** A stage as stored, with the JSON columns typed. */
export interface StageRow {
  id: string;
  cycleId: string;
  seq: number;
  key: string;
  name: string;
  doneMeans: string;
  owner: StageOwner;
  opensOn: string;
  dueOn: string;
  plannedDueOn: string;
  status: StageState;
  openedAt: Date | null;
  doneAt: Date | null;
  doneById: string | null;
  reminders: ResolvedReminderRules & { escalationGroup?: string | null };
}

export interface CycleRow {
  id: string;
  partnershipId: string;
  number: number;
  planKey: string;
  planName: string;
  plan: CyclePlan;
  title: string;
  startOn: string;
  leadMemberId: string | null;
  status: 'active' | 'paused' | 'cancelled' | 'completed';
}

export function asStage(row: object): StageRow {
  return row as StageRow;
}

export function asCycle(row: object): CycleRow {
  return row as CycleRow;
}

/** A stored stage in the shape the pure scheduling functions take. */
export function plannedView(stage: StageRow): Pick<PlannedStage, 'opensOn' | 'dueOn' | 'escalationGroup'> {
  return { opensOn: stage.opensOn, dueOn: stage.dueOn, escalationGroup: stage.reminders.escalationGroup ?? undefined };
}

export const stageSubject = (stageId: string) => `stage:${stageId}`;
export const stageTimerPrefix = (stageId: string) => `stage:${stageId}:`;
