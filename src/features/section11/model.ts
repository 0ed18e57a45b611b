// Section 11 audit rounds: the words the feature's files share (variants, the rating scale, standards, rounds and
// returns as the rest of the feature reads them), and its ids (actions, forms, timers, card subjects).
import type { Recurrence } from '../../workflow/recurrence.js';

/** The children's Section 11 audit, the adults' Care Act compliance audit, the schools' s175/157 audit. */
export const S11_VARIANTS = ['s11', 'care-act', 's175'] as const;
export type S11Variant = (typeof S11_VARIANTS)[number];

export const variantNames: Record<S11Variant, string> = {
  s11: 'Section 11 audit',
  'care-act': 'Care Act compliance audit',
  s175: 'Schools s175/157 audit',
};

/** green: met (nothing to improve); amber and red: short of met (an improvement action is needed); grey: not applicable (a reason is needed). */
export type RatingColour = 'green' | 'amber' | 'red' | 'grey';

export interface ScaleEntry {
  key: string;
  label: string;
  /** Printed in each heat-map cell and beside each rating, so colour is never the only sign. */
  letter: string;
  colour: RatingColour;
}

export interface Standard {
  key: string;
  /** Its short name in headers, e.g. "3". */
  number: string;
  name: string;
  guidance: string;
  /** What evidence might show it, as prompts. */
  evidence: string[];
}

export interface ChaseSettings {
  sendAt: string;
  /** Working days before the due day the leads are reminded (they also hear at launch and on the day). */
  remindBefore: number[];
  /** Working days between overdue chasers. */
  chaseEvery: number;
  /** Working days overdue before the agency's board representative hears, then before the PQA chair and the business manager do. */
  escalate: { board: { workingDays: number }; chair: { workingDays: number } };
}

/** What a round keeps from the partnership file when launched, so a later edit does not move a round in flight. */
export interface RoundSettings extends ChaseSettings {
  standards: Standard[];
  scale: ScaleEntry[];
  /** The group that moderates (records moderated ratings and feedback), by key. */
  moderatedBy?: string;
}

/** A round that launches itself: `every` as a recurring plan's `recurs:`, the returns due `dueAfter` later. */
export interface RecurringRound {
  key: string;
  title: string;
  variant: S11Variant;
  recurs: Recurrence;
  dueAfter: { months: number } | { workingDays: number };
  agencies?: string[];
}

export interface S11Policy extends ChaseSettings {
  scale: ScaleEntry[];
  standards: Partial<Record<S11Variant, Standard[]>>;
  moderatedBy?: string;
  /** The group whose members represent their agency on the board (default: the executive / board groups). */
  boardGroup?: string;
  rounds: RecurringRound[];
}

export const DEFAULT_SCALE: ScaleEntry[] = [
  { key: 'met', label: 'Met', letter: 'M', colour: 'green' },
  { key: 'partly-met', label: 'Partially met', letter: 'P', colour: 'amber' },
  { key: 'not-met', label: 'Not met', letter: 'N', colour: 'red' },
  { key: 'not-applicable', label: 'Not applicable', letter: 'X', colour: 'grey' },
];

export const DEFAULT_CHASE: ChaseSettings = {
  sendAt: '09:30',
  remindBefore: [10, 5, 1],
  chaseEvery: 5,
  escalate: { board: { workingDays: 5 }, chair: { workingDays: 10 } },
};

export const RETURN_STATUSES = ['not_started', 'draft', 'submitted', 'returned', 'signed_off'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const statusLabels: Record<ReturnStatus, string> = {
  not_started: 'Not started',
  draft: 'Draft',
  submitted: 'Submitted',
  returned: 'Returned',
  signed_off: 'Signed off',
};

export interface RoundView {
  id: string;
  partnershipId: string;
  number: number;
  title: string;
  variant: S11Variant;
  dueOn: string;
  launchedOn: string;
  status: 'open' | 'closed';
  settings: RoundSettings;
  createdAt: Date;
}

export interface Moderation {
  ratings: Record<string, string>;
  feedback: string;
  byId: string;
  at: string;
}

export interface ReturnView {
  id: string;
  roundId: string;
  partnershipId: string;
  agencyId: string;
  agencyKey: string;
  agencyName: string;
  /** As stored: a draft shows as `not_started` or `returned` here; `hasDraft` says whether answers are being typed. */
  status: Exclude<ReturnStatus, 'draft'>;
  hasDraft: boolean;
  dueOn: string;
  carriedFromId: string | null;
  answers: Record<string, string> | null;
  submittedAt: Date | null;
  submittedById: string | null;
  signedOffAt: Date | null;
  moderation: Moderation | null;
  response: string | null;
}

/** The status a person sees: a return being typed (and not yet submitted) is a draft. */
export function shownStatus(r: Pick<ReturnView, 'status' | 'hasDraft'>): ReturnStatus {
  return r.hasDraft && (r.status === 'not_started' || r.status === 'returned') ? 'draft' : r.status;
}

/** Submitted or signed off: nothing more is asked of the agency. */
export const isIn = (r: Pick<ReturnView, 'status'>) => r.status === 'submitted' || r.status === 'signed_off';

export const returnFormKey = 's11.return';
export const returnSubject = (returnId: string) => `s11-return:${returnId}`;
export const returnIdOfSubject = (subject: string) => (subject.startsWith('s11-return:') ? subject.slice('s11-return:'.length) : undefined);

export const s11Forms = {
  return: returnFormKey,
  sendBack: 's11.send-back',
  moreEvidence: 's11.more-evidence',
  moderate: 's11.moderate',
  respond: 's11.respond',
  extension: 's11.extension',
} as const;

export const s11Buttons = {
  open: 's11.open',
  signOff: 's11.sign-off',
  sendBack: 's11.send-back',
  moreEvidence: 's11.more-evidence',
  moderate: 's11.moderate',
  respond: 's11.respond',
  extension: 's11.extension',
  approveExtension: 's11.extension.approve',
  declineExtension: 's11.extension.decline',
  actionDone: 's11.action.done',
} as const;

export const s11TimerKinds = {
  chase: 's11.chase',
  action: 's11.action',
  launch: 's11.launch',
} as const;

export const chasePrefix = (returnId: string) => `s11:${returnId}:chase:`;
export const actionPrefix = (actionId: string) => `s11-action:${actionId}:`;
export const launchKey = (partnershipId: string, planKey: string, day: string) => `s11-launch:${partnershipId}:${planKey}:${day}`;

/** Card subjects: a lead's copy of their return's card, the signatory's sign-off card, an extension request. */
export const returnCardSubject = (returnId: string, memberId: string) => `s11:${returnId}:card:${memberId}`;
export const signOffSubject = (returnId: string, memberId: string) => `s11:${returnId}:sign-off:${memberId}`;
export const extensionSubject = (extensionId: string) => `s11-extension:${extensionId}`;
