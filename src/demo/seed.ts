// The demo partnership starts mid-flight so every feature has something to show on first open.
import { DateTime } from 'luxon';
import type { Services } from '../app/services.js';
import { featureDepsOf } from '../app/install-features.js';
import { loadMemberProfile } from '../directory/member-lookup.js';
import { partnershipCalendar } from '../workflow/partnership-calendar.js';
import type { CyclePlan } from '../features/cycles/model.js';
import { plansOf } from '../features/cycles/repository.js';
import { planStages } from '../features/cycles/schedule.js';
import { startCycle } from '../features/cycles/service-cycle.js';
import type { DemoClock } from './demo-clock.js';

export interface DemoStoryContext {
  partnershipId: string;
  /** The member the Playground signs in as (Alex Demo in Swindon). */
  homeMemberId: string | undefined;
  /** The demo clock (already carrying any offset saved by an earlier run). */
  clock: DemoClock;
}

const preferredPlans = ['multi-agency-audit', 'focus-review'];

/**
 * Seeds the demo story, once: a QA cycle in its second stage, the first stage three working days overdue (so
 * chasers and the chair's escalation are due) and the second with its reminders waiting. Idempotent: a
 * partnership that already has a cycle is left alone.
 */
export async function seedDemoStory(services: Services, context: DemoStoryContext): Promise<void> {
  if ((await services.db.cycle.count({ where: { partnershipId: context.partnershipId } })) > 0) return;
  const profile = context.homeMemberId ? await loadMemberProfile(services.db, context.homeMemberId) : undefined;
  const plans = await plansOf(services.db, context.partnershipId);
  const plan = preferredPlans.map((key) => plans.find((p) => p.key === key)).find(Boolean) ?? plans.find((p) => p.stages.length >= 3);
  if (!profile || !plan) {
    services.logger.info({ partnershipId: context.partnershipId }, 'demo story: no member or plan to seed a cycle with');
    return;
  }
  const calendar = await partnershipCalendar(services.db, context.partnershipId);
  const startOn = startInSecondStage(plan, calendar, context.clock.now());
  const { cycle } = await startCycle(featureDepsOf(services), profile, { planKey: plan.key, title: `${plan.name}: neglect (demo)`, startOn });
  services.logger.info({ cycle: cycle.number, plan: plan.key, startOn }, 'demo story: seeded a cycle in its second stage');
}

/** A start date that puts today in the plan's second stage with the first stage three working days overdue. */
function startInSecondStage(plan: CyclePlan, calendar: Awaited<ReturnType<typeof partnershipCalendar>>, now: DateTime): string {
  const today = now.setZone(calendar.zone).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  for (let back = 1; back <= 120; back++) {
    const start = calendar.addWorkingDays(today, -back);
    const [first, second] = planStages(plan, start, calendar);
    if (!first || !second) break;
    const late = calendar.workingDaysBetween(DateTime.fromISO(first.dueOn, { zone: calendar.zone }).set({ hour: 12 }), today);
    if (late === 3 && second.opensOn <= today.toISODate()! && today.toISODate()! < second.dueOn) return start.toISODate()!;
  }
  return calendar.addWorkingDays(today, -18).toISODate()!;
}
