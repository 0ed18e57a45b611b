// The one-page forms around a return: send back, return for more evidence, moderate, respond to feedback, ask for
// more time. Each opens from a button whose value is the return's id, checks who may use it, and keeps what was
// typed when something is wrong.
import { DateTime } from 'luxon';
import { formatDay } from '../../core/day-format.js';
import { BotError } from '../../core/errors.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import { validateFields } from '../../forms/validate.js';
import type { ActionHandler, FormHandler } from '../../interactions/types.js';
import type { FieldErrors, Form, FormField, FormValues } from '../../messaging/message.js';
import { WorkingCalendar } from '../../core/calendar.js';
import type { FeatureDeps } from '../contract.js';
import { fieldId, ratingLabel } from './answers.js';
import { note } from './cards.js';
import { isIn, s11Buttons, s11Forms, type ReturnView, type RoundView } from './model.js';
import { leadsAgency, seesAllReturns, signsForAgency } from './people.js';
import { loadReturn, loadRound } from './repository.js';
import { inS11Scope, returnFor, type ReturnInRound } from './scope.js';
import { requestExtension, untilProblem } from './service-extension.js';
import { moderate, respond } from './service-moderate.js';
import { sendBack, type Outcome } from './service-return.js';

interface Ctx extends ReturnInRound {
  now: DateTime;
  calendar: WorkingCalendar;
}

interface SmallForm {
  button: string;
  callbackId: string;
  title: string;
  submitLabel: string;
  allowed(profile: MemberProfile, x: ReturnInRound): boolean;
  /** Why the button does nothing now (already signed off, not in yet), or undefined. */
  closed?(x: ReturnInRound): string | undefined;
  intro(ctx: Ctx): string;
  fields(ctx: Ctx): FormField[];
  check?(ctx: Ctx, v: (id: string) => string, errors: FieldErrors): void;
  run(deps: FeatureDeps, profile: MemberProfile, ctx: Ctx, v: (id: string) => string): Promise<Outcome>;
}

const COMMENT_MAX = 1500;
const comment = (label: string): FormField => ({ kind: 'longText', id: 'comment', label, required: true, maxLength: COMMENT_MAX });
const what = (x: ReturnInRound) => `${x.ret.agencyName}'s return for ${x.round.title}`;

const forms: SmallForm[] = [
  {
    button: s11Buttons.sendBack, callbackId: s11Forms.sendBack, title: 'Send back', submitLabel: 'Send back',
    allowed: (p, x) => signsForAgency(p, x.ret),
    closed: (x) => (x.ret.status === 'submitted' ? undefined : `${what(x)} is not waiting for sign-off.`),
    intro: (ctx) => `Send ${what(ctx)} back to its leads. Say what needs to change: they see your comment and keep their answers.`,
    fields: () => [comment('What needs to change')],
    run: (deps, profile, ctx, v) => sendBack(deps, profile, ctx.ret.id, v('comment'), 'signatory'),
  },
  {
    button: s11Buttons.moreEvidence, callbackId: s11Forms.moreEvidence, title: 'More evidence', submitLabel: 'Return to agency',
    allowed: (p) => isPartnershipAdmin(p),
    closed: (x) => (isIn(x.ret) ? undefined : `${what(x)} is not in: it is already with the agency.`),
    intro: (ctx) => `Return ${what(ctx)} to its leads for more evidence. They see your comment and keep their answers; it is signed off again once resubmitted.`,
    fields: () => [comment('What evidence is needed')],
    run: (deps, profile, ctx, v) => sendBack(deps, profile, ctx.ret.id, v('comment'), 'business-unit'),
  },
  {
    button: s11Buttons.moderate, callbackId: s11Forms.moderate, title: 'Moderate', submitLabel: 'Save moderation',
    allowed: (p, x) => seesAllReturns(p, x.moderatedBy),
    closed: (x) => (isIn(x.ret) ? undefined : `${what(x)} is not in yet: it can be moderated once it is submitted.`),
    intro: (ctx) => `Moderated ratings for ${what(ctx)}, set at the challenge event, with feedback for the agency. Each starts at the agency's own rating.`,
    fields: ({ round, ret }) => [
      ...round.settings.standards.map((s): FormField => {
        const initial = ret.moderation?.ratings[s.key] ?? ret.answers?.[fieldId(s.key, 'rating')];
        return { kind: 'choice', id: `${s.key}:moderated`, label: `${s.number}. ${s.name}`, required: true, style: 'select', options: round.settings.scale.map((e) => ({ value: e.key, label: ratingLabel(e) })), ...(initial ? { initial } : {}) };
      }),
      { kind: 'longText', id: 'feedback', label: 'Feedback for the agency', required: true, maxLength: 3000, ...(ret.moderation ? { initial: ret.moderation.feedback } : {}) },
    ],
    run: (deps, profile, ctx, v) => moderate(deps, profile, ctx.ret.id, Object.fromEntries(ctx.round.settings.standards.map((s) => [s.key, v(`${s.key}:moderated`)])), v('feedback')),
  },
  {
    button: s11Buttons.respond, callbackId: s11Forms.respond, title: 'Respond', submitLabel: 'Send response',
    allowed: (p, x) => leadsAgency(p, x.ret),
    closed: (x) => (x.ret.moderation ? undefined : `${what(x)} has no feedback yet to respond to.`),
    intro: (ctx) => `Your response to the moderation of ${what(ctx)}. The PQA chair and the business unit are told.`,
    fields: ({ ret }) => [{ ...comment('Your response'), id: 'response', maxLength: 3000, ...(ret.response ? { initial: ret.response } : {}) }],
    run: (deps, profile, ctx, v) => respond(deps, profile, ctx.ret.id, v('response')),
  },
  {
    button: s11Buttons.extension, callbackId: s11Forms.extension, title: 'Ask for more time', submitLabel: 'Ask',
    allowed: (p, x) => leadsAgency(p, x.ret),
    closed: (x) => (isIn(x.ret) ? `${what(x)} is already in: it needs no more time.` : undefined),
    intro: (ctx) => `${what(ctx)} is due ${formatDay(ctx.ret.dueOn, ctx.calendar.zone)}. The business unit approves or declines; until then the due date stands.`,
    fields: () => [
      { kind: 'date', id: 'until', label: 'New due date', required: true },
      { kind: 'longText', id: 'reason', label: 'Why more time is needed', required: true, maxLength: 600 },
    ],
    check: (ctx, v, errors) => {
      const problem = untilProblem(ctx, ctx.ret.dueOn, v('until'));
      if (problem) errors.until = problem;
    },
    run: (deps, profile, ctx, v) => requestExtension(deps, profile, ctx.ret.id, v('until'), v('reason')),
  },
];

async function context(deps: FeatureDeps, profile: MemberProfile, now: DateTime, returnId: string, spec: SmallForm): Promise<Ctx> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const found = await returnFor(scope.tx, profile, returnId, (x) => spec.allowed(profile, x) || leadsAgency(profile, x.ret) || seesAllReturns(profile, x.moderatedBy) || signsForAgency(profile, x.ret));
    if (!spec.allowed(profile, found)) {
      throw new BotError('forbidden', `s11 ${spec.callbackId} by someone not allowed`, `That is not yours to do on ${what(found)}. Nothing was changed.`, { reason: 'not-permitted', subjectType: 's11-return', subjectId: found.ret.id });
    }
    return { ...found, now, calendar: scope.calendar };
  });
}

function buildForm(spec: SmallForm, ctx: Ctx): Form {
  return { callbackId: spec.callbackId, title: spec.title, submitLabel: spec.submitLabel, cancel: { label: 'Cancel' }, state: ctx.ret.id, intro: spec.intro(ctx), fields: spec.fields(ctx) };
}

/** A form rebuilt from its state alone (a platform reading a submission back): the same fields, read from the return. */
async function shell(deps: FeatureDeps, spec: SmallForm, state: string | undefined): Promise<Form> {
  const ret = state ? await loadReturn(deps.db, state).catch(() => undefined) : undefined;
  const round = ret ? await loadRound(deps.db, ret.roundId) : undefined;
  const ctx = { ret: ret ?? ({ dueOn: '2000-01-03', agencyName: '', answers: null, moderation: null, response: null } as unknown as ReturnView), round: round ?? ({ title: '', settings: { standards: [], scale: [] } } as unknown as RoundView), moderatedBy: undefined, now: DateTime.fromMillis(0), calendar: new WorkingCalendar() };
  return { ...buildForm(spec, ctx), state: state ?? '' };
}

export function smallFormButtons(deps: FeatureDeps): Record<string, ActionHandler> {
  return Object.fromEntries(forms.map((spec) => [spec.button, (async (r) => {
    const ctx = await context(deps, r.profile!, r.now, r.value ?? '', spec);
    if (ctx.round.status !== 'open') return { kind: 'notice', message: note(`${ctx.round.title} is closed: its returns can no longer change.`) };
    const closed = spec.closed?.(ctx);
    if (closed) return { kind: 'notice', message: note(closed) };
    return { kind: 'form', form: buildForm(spec, ctx) };
  }) satisfies ActionHandler]));
}

export function smallFormHandlers(deps: FeatureDeps): Record<string, FormHandler> {
  return Object.fromEntries(forms.map((spec) => [spec.callbackId, {
    build: (state) => shell(deps, spec, state),
    async submit(s) {
      const ctx = await context(deps, s.profile!, s.now, s.state ?? '', spec);
      if (s.intent === 'close') return { kind: 'close', notice: note('Nothing was sent.') };
      const form = buildForm(spec, ctx);
      const errors: FieldErrors = validateFields(form.fields, s.values);
      const v = (id: string) => (s.values[id] ?? '').trim();
      if (Object.keys(errors).length === 0) spec.check?.(ctx, v, errors);
      if (Object.keys(errors).length > 0) return { kind: 'errors', errors, form: withTyped(form, s.values) };
      try {
        const outcome = await spec.run(deps, s.profile!, ctx, v);
        return { kind: 'done', notice: note(outcome.line) };
      } catch (error) {
        // A rule the service checks (no longer waiting for sign-off, a date) shows beside the first field, the answers kept.
        if (error instanceof BotError && error.code === 'invalid_input' && !error.refusal && form.fields[0]) return { kind: 'errors', errors: { [form.fields[0].id]: error.userMessage }, form: withTyped(form, s.values) };
        throw error;
      }
    },
  } satisfies FormHandler]));
}

function withTyped(form: Form, values: FormValues): Form {
  return { ...form, fields: form.fields.map((f) => (values[f.id] !== undefined ? { ...f, initial: values[f.id] } : f)) };
}
