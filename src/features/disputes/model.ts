// Resolving professional disagreements (domain.md, "Resolving professional disagreements"): a dispute between
// partners goes stage by stage, each with a time limit, until it reaches the chair, whose decision is final; and the
// partnership's risk register (Swindon seed) of issues that could stop it meeting its duties.
import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { LadderSpan } from '../../workflow/ladder.js';

/** A stage's time limit: working days, or calendar days (by day N; moved back off a non-working day, never on). */
export type StageLimit = { workingDays: number } | { calendarDays: number };

export interface DisputeStage {
  key: string;
  name: string;
  limit: StageLimit;
  /** Who takes part, in words, e.g. "Line managers of both practitioners". */
  involves?: string;
}

export interface DisputePolicy {
  stages: DisputeStage[];
  /** A child at immediate risk: start at this stage, each stage with this limit when given. */
  urgent: { startAt: string; limit?: StageLimit };
  sendAt: string;
  /** Working days before a stage's limit that both parties are reminded; null: never. */
  remindBefore: number | null;
  /** Member keys from the file; without `chairKey` the independent chair (then the business manager) decides. */
  chairKey: string | undefined;
  deputyKey: string | undefined;
  /** Its channel gets a short alert (no details) when a dispute reaches the chair. */
  executiveGroup: string | undefined;
  /** An unacknowledged chair ping repeats `times` times, `every` apart, then goes to the deputy, then the business manager. */
  chairPing: { every: LadderSpan; times: number };
  learningGroup: string | undefined;
  riskRegister: { reviewGroup: string | undefined; remindBefore: number };
}

export const DEFAULT_DISPUTE_POLICY: Readonly<DisputePolicy> = Object.freeze({
  stages: [
    { key: 'practitioners', name: 'Practitioner to practitioner', limit: { workingDays: 5 }, involves: 'The practitioners who disagree talk it through' },
    { key: 'line-managers', name: 'Line managers', limit: { workingDays: 5 }, involves: 'Both practitioners\' line managers' },
    { key: 'senior-managers', name: 'Senior managers', limit: { workingDays: 5 }, involves: 'Senior managers or heads of service of both agencies' },
    { key: 'partnership', name: 'Partnership level, with the chair', limit: { calendarDays: 28 }, involves: 'The chair convenes a joint meeting; the business manager supports' },
  ],
  urgent: { startAt: 'senior-managers', limit: { workingDays: 1 } },
  sendAt: '09:30',
  remindBefore: 1,
  chairKey: undefined,
  deputyKey: undefined,
  executiveGroup: undefined,
  chairPing: { every: { workingDays: 1 }, times: 1 },
  learningGroup: undefined,
  riskRegister: { reviewGroup: undefined, remindBefore: 5 },
});

export const DISPUTE_LIMITS = { subject: 200, tried: 1500, outcomeSought: 800, caseRef: 40, reason: 500, outcome: 1500, mediator: 120, learning: 800 } as const;

export type DisputeStatus = 'open' | 'resolved' | 'withdrawn';

export interface DisputeView {
  id: string;
  partnershipId: string;
  number: number;
  subject: string;
  tried: string;
  outcomeSought: string;
  caseRef: string | undefined;
  urgent: boolean;
  /** When it was raised (by the bot's clock). */
  raisedAt: Date;
  status: DisputeStatus;
  stages: DisputeStage[];
  stageIndex: number;
  stageStartedAt: Date;
  stageDueOn: string;
  raisedBy: { id: string; name: string; agency: string | undefined };
  otherParty: { id: string; name: string; agency: string | undefined };
  chair: { id: string; name: string } | undefined;
  chairAck: { name: string; at: Date } | undefined;
  jointMeetingOn: string | undefined;
  mediator: string | undefined;
  proposed: { outcome: string; learning: string | undefined; byId: string; byName: string } | undefined;
  outcome: string | undefined;
  resolvedBy: string | undefined;
  resolvedAt: Date | undefined;
  learning: string | undefined;
}

export interface DisputeEventView {
  at: Date;
  kind: string;
  stageIndex: number;
  actor: string | undefined;
  detail: string | undefined;
}

export const disputeTimerKinds = { stage: 'disputes.stage', chair: 'disputes.chair' } as const;
export const disputeSubject = (disputeId: string) => `dispute:${disputeId}`;
export const stageTimerPrefix = (disputeId: string) => `dispute:${disputeId}:stage:`;
export const chairTimerPrefix = (disputeId: string) => `dispute:${disputeId}:chair:`;

export const disputeButtons = {
  propose: 'disputes.propose',
  confirm: 'disputes.confirm',
  decline: 'disputes.decline',
  escalate: 'disputes.escalate',
  acknowledge: 'disputes.chair.ack',
  meeting: 'disputes.chair.meeting',
  mediator: 'disputes.chair.mediator',
  decide: 'disputes.chair.decide',
  delegate: 'disputes.chair.delegate',
} as const;

export const disputeForms = {
  raise: 'disputes.raise',
  propose: 'disputes.propose-form',
  escalate: 'disputes.escalate-form',
  meeting: 'disputes.meeting-form',
  mediator: 'disputes.mediator-form',
  decide: 'disputes.decide-form',
  delegate: 'disputes.delegate-form',
} as const;

export const isFinalStage = (d: Pick<DisputeView, 'stages' | 'stageIndex'>) => d.stageIndex === d.stages.length - 1;

/** Where a dispute starts: the first stage, or the urgent start when a child is at immediate risk. */
export function startingStage(policy: DisputePolicy, urgent: boolean): number {
  if (!urgent) return 0;
  const i = policy.stages.findIndex((s) => s.key === policy.urgent.startAt);
  return i >= 0 ? i : 0;
}

/** The limit a stage runs to: the urgent limit for urgent disputes (never longer than the stage's own). */
export function limitOf(stage: DisputeStage, urgent: boolean, policy: Pick<DisputePolicy, 'urgent'>): StageLimit {
  return urgent && policy.urgent.limit ? policy.urgent.limit : stage.limit;
}

/**
 * The last day of a stage that starts at `from`: N working days after it; or day N counting the start as day 0,
 * moved back to the working day before when day N is a weekend or holiday (a calendar-day limit is never extended).
 */
export function stageDueOn(limit: StageLimit, from: DateTime, calendar: WorkingCalendar): string {
  const start = from.setZone(calendar.zone).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  if ('workingDays' in limit) return calendar.addWorkingDays(start, limit.workingDays).toISODate()!;
  return calendar.workingDayOnOrBefore(start.plus({ days: limit.calendarDays })).toISODate()!;
}

export function describeLimit(limit: StageLimit): string {
  if ('workingDays' in limit) return limit.workingDays === 1 ? '1 working day' : `${limit.workingDays} working days`;
  return `${limit.calendarDays} calendar days`;
}

/** The people a dispute is between. */
export const isParty = (profile: MemberProfile, d: Pick<DisputeView, 'raisedBy' | 'otherParty'>) =>
  profile.memberId === d.raisedBy.id || profile.memberId === d.otherParty.id;

/** Chairs see every dispute: the independent chair, the dispute chair and deputy of the policy, and whoever holds a chair ping. */
export interface ChairIds {
  chairId: string | undefined;
  deputyId: string | undefined;
}

export function seesAllDisputes(profile: MemberProfile, chairs: ChairIds): boolean {
  return isPartnershipAdmin(profile) || profile.roles.some((r) => r.role === 'independent_chair') || profile.memberId === chairs.chairId || profile.memberId === chairs.deputyId;
}

/** Parties see their own disputes; chairs, the deputy, whoever the chair delegated to, and admins see all. */
export function canSee(profile: MemberProfile, d: DisputeView, chairs: ChairIds): boolean {
  if (profile.partnershipId !== d.partnershipId) return false;
  return isParty(profile, d) || seesAllDisputes(profile, chairs) || profile.memberId === d.chair?.id;
}

/** Who may act as the chair on a dispute at its final stage: the chair holding it, the policy's chair or deputy, the independent chair. */
export function canChair(profile: MemberProfile, d: DisputeView, chairs: ChairIds): boolean {
  if (profile.partnershipId !== d.partnershipId) return false;
  return profile.memberId === d.chair?.id || profile.memberId === chairs.chairId || profile.memberId === chairs.deputyId || profile.roles.some((r) => r.role === 'independent_chair');
}

// --- Risk register ---------------------------------------------------------------------------

/** Impact and likelihood are scored 1 (lowest) to 5; the score is their product, 1 to 25. */
export const RISK_SCALE = [1, 2, 3, 4, 5] as const;
export const RISK_LIMITS = { risk: 300, mitigation: 1000 } as const;
export const riskTimerKind = 'disputes.risk-review';
export const riskSubject = (riskId: string) => `risk:${riskId}`;
export const riskTimerPrefix = (riskId: string) => `risk:${riskId}:`;

/** The usual 5x5 matrix bands: 1-4 low, 5-9 medium, 10-14 high, 15-25 very high. */
export function riskBand(score: number): { label: 'Low' | 'Medium' | 'High' | 'Very high'; tone: 'good' | 'warning' | 'attention' } {
  if (score >= 15) return { label: 'Very high', tone: 'attention' };
  if (score >= 10) return { label: 'High', tone: 'attention' };
  if (score >= 5) return { label: 'Medium', tone: 'warning' };
  return { label: 'Low', tone: 'good' };
}

export interface RiskView {
  id: string;
  partnershipId: string;
  number: number;
  risk: string;
  impact: number;
  likelihood: number;
  score: number;
  owner: { id: string; name: string };
  mitigation: string;
  reviewOn: string;
  status: 'open' | 'closed';
  disputeNumber: number | undefined;
}
