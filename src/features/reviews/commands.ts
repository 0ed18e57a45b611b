import { invalidInput } from '../../core/errors.js';
import { rowNumber } from '../../core/row-number.js';
import { reply, type CommandHandler, type CommandRequest } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { Message } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { decisionCard, privateTo, receiptCard, reviewListCard, timelineItems } from './cards.js';
import { REVIEW_TYPES, type ReviewView } from './model.js';
import { notifyForm } from './notify-form.js';
import { groupCardNow } from './notify.js';
import { deciderIds, inGroup, jointChairIds } from './people.js';
import { listReviews, reviewTimeline } from './repository.js';
import { inReviewScope, reviewFor, type ReviewScope } from './scope.js';
import { acknowledgeReview } from './service-group.js';

const usage = usageCard('review', 'review notify | list | status | ack', [
  { title: 'review notify', detail: 'A form: a serious incident, a SAR referral, a DHR notification or a learning referral, sent privately to the Practice Review Group' },
  { title: 'review list', detail: 'Open reviews for your groups, and those you notified (`review list all` includes decided ones)' },
  { title: 'review status <number>', detail: 'One review: its clocks and history (details for the group\'s members only)' },
  { title: 'review ack <number>', detail: 'Acknowledge a review sent to your group' },
]);

const mine = (profile: MemberProfile, message: Message) => privateTo([profile.memberId], message);

function numberOf(word: string | undefined, example: string): number {
  const number = rowNumber(word);
  if (number === undefined) throw invalidInput(`Say which review, e.g. \`${example}\`. Type \`review list\` to see the numbers.`);
  return number;
}

/** Who else may see where a review stands (clocks, never the summary): its notifier, decision makers, joint chairs, the business unit. */
async function seesReceipt(scope: ReviewScope, profile: MemberProfile, r: ReviewView): Promise<'decider' | 'receipt' | undefined> {
  if ((await deciderIds(scope.tx, r.partnershipId, scope.policy, r.type)).includes(profile.memberId)) return 'decider';
  if (r.notifier.id === profile.memberId || isPartnershipAdmin(profile)) return 'receipt';
  return (await jointChairIds(scope.tx, r.partnershipId, scope.policy, r)).includes(profile.memberId) ? 'receipt' : undefined;
}

async function status(deps: FeatureDeps, profile: MemberProfile, words: string[], request: CommandRequest): Promise<Message> {
  const number = numberOf(words[0], 'review status 2');
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await reviewFor(scope.tx, profile, { number }, async (x) => inGroup(profile, x) || (await seesReceipt(scope, profile, x)) !== undefined);
    if (inGroup(profile, r)) {
      const card = await groupCardNow(scope, r, r.status === 'open' ? `Review #${r.number}: case ${r.caseRef}.` : `Review #${r.number} is ${r.status}.`, profile.memberId);
      return { ...card, sections: [...card.sections.filter((s) => s.kind !== 'actions'), { kind: 'list', title: 'History', items: timelineItems(await reviewTimeline(scope.tx, r.id), scope.calendar.zone) }, ...card.sections.filter((s) => s.kind === 'actions')] };
    }
    const heading = `Review #${r.number}: case ${r.caseRef}. The details are for the group's members only.`;
    return (await seesReceipt(scope, profile, r)) === 'decider' ? decisionCard(r, request.now, scope.calendar, heading) : receiptCard(r, request.now, scope.calendar, heading);
  });
}

/**
 * Open reviews for the member's groups, those they notified, those whose type they decide, and (for the business
 * unit) every one; listed by case reference and next clock, never the summary.
 */
async function list(deps: FeatureDeps, profile: MemberProfile, words: string[], request: CommandRequest): Promise<Message> {
  return inReviewScope(deps, profile.partnershipId, async ({ tx, calendar, policy }) => {
    const includeSettled = words[0]?.toLowerCase() === 'all';
    const decides = [];
    for (const type of REVIEW_TYPES) if ((await deciderIds(tx, profile.partnershipId, policy, type)).includes(profile.memberId)) decides.push(type);
    const lists = await Promise.all([
      listReviews(tx, profile.partnershipId, isPartnershipAdmin(profile) ? { includeSettled } : { groupKeys: profile.groups.map((g) => g.key), includeSettled }),
      listReviews(tx, profile.partnershipId, { notifierId: profile.memberId, includeSettled }),
      decides.length > 0 ? listReviews(tx, profile.partnershipId, { types: decides, includeSettled }) : [],
    ]);
    const reviews = [...new Map(lists.flat().map((r) => [r.id, r])).values()].sort((a, b) => b.number - a.number);
    return reviewListCard(includeSettled ? 'Reviews' : 'Open reviews', reviews, request.now, calendar, includeSettled ? 'There are no reviews for you to see.' : 'There are no open reviews for you. `review notify` starts one.');
  });
}

/** The `review` command. */
export function reviewCommand(deps: FeatureDeps): CommandHandler {
  return async (request) => {
    const profile = request.profile!;
    const [sub, ...rest] = request.args;
    switch ((sub ?? '').toLowerCase()) {
      case 'notify':
        return { kind: 'form', form: await notifyForm(deps, profile.partnershipId) };
      case 'list':
        return reply(mine(profile, await list(deps, profile, rest, request)));
      case 'status':
        return reply(mine(profile, await status(deps, profile, rest, request)));
      case 'ack':
      case 'acknowledge': {
        const outcome = await acknowledgeReview(deps, profile, { number: numberOf(rest[0], 'review ack 2') });
        return reply(mine(profile, { text: outcome.line, sections: [{ kind: 'text', text: outcome.line }] }));
      }
      default:
        return reply(usage);
    }
  };
}
