// The demo partnership starts mid-flight so every feature has something to show on first open.
import type { Services } from '../app/services.js';
import type { DemoClock } from './demo-clock.js';

export interface DemoStoryContext {
  partnershipId: string;
  /** The member the Playground signs in as (Alex Demo in Swindon). */
  homeMemberId: string | undefined;
  /** The demo clock (already carrying any offset saved by an earlier run). */
  clock: DemoClock;
}

/**
 * Seeds the demo story. Must be idempotent: it runs on every `npm run demo`, after the directory import and
 * before anything is served, and a second run must find its work done (stable keys, upserts, skip if present).
 *
 * Today: nothing to seed yet. Next: a QA focus review in its second stage with a reminder waiting and a stage
 * overdue (once the QA-cycle feature lands in src/features/cycles); later a Section 11 round, an open rapid
 * review, a dispute at stage 2.
 */
export async function seedDemoStory(services: Services, context: DemoStoryContext): Promise<void> {
  services.logger.info({ partnershipId: context.partnershipId }, 'demo story: nothing to seed yet');
}
