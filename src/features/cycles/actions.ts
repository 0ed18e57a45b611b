import { invalidInput } from '../../core/errors.js';
import type { ActionHandler, ActionRequest, ActionResult, FormHandler } from '../../interactions/types.js';
import type { Form, Message } from '../../messaging/message.js';
import { cycleActions } from './commands.js';
import type { CycleDeps } from './context.js';
import { extensionActions } from './extension-cards.js';
import { formatDay, formatDayTime } from './format.js';
import { cycleStatusCardById } from './queries.js';
import { changeCycle } from './service-cycle.js';
import { addStageNote, decideExtension, refusal, markStageDone, snoozeStage, type SnoozeLength } from './service-stage.js';
import { moreTimeFormHandler, moreTimeFormId, openMoreTimeForm } from './extension-form.js';
import { stageActions } from './stage-cards.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import { canActOnStage } from './policy.js';
import { ownStageId } from './ownership.js';
import { loadStage } from './repository.js';
import { loadStageView } from './stage-view.js';
import { settledStageCard } from './stage-cards.js';
import { closeWithMissingPrompt, returnInteractions } from './returns-actions.js';
import { readListButton, requestListActions, requestListNow } from './requests-command.js';

const notice = (text: string): ActionResult => ({ kind: 'notice', message: { text, sections: [{ kind: 'text', text }] } });
const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

export const stageForms = { moreTime: moreTimeFormId, note: 'stage.note' } as const;

function noteForm(stageId: string): Form {
  return {
    callbackId: stageForms.note,
    title: 'Add a note',
    submitLabel: 'Save note',
    intro: 'A short note for the record (case references only).',
    state: stageId,
    fields: [{ kind: 'longText', id: 'note', label: 'Note', required: true, maxLength: 1000 }],
  };
}

async function doneCard(deps: CycleDeps, stageId: string, now: ActionRequest['now']): Promise<Message> {
  const { cycle, stage } = await loadStage(deps.db, stageId);
  const view = await loadStageView(deps.db, stage, cycle, await partnershipCalendar(deps.db, cycle.partnershipId), now);
  const card = settledStageCard(view);
  if (stage.status !== 'done') return card;
  return { ...card, sections: [...card.sections.filter((s) => s.kind !== 'actions'), { kind: 'actions', actions: [{ id: stageActions.addNote, label: 'Add a note', value: stageId }, { id: stageActions.openCycle, label: 'Open cycle', value: cycle.id }] }] };
}

/** The buttons on stage, cycle and extension cards, and the forms they open. */
export function cycleInteractions(deps: CycleDeps): { actions: Record<string, ActionHandler>; forms: Record<string, FormHandler> } {
  const actions: Record<string, ActionHandler> = {};
  const forms: Record<string, FormHandler> = {};
  const on = {
    action: (id: string, handler: ActionHandler) => void (actions[id] = handler),
    form: (id: string, handler: FormHandler) => void (forms[id] = handler),
  };
  const requireValue = (r: ActionRequest) => {
    if (!r.value) throw invalidInput('That button is missing its stage.');
    return r.value;
  };

  on.action(stageActions.done, async (r) => {
    const stageId = requireValue(r);
    const missingReturns = await closeWithMissingPrompt(deps, r, stageId);
    if (missingReturns) return missingReturns;
    const changed = await markStageDone(deps, r.profile!, stageId);
    const card = await doneCard(deps, stageId, r.now);
    if (changed) return { kind: 'card', card };
    const { stage } = await loadStage(deps.db, stageId);
    const why = stage.status === 'done' ? 'That stage was already marked done.' : 'That stage was cancelled with its cycle, so there is nothing to mark done. Nothing was changed.';
    return { kind: 'card', card, notice: note(why) };
  });

  for (const [id, length] of [[stageActions.snooze1d, '1d'], [stageActions.snooze3d, '3d'], [stageActions.snooze1w, '1w']] as const) {
    on.action(id, async (r) => {
      const { until, dueOn, zone } = await snoozeStage(deps, r.profile!, requireValue(r), length as SnoozeLength);
      return notice(`Snoozed: no reminders about this stage to you until ${formatDayTime(until, zone)}. The due date stays ${formatDay(dueOn, zone)}.`);
    });
  }

  // Someone who could not submit the form is refused before it opens.
  const mayActOn = async (r: ActionRequest, stageId: string, what: string) => {
    const { cycle, stage } = await loadStage(deps.db, await ownStageId(deps.db, r.profile!, stageId));
    if (!canActOnStage(r.profile!, cycle, stage)) throw refusal(what, stage.id);
  };
  on.action(stageActions.moreTime, openMoreTimeForm(deps));
  on.action(stageActions.addNote, async (r) => {
    const stageId = requireValue(r);
    await mayActOn(r, stageId, 'add a note to this stage');
    return { kind: 'form', form: noteForm(stageId) };
  });

  on.action(stageActions.openCycle, async (r) => ({ kind: 'notice', message: await cycleStatusCardById(deps.db, r.profile!, r.value ?? '', r.now) }));

  const decided = (stageName: string, approve: boolean, changed: boolean) =>
    !changed ? `The request for more time on "${stageName}" was already decided.` : approve ? `Approved: "${stageName}" has its new due date, and its reminders now count down to the new date.` : `Declined: "${stageName}" keeps its due date.`;
  for (const [id, approve] of [[extensionActions.approve, true], [extensionActions.decline, false]] as const) {
    on.action(id, async (r) => {
      const { changed, stageName } = await decideExtension(deps, r.profile!, requireValue(r), approve);
      return notice(decided(stageName, approve, changed));
    });
  }
  // On the `requests` list, the pressed list is redrawn: the decided request shows its outcome, the others keep their buttons.
  for (const [id, approve] of [[requestListActions.approve, true], [requestListActions.decline, false]] as const) {
    on.action(id, async (r) => {
      const button = readListButton(r.value);
      if (!button) throw invalidInput('That button no longer works. Type `requests` again.');
      const { changed, stageName } = await decideExtension(deps, r.profile!, button.request, approve);
      return { kind: 'card', card: await requestListNow(deps.db, r.profile!, button.shown), notice: note(decided(stageName, approve, changed)) };
    });
  }

  on.action(cycleActions.resume, async (r) => {
    const cycle = await changeCycle(deps, r.profile!, requireValue(r), 'resume');
    return notice(`Resumed cycle #${cycle.number}: reminders are back on.`);
  });
  on.action(cycleActions.cancel, async (r) => {
    const cycle = await changeCycle(deps, r.profile!, requireValue(r), 'cancel');
    return notice(`Cancelled cycle #${cycle.number}. No more reminders will be sent for it.`);
  });

  on.form(stageForms.moreTime, moreTimeFormHandler(deps));

  on.form(stageForms.note, {
    build: (state) => noteForm(state ?? ''),
    async submit(s) {
      const text = (s.values.note ?? '').trim();
      if (!text) return { kind: 'errors', errors: { note: 'Write the note, or close this form.' } };
      await addStageNote(deps, s.profile!, s.state ?? '', text);
      return { kind: 'done', notice: note('Note saved with the stage.') };
    },
  });
  const returns = returnInteractions(deps);
  Object.assign(actions, returns.actions);
  Object.assign(forms, returns.forms);
  return { actions, forms };
}
