import { invalidInput } from '../../core/errors.js';
import type { ActionHandler, ActionRequest, FormHandler } from '../../interactions/types.js';
import type { Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { partyCard } from './cards.js';
import { chairCardNow } from './notify.js';
import { smallFormButtons, smallFormHandlers } from './dispute-forms.js';
import { disputeButtons, disputeForms } from './model.js';
import { raiseFormHandler } from './raise-form.js';
import { riskActions, riskForms } from './risk-actions.js';
import { acknowledgeDispute } from './service-chair.js';
import { confirmOutcome, declineOutcome, type Outcome } from './service-resolve.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

function disputeIdOf(request: ActionRequest): string {
  if (!request.value) throw invalidInput('That button is missing its dispute.');
  return request.value;
}

/** The pressed card now shows the dispute as it stands, with the outcome of the press as a line on top. */
async function answered(deps: FeatureDeps, request: ActionRequest, outcome: Outcome, as: 'party' | 'chair' = 'party') {
  const calendar = await partnershipCalendar(deps.db, request.profile!.partnershipId);
  const card = as === 'party'
    ? partyCard(outcome.dispute, request.now, calendar, outcome.line)
    : await chairCardNow(deps.db, outcome.dispute, request.now, calendar, outcome.line);
  return outcome.changed ? { kind: 'card' as const, card } : { kind: 'card' as const, card, notice: note(outcome.line) };
}

/** The dispute cards' buttons (Confirm / Not agreed, and those that open a form), and the risk register's. */
export function disputeActions(deps: FeatureDeps): Record<string, ActionHandler> {
  return {
    [disputeButtons.confirm]: async (r) => answered(deps, r, await confirmOutcome(deps, r.profile!, { id: disputeIdOf(r) })),
    [disputeButtons.decline]: async (r) => answered(deps, r, await declineOutcome(deps, r.profile!, { id: disputeIdOf(r) })),
    [disputeButtons.acknowledge]: async (r) => answered(deps, r, await acknowledgeDispute(deps, r.profile!, { id: disputeIdOf(r) }), 'chair'),
    ...smallFormButtons(deps),
    ...riskActions(deps),
  };
}

export function disputeFormHandlers(deps: FeatureDeps): Record<string, FormHandler> {
  return {
    [disputeForms.raise]: raiseFormHandler(deps),
    ...smallFormHandlers(deps),
    ...riskForms(deps),
  };
}
