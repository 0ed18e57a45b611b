// The demo's disputes and risk register: one disagreement at stage 2 with the Playground user as a party, and a
// few scored risks, so `dispute list`, `dispute status 1` and `risks` have something to show on first open.
import type { Services } from '../app/services.js';
import { featureDepsOf } from '../app/install-features.js';
import { loadMemberProfile } from '../directory/member-lookup.js';
import { partnershipCalendar } from '../workflow/partnership-calendar.js';
import { raiseDispute } from '../features/disputes/service-raise.js';
import { escalateEarly } from '../features/disputes/service-resolve.js';
import { addRisk } from '../features/disputes/risk-service.js';
import type { DemoStoryContext } from './seed.js';

const risks = [
  { owner: 'andrew-collins', risk: 'Police attendance at initial child protection conferences below 80% this quarter', impact: 4, likelihood: 4, mitigation: 'Named deputy for each conference; attendance reported to the Executive monthly.', inWorkingDays: 10 },
  { owner: 'susan-carver', risk: 'Health partners cannot staff rapid reviews within 15 working days over the summer', impact: 5, likelihood: 2, mitigation: 'A rota of designated professionals agreed with the ICB.', inWorkingDays: 25 },
  { owner: 'demo-user', risk: 'Annual report data from two agencies arrives late', impact: 2, likelihood: 3, mitigation: 'Dataset deadline moved four weeks earlier; reminders through the bot.', inWorkingDays: 40 },
] as const;

/** Seeds the disputes story once: nothing happens when the partnership already has a dispute or a risk. */
export async function seedDemoDisputes(services: Services, context: DemoStoryContext): Promise<void> {
  const { db } = services;
  const partnershipId = context.partnershipId;
  if ((await db.dispute.count({ where: { partnershipId } })) + (await db.riskEntry.count({ where: { partnershipId } })) > 0) return;
  const byKey = async (key: string) => (await db.member.findFirst({ where: { partnershipId, key }, select: { id: true } }))?.id;
  const home = context.homeMemberId ? await loadMemberProfile(db, context.homeMemberId) : undefined;
  const otherId = await byKey('sarah-whitfield');
  const other = otherId ? await loadMemberProfile(db, otherId) : undefined;
  if (!home || !other) {
    services.logger.info({ partnershipId }, 'demo story: no members to seed a dispute with');
    return;
  }
  const deps = featureDepsOf(services);
  const dispute = await raiseDispute(deps, home, {
    otherPartyId: other.memberId, otherAgencyId: other.agency?.id, caseRef: 'SW-2291', urgent: false,
    subject: 'Who leads the joint visit on a neglect referral',
    tried: 'Two calls between the social worker and the police officer; both teams say the other leads.',
    outcomeSought: 'A joint visit this week, led by children\'s social care with a police officer present.',
  });
  await escalateEarly(deps, other, { id: dispute.id }, 'The team managers need to agree who leads before the visit.');

  const calendar = await partnershipCalendar(db, partnershipId);
  const today = context.clock.now().setZone(calendar.zone).set({ hour: 12 });
  for (const entry of risks) {
    const ownerId = await byKey(entry.owner);
    if (!ownerId) continue;
    const reviewOn = calendar.addWorkingDays(today, entry.inWorkingDays).toISODate()!;
    await addRisk(deps, home, { risk: entry.risk, impact: entry.impact, likelihood: entry.likelihood, ownerId, mitigation: entry.mitigation, reviewOn });
  }
  services.logger.info({ dispute: dispute.number, risks: risks.length }, 'demo story: seeded a dispute at stage 2 and the risk register');
}
