// The demo's rapid review: a serious child safeguarding incident the partnership became aware of three working days
// ago, notified to the Practice Review Group with its clocks running, so `demo as prg-member` (and Alex, who is in the
// group and leads the council's returns) sees the private card, the clocks and a chronology to confirm.
import type { Services } from '../app/services.js';
import { featureDepsOf } from '../app/install-features.js';
import { loadMemberProfile } from '../directory/member-lookup.js';
import { partnershipCalendar } from '../workflow/partnership-calendar.js';
import { acknowledgeReview } from '../features/reviews/service-group.js';
import { notifyReview } from '../features/reviews/service-notify.js';
import type { DemoStoryContext } from './seed.js';

/** Seeds the rapid-review story once: nothing happens when the partnership already has a review. */
export async function seedDemoReviews(services: Services, context: DemoStoryContext): Promise<void> {
  const { db } = services;
  const partnershipId = context.partnershipId;
  if ((await db.rapidReview.count({ where: { partnershipId } })) > 0) return;
  const memberByKey = async (key: string) => {
    const row = await db.member.findFirst({ where: { partnershipId, key, active: true }, select: { id: true } });
    return row ? loadMemberProfile(db, row.id) : undefined;
  };
  const notifier = await memberByKey('claire-donovan');
  const chair = await memberByKey('fiona-grant');
  const agencies = await db.agency.findMany({ where: { partnershipId, key: { in: ['swindon-borough-council', 'wiltshire-police'] } }, select: { id: true } });
  if (!notifier || agencies.length === 0) {
    services.logger.info({ partnershipId }, 'demo story: no members to seed a rapid review with');
    return;
  }
  const calendar = await partnershipCalendar(db, partnershipId);
  const today = context.clock.now().setZone(calendar.zone).set({ hour: 12 });
  const awareOn = calendar.addWorkingDays(today, -3).toISODate()!;
  const deps = featureDepsOf(services);
  const { review } = await notifyReview(deps, notifier, {
    type: 'child', caseRef: 'SW-RR-2031', awareOn, nationalNotifiedOn: calendar.addWorkingDays(today, -2).toISODate()!,
    agencyIds: agencies.map((a) => a.id), jointWith: undefined,
    summary: 'A child known to early help was seriously injured at home. School and health had raised concerns in the last year; a strategy discussion was held the same day.',
  });
  if (chair) await acknowledgeReview(deps, chair, { id: review.id });
  services.logger.info({ review: review.number }, 'demo story: seeded an open rapid review with its clocks running');
}
