/** Which agencies a stage asks for a return: every active agency, the agencies of a group's members, or named ones. */
export type ReturnsFrom = { kind: 'all' } | { kind: 'group'; group: string } | { kind: 'agencies'; agencies: string[] };

export const RETURN_METHODS = ['form', 'secure-email'] as const;
export type ReturnMethod = (typeof RETURN_METHODS)[number];

export interface ReturnFigure {
  key: string;
  label: string;
}

/** A stage's `returns:` as the plan gives it (see returns-schema.ts). */
export interface StageReturns {
  from: ReturnsFrom;
  /** How agencies return: a short form (figures and narrative), or only a "sent by secure email" tick. */
  as: ReturnMethod;
  figures: ReturnFigure[];
  narrative: boolean;
}

export type ReturnState = 'awaited' | 'returned' | 'missing';

/** One agency's return as a card or status line shows it. */
export interface AgencyReturnView {
  returnId: string;
  agencyKey: string;
  agencyName: string;
  status: ReturnState;
  method: string | null;
}

export interface ReturnsProgress {
  total: number;
  returned: number;
  agencies: AgencyReturnView[];
}

/** "2 of 3 returned; waiting for Wiltshire Police" (or "all 3 returned"). */
export function returnsSummary(progress: ReturnsProgress): string {
  const waiting = progress.agencies.filter((a) => a.status !== 'returned');
  if (waiting.length === 0) return `all ${progress.total} returned`;
  const noun = waiting.some((a) => a.status === 'missing') && waiting.every((a) => a.status === 'missing') ? 'missing' : 'waiting for';
  return `${progress.returned} of ${progress.total} returned; ${noun} ${waiting.map((a) => a.agencyName).join(', ')}`;
}

/** The per-agency ladder's escalation kinds (the fixed steps are the shared ladder's opened / before / due / overdue). */
export const RETURN_ESCALATIONS = { representative: 'escalate-representative', owner: 'escalate-owner' } as const;
