import type { Form, ListItem, Message, MessageAction, MessageSection } from '../../messaging/message.js';
import { dueWording, formatDay, formatDayTime } from './format.js';
import { RETURN_ESCALATIONS, returnsSummary, type ReturnsProgress, type StageReturns } from './returns-model.js';
import type { ReturnRow } from './returns-repository.js';
import type { StageView } from './stage-view.js';

export const returnActions = {
  submit: 'return.submit',
  secureEmail: 'return.secure-email',
  closeStage: 'return.close-stage',
} as const;

export const returnFormKey = 'return.submit';

/** One agency's return, with the stage it belongs to. */
export interface ReturnView {
  ret: ReturnRow;
  spec: StageReturns;
  stage: StageView;
  returnedByName?: string;
}

const who = (v: ReturnView) => `${v.ret.agencyName}'s return for ${v.stage.stage.name}`;

const headline: Record<string, (v: ReturnView) => string> = {
  opened: (v) => `Return needed: ${v.stage.stage.name} from ${v.ret.agencyName}`,
  before: (v) => `Reminder: ${who(v)} is ${dueWording(v.stage.workingDaysLeft, v.stage.dueToday)}`,
  due: (v) => `Due today: ${who(v)}`,
  overdue: (v) => `Overdue: ${who(v)}`,
  [RETURN_ESCALATIONS.representative]: (v) => `Escalation: ${who(v)} is ${dueWording(v.stage.workingDaysLeft, v.stage.dueToday)}`,
  [RETURN_ESCALATIONS.owner]: (v) => `Escalation to the stage owner: ${who(v)} is ${dueWording(v.stage.workingDaysLeft, v.stage.dueToday)}`,
};

const escalationReason: Record<string, string> = {
  [RETURN_ESCALATIONS.representative]: "You are receiving this because the return is overdue and you represent the agency on the board.",
  [RETURN_ESCALATIONS.owner]: 'You are receiving this because the return is overdue and you own the stage. You can close the stage with it missing (Mark done on the stage).',
};

function facts(v: ReturnView) {
  const s = v.stage;
  return [
    { label: 'Cycle', value: `#${s.cycle.number} ${s.cycle.title}` },
    { label: 'Stage', value: s.stage.name },
    { label: 'Agency', value: v.ret.agencyName },
    { label: 'Due', value: `${formatDay(s.stage.dueOn, s.zone)}${s.stage.status === 'open' ? ` (${dueWording(s.workingDaysLeft, s.dueToday)})` : ''}` },
    ...(s.returns ? [{ label: 'Returns', value: returnsSummary(s.returns) }] : []),
  ];
}

function howToReturn(spec: StageReturns): string {
  if (spec.as === 'secure-email') return 'Send it by secure email as agreed, then press *Sent by secure email*.';
  const asks = [...spec.figures.map((f) => f.label.toLowerCase()), ...(spec.narrative ? ['a short narrative'] : [])];
  return `Press *Submit return* to send ${asks.join(', ')} (case references only, never names), or *Sent by secure email* if you sent it that way.`;
}

function answerActions(v: ReturnView): MessageAction[] {
  return [
    ...(v.spec.as === 'form' ? [{ id: returnActions.submit, label: 'Submit return', style: 'primary' as const, value: v.ret.id }] : []),
    { id: returnActions.secureEmail, label: 'Sent by secure email', ...(v.spec.as === 'secure-email' ? { style: 'primary' as const } : {}), value: v.ret.id },
  ];
}

const openCycle = (v: ReturnView): MessageAction => ({ id: 'cycle.open', label: 'Open cycle', value: v.stage.cycle.id });

/** The ask, a reminder or a chaser to the agency's leads, or an escalation about it (kind: a ladder step kind). */
export function returnCard(v: ReturnView, kind: string, titleOverride?: string, note?: string): Message {
  const title = titleOverride ?? (headline[kind] ?? headline.opened!)(v);
  const reason = note ?? escalationReason[kind];
  const forOwner = kind === RETURN_ESCALATIONS.owner;
  return {
    title,
    text: `${title}. Due ${formatDay(v.stage.stage.dueOn, v.stage.zone)}. Cycle #${v.stage.cycle.number} ${v.stage.cycle.title}.`,
    sections: [
      { kind: 'facts', facts: facts(v) },
      { kind: 'text', text: `*Done means:* ${v.stage.stage.doneMeans}` },
      ...(forOwner ? [] : [{ kind: 'text' as const, text: howToReturn(v.spec) }]),
      ...(reason ? [{ kind: 'context' as const, text: reason }] : []),
      { kind: 'actions', actions: [...(forOwner ? [] : answerActions(v)), openCycle(v)] },
    ],
  };
}

/** What every copy of an agency's return cards turns into once it is in, recorded missing, or the stage stops. */
export function settledReturnCard(v: ReturnView): Message {
  const r = v.ret;
  const line = r.status === 'returned'
    ? `Returned${r.method === 'secure-email' ? ' by secure email' : ''} by ${v.returnedByName ?? 'a member'}${r.returnedAt ? `, ${formatDayTime(r.returnedAt, v.stage.zone)}` : ''}`
    : r.status === 'missing'
      ? 'Not returned: recorded as missing when the stage was closed'
      : v.stage.cycle.status === 'cancelled' || v.stage.stage.status === 'cancelled' ? 'Cycle cancelled: no return needed' : 'No longer needed';
  return {
    title: `${r.status === 'returned' ? 'Returned' : 'Update'}: ${v.stage.stage.name} from ${r.agencyName}`,
    text: `${v.stage.stage.name} from ${r.agencyName}: ${line}`,
    sections: [{ kind: 'facts', facts: facts(v) }, { kind: 'text', text: `*${line}*` }, { kind: 'actions', actions: [openCycle(v)] }],
  };
}

/**
 * What every copy of an awaited return's cards should show after its cycle was paused, resumed or its due date moved:
 * the ask with its buttons while it can still be sent (a paused cycle only stops the reminders), settled otherwise.
 */
export function currentReturnCard(v: ReturnView, why: 'resumed' | 'moved'): Message {
  const s = v.stage;
  const open = v.ret.status === 'awaited' && s.stage.status === 'open';
  if (open && s.cycle.status === 'paused') {
    return returnCard(v, 'opened', `Paused: ${who(v)}`, 'Cycle paused: no reminders until it resumes. The return can still be sent.');
  }
  if (!open || s.cycle.status !== 'active') return settledReturnCard(v);
  const due = dueWording(s.workingDaysLeft, s.dueToday);
  return returnCard(v, 'opened', why === 'moved' ? `Due date changed: ${who(v)} is now due ${formatDay(s.stage.dueOn, s.zone)}` : `Resumed: ${who(v)} is ${due}`);
}

/** `tasks`: an agency's return the member is asked for, as one line with how to send it. */
export function returnTaskItem(v: ReturnView): ListItem {
  const s = v.stage;
  const how = v.spec.as === 'form'
    ? 'send it with Submit return on its card, or Sent by secure email'
    : 'send it by secure email, then press Sent by secure email on its card';
  const tone = s.workingDaysLeft < 0 ? 'attention' as const : s.workingDaysLeft <= 1 ? 'warning' as const : 'accent' as const;
  return {
    title: `${s.stage.name}: your agency's return (${v.ret.agencyName})`,
    detail: `#${s.cycle.number} ${s.cycle.title} · due ${formatDay(s.stage.dueOn, s.zone)} (${dueWording(s.workingDaysLeft, s.dueToday)}) · ${how}`,
    status: s.workingDaysLeft < 0 ? 'Overdue' : s.workingDaysLeft <= 1 ? 'Due soon' : 'Return needed',
    tone,
  };
}

/** `cycle status`: one line per agency asked, returned or not. */
export function agencyReturnsList(stageName: string, progress: ReturnsProgress): Extract<MessageSection, { kind: 'list' }> {
  const items: ListItem[] = progress.agencies.map((a) => ({
    title: a.agencyName,
    ...(a.status === 'returned'
      ? { status: 'Returned', tone: 'good' as const, detail: a.method === 'secure-email' ? 'by secure email' : 'by form' }
      : a.status === 'missing'
        ? { status: 'Missing', tone: 'attention' as const, detail: 'recorded missing when the stage closed' }
        : { status: 'Missing', tone: 'warning' as const, detail: 'not returned yet' }),
  }));
  return { kind: 'list', title: `Returns for ${stageName}: ${progress.returned} of ${progress.total}`, items };
}

/** Mark done on a stage still waiting for returns: say who is missing and ask first. */
export function closeWithMissingCard(v: StageView): Message {
  const waiting = (v.returns?.agencies ?? []).filter((a) => a.status === 'awaited').map((a) => a.agencyName);
  const text = `${v.stage.name}: ${v.returns ? returnsSummary(v.returns) : ''}. Close it anyway? The missing return${waiting.length === 1 ? '' : 's'} (${waiting.join(', ')}) will be recorded in the audit log.`;
  return {
    title: `Close "${v.stage.name}" with returns missing?`,
    text,
    sections: [
      { kind: 'text', text },
      { kind: 'actions', actions: [{ id: returnActions.closeStage, label: `Close with ${waiting.length} missing`, style: 'danger', value: v.stage.id }, openCycle({ stage: v } as ReturnView)] },
    ],
  };
}

interface FormState {
  returnId: string;
  figures: { key: string; label: string }[];
  narrative: boolean;
}

/** The form's state carries what it asks, so it can be rebuilt to read a submission; the return's own plan decides what is kept. */
export function encodeReturnFormState(returnId: string, spec: StageReturns): string {
  return JSON.stringify({ returnId, figures: spec.figures, narrative: spec.narrative } satisfies FormState);
}

export function decodeReturnFormState(state: string | undefined): FormState | undefined {
  try {
    const parsed = JSON.parse(state ?? '') as Partial<FormState>;
    if (typeof parsed.returnId !== 'string' || !Array.isArray(parsed.figures)) return undefined;
    const figures = parsed.figures.filter((f): f is { key: string; label: string } => typeof f?.key === 'string' && typeof f?.label === 'string');
    return { returnId: parsed.returnId, figures, narrative: parsed.narrative === true };
  } catch {
    return undefined;
  }
}

export function returnForm(state: string, agencyName?: string): Form {
  const decoded = decodeReturnFormState(state);
  return {
    callbackId: returnFormKey,
    title: 'Submit return',
    submitLabel: 'Send return',
    intro: `${agencyName ? `${agencyName}: f` : 'F'}igures and a short narrative for the partnership. Case references only: no names, dates of birth, addresses, emails or phone numbers.`,
    state,
    fields: [
      ...(decoded?.figures ?? []).map((f) => ({ kind: 'number' as const, id: figureFieldId(f.key), label: f.label, required: true, integer: true, min: 0 })),
      ...(decoded?.narrative ? [{ kind: 'longText' as const, id: 'narrative', label: 'Narrative', required: true, maxLength: 3000, placeholder: 'What the figures show, and what your agency is doing about it' }] : []),
    ],
  };
}

export const figureFieldId = (key: string) => `figure-${key}`;
