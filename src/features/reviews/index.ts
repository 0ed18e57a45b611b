import { defineFeature } from '../contract.js';
import { reviewActions, reviewFormHandlersAll } from './actions.js';
import { sendReviewCatchUp } from './catch-up.js';
import { reviewCommand } from './commands.js';
import { reviewTimers } from './timers.js';
import { reviewsSection } from './schema.js';

/** Rapid-review notifications: routed privately to the Practice Review Group, on the statutory clocks, to a decision and its follow-through. */
export const reviewsFeature = defineFeature({
  name: 'reviews',
  commands: [
    {
      name: 'review',
      usage: 'review notify | review list | review status <number> | review ack <number>',
      summary: 'Rapid reviews: notify a serious incident, SAR referral or DHR privately to the Practice Review Group, and follow its clocks',
    },
  ],
  configSection: reviewsSection,
  models: ['RapidReview', 'RapidReviewAck', 'RapidReviewAgency', 'RapidReviewEvent', 'RapidReviewMilestone', 'RapidReviewLeadChoice'],
  install(deps) {
    return {
      commands: { review: reviewCommand(deps) },
      actions: reviewActions(deps),
      forms: reviewFormHandlersAll(deps),
      timers: reviewTimers(deps),
      onMemberReachable: async (memberId) => void (await sendReviewCatchUp(deps, memberId)),
    };
  },
});
