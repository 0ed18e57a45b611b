// Shared assertions for rendered cards: the official Adaptive Cards SDK (no DOM needed for parse and
// validate) for Teams, and Slack's documented limits for Block Kit.
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { checkBlockKitLimits } from '../../src/platforms/slack/block-limits.js';

// The dist bundle loads under plain Node ESM as well as under vitest (lib/ uses extensionless imports).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Every problem the SDK reports while parsing (unknown types, bad enum values) and validating (ids, required props). */
export function adaptiveCardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card as object, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

export function expectValidAdaptiveCard(card: unknown): void {
  expect(adaptiveCardProblems(card), 'Adaptive Card SDK problems').toEqual([]);
}

/** Pass a message's `blocks` array or a modal view. */
export function expectWithinBlockKitLimits(blocksOrView: unknown): void {
  expect(checkBlockKitLimits(blocksOrView), 'Block Kit limit violations').toEqual([]);
}
