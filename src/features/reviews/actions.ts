import { invalidInput } from '../../core/errors.js';
import type { ActionHandler, ActionRequest, ActionResult, FormHandler } from '../../interactions/types.js';
import type { Message } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { agencyCard, leadCard, privateTo } from './cards.js';
import { reviewClocks } from './clocks.js';
import { REVIEW_TYPES, reviewButtons, reviewForms, type ReviewType } from './model.js';
import { groupCardNow } from './notify.js';
import { notifyFormHandler } from './notify-form.js';
import { reviewFormButtons, reviewFormHandlers } from './review-forms.js';
import { inReviewScope } from './scope.js';
import { confirmChronology } from './service-agency.js';
import { chooseLead } from './service-decide.js';
import { acknowledgeReview, type Outcome } from './service-group.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

/** A button's value: the review id, and after a colon what it is about (an agency id, a process). */
function valueOf(request: ActionRequest): [string, string] {
  const [id = '', about = ''] = (request.value ?? '').split(':');
  if (!id) throw invalidInput('That button is missing its review.');
  return [id, about];
}

/** The pressed card now reads as `card`; an unchanged outcome also gets a line of its own. */
const answered = (outcome: Outcome, card: Message): ActionResult => (outcome.changed ? { kind: 'card', card } : { kind: 'card', card, notice: note(outcome.line) });

export function reviewActions(deps: FeatureDeps): Record<string, ActionHandler> {
  const scoped = <T>(r: ActionRequest, work: Parameters<typeof inReviewScope<T>>[2]) => inReviewScope(deps, r.profile!.partnershipId, work);
  return {
    [reviewButtons.acknowledge]: async (r) => {
      const outcome = await acknowledgeReview(deps, r.profile!, { id: valueOf(r)[0] });
      return answered(outcome, await scoped(r, (scope) => groupCardNow(scope, outcome.review, outcome.line, r.profile!.memberId)));
    },
    [reviewButtons.confirmSent]: async (r) => {
      const [id, agencyId] = valueOf(r);
      const outcome = await confirmChronology(deps, r.profile!, id, agencyId);
      const card = await scoped(r, async (scope) => {
        const dueOn = reviewClocks(outcome.review, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn ?? outcome.review.awareOn;
        return privateTo([r.profile!.memberId], agencyCard(outcome.review, agencyId, dueOn, scope.calendar, outcome.line));
      });
      return answered(outcome, card);
    },
    [reviewButtons.lead]: async (r) => {
      const [id, process] = valueOf(r);
      if (!(REVIEW_TYPES as readonly string[]).includes(process)) throw invalidInput('That is not one of the processes for this case.');
      const outcome = await chooseLead(deps, r.profile!, { id }, process as ReviewType);
      return answered(outcome, privateTo([r.profile!.memberId], leadCard(outcome.review, outcome.line)));
    },
    ...reviewFormButtons(deps),
  };
}

export function reviewFormHandlersAll(deps: FeatureDeps): Record<string, FormHandler> {
  return { [reviewForms.notify]: notifyFormHandler(deps), ...reviewFormHandlers(deps) };
}
