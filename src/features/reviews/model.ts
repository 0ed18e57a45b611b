// Rapid-review notifications (domain.md, "Rapid reviews and case reviews", "Safeguarding Adults Reviews", "Domestic
// Homicide Reviews"): the most sensitive messages the bot carries. Routed only to the group the partnership names for
// the type, on statutory clocks counted in working days, each with its anchor stated.
import type { LadderSpan } from '../../workflow/ladder.js';
import type { Owner } from '../../workflow/owners.js';

export const REVIEW_TYPES = ['child', 'adult', 'dhr', 'learning'] as const;
export type ReviewType = (typeof REVIEW_TYPES)[number];

export const reviewTypeNames: Record<ReviewType, string> = {
  child: 'Serious child safeguarding incident',
  adult: 'Safeguarding Adults Review referral',
  dhr: 'Domestic Homicide Review notification',
  learning: 'Learning referral (may not meet the criteria)',
};

/** The review each type may lead to, for a joint case ("which process leads"). */
export const processNames: Record<ReviewType, string> = {
  child: 'Child safeguarding practice review',
  adult: 'Safeguarding Adults Review',
  dhr: 'Domestic Homicide Review',
  learning: 'Learning review',
};

/** What the national notification is called for each type (none for a learning referral). */
export const nationalBody: Record<ReviewType, string | undefined> = {
  child: 'the Panel and Ofsted',
  adult: undefined,
  dhr: 'the Home Office',
  learning: undefined,
};

/** The outcomes a recommendation or decision may take, per type; `review` ones start a tracked review. */
export const outcomesOf: Record<ReviewType, { value: string; label: string; review: boolean }[]> = {
  child: [
    { value: 'lcspr', label: 'Local child safeguarding practice review (LCSPR)', review: true },
    { value: 'national', label: 'Refer for a national review', review: false },
    { value: 'no-review', label: 'No review: learning taken another way', review: false },
  ],
  adult: [
    { value: 'sar', label: 'Safeguarding Adults Review (SAR)', review: true },
    { value: 'no-sar', label: 'Not a SAR: learning taken another way', review: false },
  ],
  dhr: [
    { value: 'dhr', label: 'Proceed with a Domestic Homicide Review', review: true },
    { value: 'no-dhr', label: 'No DHR', review: false },
  ],
  learning: [
    { value: 'learning-review', label: 'A multi-agency learning review', review: true },
    { value: 'no-review', label: 'No review: learning taken another way', review: false },
  ],
};

export const outcomeLabel = (type: ReviewType, value: string | undefined) => (value ? outcomesOf[type].find((o) => o.value === value)?.label ?? value : undefined);

/** A clock's length: working days after its anchor, or calendar months (by that day, moved back off a non-working day). */
export type ClockLimit = { workingDays: number } | { months: number };

/** What the clocks run to: copied onto each review when it is notified. */
export interface ReviewClockSettings {
  nationalNotification: ClockLimit;
  chronologies: ClockLimit;
  rapidReview: ClockLimit;
  /** The rapid review's 15 working days count from awareness (default) or from the day the notification was sent. */
  rapidReviewFrom: 'awareness' | 'notification';
  sarAcknowledge: ClockLimit;
  sarDecision: ClockLimit;
  dhrDecision: ClockLimit;
  learningDecision: ClockLimit;
  /** An LCSPR, SAR or DHR published within this long of starting (the decision). */
  publish: ClockLimit;
  /** How long a published report stays public, and how many working days before that the business manager is told. */
  keepPublished: { months: number; remindBefore: number } | null;
}

export interface ReviewPolicy {
  sendAt: string;
  /** Group key per type (default: the partnership's practice-review group). */
  groups: Partial<Record<ReviewType, string>>;
  /** Who decides, per type (default: the independent chair, else the business manager). */
  decidedBy: Partial<Record<ReviewType, Owner>>;
  /** Member keys of who hears an escalation after the group's chair (default: the independent chair). */
  escalateTo: string[];
  /** Working days before each clock runs out that the group's chair and the business manager are reminded. */
  remindBefore: number[];
  acknowledge: { within: LadderSpan; by: 'chair' | 'anyone'; repeat: { times: number; every: LadderSpan } };
  /** In a joint case, the chairs who agree which process leads (member keys; default: the chairs of both groups). */
  jointChairs: string[];
  clocks: ReviewClockSettings;
}

export const DEFAULT_CLOCKS: Readonly<ReviewClockSettings> = Object.freeze({
  nationalNotification: { workingDays: 5 },
  chronologies: { workingDays: 10 },
  rapidReview: { workingDays: 15 },
  rapidReviewFrom: 'awareness',
  sarAcknowledge: { workingDays: 5 },
  sarDecision: { workingDays: 20 },
  dhrDecision: { months: 1 },
  learningDecision: { workingDays: 15 },
  publish: { months: 6 },
  keepPublished: { months: 12, remindBefore: 10 },
});

export const DEFAULT_REVIEW_POLICY: Readonly<ReviewPolicy> = Object.freeze({
  sendAt: '09:30',
  groups: {},
  decidedBy: {},
  escalateTo: [],
  remindBefore: [2],
  acknowledge: { within: { workingHours: 4 }, by: 'anyone' as const, repeat: { times: 1, every: { workingHours: 4 } } },
  jointChairs: [],
  clocks: DEFAULT_CLOCKS,
});

export const REVIEW_LIMITS = { caseRef: 40, summary: 1000, reasons: 1500, note: 1000 } as const;

export type ReviewStatus = 'open' | 'decided' | 'closed';

export interface ReviewAgencyView {
  agencyId: string;
  name: string;
  confirmedAt: Date | undefined;
  confirmedBy: string | undefined;
}

export interface MilestoneView {
  key: string;
  name: string;
  position: number;
  dueOn: string;
  doneOn: string | undefined;
}

export interface ReviewView {
  id: string;
  partnershipId: string;
  number: number;
  type: ReviewType;
  caseRef: string;
  awareOn: string;
  nationalNotifiedOn: string | undefined;
  summary: string;
  notifier: { id: string; name: string };
  groupKey: string;
  settings: ReviewClockSettings;
  jointWith: ReviewType | undefined;
  leadProcess: ReviewType | undefined;
  leadChoices: { memberId: string; name: string; process: ReviewType }[];
  status: ReviewStatus;
  meetingOn: string | undefined;
  attendees: string[];
  recommendation: string | undefined;
  recommendationNote: string | undefined;
  recommendedBy: string | undefined;
  decision: string | undefined;
  decisionReasons: string | undefined;
  nationalToldOn: string | undefined;
  decidedAt: Date | undefined;
  decidedBy: string | undefined;
  createdAt: Date;
  acks: { memberId: string; name: string; at: Date }[];
  agencies: ReviewAgencyView[];
  milestones: MilestoneView[];
}

export interface ReviewEventView {
  at: Date;
  kind: string;
  actor: string | undefined;
  detail: string | undefined;
}

export const reviewTimerKinds = { clock: 'reviews.clock', ack: 'reviews.ack', agency: 'reviews.agency', milestone: 'reviews.milestone' } as const;
export const reviewSubject = (reviewId: string) => `review:${reviewId}`;
/** Cards only the group's members hold (the details), updated in place as the review moves. */
export const groupCardSubject = (reviewId: string) => `review:${reviewId}:group`;
export const clockPrefix = (reviewId: string, clock: string) => `review:${reviewId}:clock:${clock}:`;
export const ackPrefix = (reviewId: string) => `review:${reviewId}:ack:`;
export const agencyPrefix = (reviewId: string, agencyId: string) => `review:${reviewId}:agency:${agencyId}:`;
export const milestonePrefix = (reviewId: string, key: string) => `review:${reviewId}:milestone:${key}:`;

export const reviewButtons = {
  acknowledge: 'reviews.ack',
  notified: 'reviews.notified',
  confirmSent: 'reviews.agency.sent',
  meeting: 'reviews.meeting',
  recommend: 'reviews.recommend',
  decide: 'reviews.decide',
  lead: 'reviews.lead',
  milestone: 'reviews.milestone',
} as const;

export const reviewForms = {
  notify: 'reviews.notify',
  notified: 'reviews.notified-form',
  meeting: 'reviews.meeting-form',
  recommend: 'reviews.recommend-form',
  decide: 'reviews.decide-form',
  milestone: 'reviews.milestone-form',
} as const;

/** The notification every private card shows on a lock screen or in an email digest: nothing about the case. */
export const SAFE_TEXT = 'A confidential practice review update: open the bot to read it';
