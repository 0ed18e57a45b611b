import { invalidInput } from '../../core/errors.js';
import type { ActionHandler, ActionRequest, ActionResult } from '../../interactions/types.js';
import type { Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { doneCard } from './action-cards.js';
import { actionButtons } from './model.js';
import { markActionDone, reopenAction } from './service-actions.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });
const notice = (text: string): ActionResult => ({ kind: 'notice', message: note(text) });

function actionIdOf(request: ActionRequest): string {
  if (!request.value) throw invalidInput('That button is missing its action.');
  return request.value;
}

/** Mark done on an action's cards, and Undo after `actions done`. */
export function actionLogButtons(deps: FeatureDeps): Record<string, ActionHandler> {
  return {
    [actionButtons.done]: async (request) => {
      const profile = request.profile!;
      const { action, changed } = await markActionDone(deps, profile, { id: actionIdOf(request) });
      const card = doneCard(action, (await partnershipCalendar(deps.db, profile.partnershipId)).zone);
      return changed ? { kind: 'card', card } : { kind: 'card', card, notice: note(`Action #${action.number} was already marked done.`) };
    },
    [actionButtons.undo]: async (request) => {
      const { action, changed } = await reopenAction(deps, request.profile!, actionIdOf(request));
      return notice(changed
        ? `Undone: action #${action.number} is open again and its reminders are back on.`
        : `Action #${action.number} is ${action.status === 'open' ? 'already open' : action.status}; nothing was changed.`);
    },
  };
}
