import type { MemberProfile } from '../../directory/identity.js';
import { listDeadLetters, reviveDeadLetters } from '../../messaging/dead-letters.js';
import type { Message } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { deadLetterListCard, retriedMessage } from './failed-cards.js';
import { MAX_LISTED } from './model.js';

/** `admin failed`: the partnership's dead letters. */
export async function failedList(deps: FeatureDeps, profile: MemberProfile): Promise<Message> {
  const { letters, total } = await listDeadLetters(deps.db, profile.partnershipId, MAX_LISTED);
  return deadLetterListCard(letters, total, profile.timezone);
}

/** Puts the dead letters back in the queue and says so; `ids` undefined: all of them. */
export async function retryFailed(deps: FeatureDeps, profile: MemberProfile, ids: readonly string[] | undefined): Promise<Message> {
  const revived = await reviveDeadLetters(deps.db, profile.partnershipId, ids, { memberId: profile.memberId, displayName: profile.displayName });
  if (revived.length > 0) await deps.requeueOutbox(revived).catch(() => undefined); // the reconcile queues them if this fails
  return retriedMessage(revived.length);
}

/** The id of the n-th dead letter as `admin failed` lists them (1 = newest). */
export async function nthFailed(deps: FeatureDeps, profile: MemberProfile, n: number): Promise<string | undefined> {
  const { letters } = await listDeadLetters(deps.db, profile.partnershipId, n);
  return letters[n - 1]?.id;
}
