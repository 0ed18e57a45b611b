import { invalidInput } from '../../core/errors.js';
import { validateFields } from '../../forms/validate.js';
import type { ActionHandler, ActionRequest, ActionResult, FormHandler } from '../../interactions/types.js';
import type { Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { CycleDeps } from './context.js';
import { answerWithConfirm, auditConfirmedFalsePositive, guardWithConfirm, withConfirmFieldToRead } from '../../forms/identifying-confirm.js';
import { canActOnStage } from './policy.js';
import { ownStageId } from './ownership.js';
import { loadStage } from './repository.js';
import { closeWithMissingCard, decodeReturnFormState, encodeReturnFormState, figureFieldId, returnActions, returnForm, returnFormKey, settledReturnCard } from './returns-cards.js';
import { loadReturnView } from './returns-lifecycle.js';
import { returnsSummary } from './returns-model.js';
import { loadReturn } from './returns-repository.js';
import { recordReturn, returnToAnswer, type ReturnOutcome } from './returns-service.js';
import { markStageDone, refusal } from './service-stage.js';
import { loadStageView } from './stage-view.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

function confirmation(outcome: ReturnOutcome, how: string): string {
  const progress = outcome.progress ? ` ${outcome.stageName}: ${returnsSummary(outcome.progress)}.` : '';
  const done = outcome.stageDone ? ' That was the last one: the stage is done and the next one opens.' : '';
  return `Thank you: ${outcome.agencyName}'s return for "${outcome.stageName}" is recorded${how}.${progress}${done}`;
}

async function settledCardOf(deps: CycleDeps, returnId: string, now: ActionRequest['now']): Promise<Message> {
  const ret = (await loadReturn(deps.db, returnId))!;
  const { cycle, stage } = await loadStage(deps.db, ret.stageId);
  return settledReturnCard(await loadReturnView(deps.db, ret, cycle, stage, await partnershipCalendar(deps.db, cycle.partnershipId), now));
}

/**
 * Mark done on a stage still waiting for agencies' returns: the owner is told who is missing and asked to confirm.
 * Undefined when nothing is awaited (Mark done goes ahead as usual).
 */
export async function closeWithMissingPrompt(deps: CycleDeps, r: ActionRequest, stageId: string): Promise<ActionResult | undefined> {
  const { cycle, stage } = await loadStage(deps.db, await ownStageId(deps.db, r.profile!, stageId));
  if (stage.status !== 'open') return undefined;
  const awaited = await deps.db.stageReturn.count({ where: { stageId: stage.id, status: 'awaited' } });
  if (awaited === 0) return undefined;
  if (!canActOnStage(r.profile!, cycle, stage)) throw refusal('close this stage', stage.id);
  const view = await loadStageView(deps.db, stage, cycle, await partnershipCalendar(deps.db, cycle.partnershipId), r.now);
  return { kind: 'notice', message: closeWithMissingCard(view) };
}

/** Submit return (the form), Sent by secure email, and the owner's Close with returns missing. */
export function returnInteractions(deps: CycleDeps): { actions: Record<string, ActionHandler>; forms: Record<string, FormHandler> } {
  const actions: Record<string, ActionHandler> = {};

  actions[returnActions.submit] = async (r) => {
    const { ret, spec, stageName, problem } = await returnToAnswer(deps.db, r.profile!, r.value);
    if (problem) return { kind: 'notice', message: note(problem) };
    if (spec.as !== 'form') return { kind: 'notice', message: note(`"${stageName}" asks for returns by secure email: press Sent by secure email once it has gone.`) };
    return { kind: 'form', form: returnForm(encodeReturnFormState(ret.id, spec), ret.agencyName) };
  };

  actions[returnActions.secureEmail] = async (r) => {
    if (!r.value) throw invalidInput('That button is missing its return.');
    const outcome = await recordReturn(deps, r.profile!, r.value, { method: 'secure-email' });
    return { kind: 'card', card: await settledCardOf(deps, r.value, r.now), notice: note(confirmation(outcome, ' as sent by secure email')) };
  };

  actions[returnActions.closeStage] = async (r) => {
    if (!r.value) throw invalidInput('That button is missing its stage.');
    const closed = await markStageDone(deps, r.profile!, r.value);
    const { stage } = await loadStage(deps.db, r.value);
    if (!closed) return { kind: 'notice', message: note(`"${stage.name}" was already closed. Nothing was changed.`) };
    const missing = (await deps.db.stageReturn.findMany({ where: { stageId: stage.id, status: 'missing' }, include: { agency: { select: { name: true } } } })).map((m) => m.agency.name);
    return { kind: 'notice', message: note(`Closed "${stage.name}". Recorded as missing in the audit log: ${missing.join(', ') || 'none'}.`) };
  };

  const form: FormHandler = {
    build: (state) => withConfirmFieldToRead(returnForm(state ?? '')),
    async submit(s) {
      const state = decodeReturnFormState(s.state);
      if (!state) return { kind: 'close', notice: note('That form is out of date. Please open it again from the card.') };
      // Who may send is checked against the stored return, never the form's own state; what is asked comes from the plan.
      const { ret, spec, problem } = await returnToAnswer(deps.db, s.profile!, state.returnId);
      if (problem) return { kind: 'done', notice: note(problem) };
      const shown = returnForm(encodeReturnFormState(ret.id, spec), ret.agencyName);
      const guard = guardWithConfirm(s.values, spec.narrative ? ['narrative'] : [], validateFields(shown.fields, s.values));
      const narrative = spec.narrative ? (s.values.narrative ?? '').trim() : undefined;
      if (Object.keys(guard.errors).length > 0) return answerWithConfirm(shown, guard.errors, guard, s.values);
      const figures = Object.fromEntries(spec.figures.map((f) => [f.key, Number((s.values[figureFieldId(f.key)] ?? '').trim())]));
      const outcome = await recordReturn(deps, s.profile!, ret.id, { method: 'form', figures, narrative });
      await auditConfirmedFalsePositive(deps.db, {
        partnershipId: s.profile!.partnershipId, actor: s.profile!.displayName, actorMemberId: s.profile!.memberId,
        action: 'cycle.return.identifying.confirmed', subjectType: 'stage-return', subjectId: ret.id, fields: guard.confirmed,
      });
      return { kind: 'done', notice: note(confirmation(outcome, '')) };
    },
  };
  return { actions, forms: { [returnFormKey]: form } };
}
