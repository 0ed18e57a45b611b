import type { FeatureDeps } from '../../src/features/contract.js';
import { loadDraft } from '../../src/forms/drafts.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import { memberTargets } from '../../src/messaging/recipients.js';
import type { TimerHandler } from '../../src/scheduler/timer-handlers.js';
import { toyFormKey, toySubject } from './model.js';

/** The nudge: only while a draft is still waiting (finishing the survey silences it: state, not job deletion). */
export function toyNudge(deps: FeatureDeps): TimerHandler {
  return async ({ tx, timer, afterCommit }) => {
    const memberId = timer.subjectId;
    const draft = await loadDraft(deps.db, { formKey: toyFormKey, subjectKey: toySubject(memberId) });
    if (!draft) return;
    const target = (await memberTargets(tx, [memberId], deps.platforms)).get(memberId);
    if (!target) return;
    const text = 'Your toy survey is waiting: type `toy` to carry on where you left off.';
    const id = await enqueueOutbound(tx, { key: `${timer.key}:sent`, target, message: { title: 'Toy survey', text, sections: [{ kind: 'text', text }] } });
    afterCommit(() => deps.pushOutbox([id]));
  };
}
