import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../src/app/features.js';
import { parsePartnershipFile } from '../../src/app/partnership-file.js';
import { importPartnership } from '../../src/directory/import-partnership.js';
import { ManualClock } from '../../src/core/clock.js';
import { WorkingCalendar } from '../../src/core/calendar.js';
import { eventually, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { TeamsUser } from '../support/teams-chat.js';
import { startToyBot } from '../support/toy-bot.js';
import { toyFeature } from '../toy-feature/index.js';
import { toyFormKey, toySubject } from '../toy-feature/model.js';
import { readFile } from 'node:fs/promises';
import { examplePartnership } from '../support/bot-harness.js';

// "Adding a feature means a new folder, one line in that list, and its migration": the toy feature in
// test/toy-feature/ (one command, one two-page form with a draft, one timer, one section of the partnership file)
// joins the bot by being added to the list, and nothing else changes.
const calendar = new WorkingCalendar();
// A Monday morning, so "two working days later" is a plain Wednesday whatever day the suite runs.
const clock = new ManualClock(DateTime.fromISO('2027-03-01T10:00', { zone: 'Europe/London' }).toUTC());

let bot: BotHarness;
let rachel: TeamsUser;
let memberId: string;

beforeAll(async () => {
  ({ bot, rachel } = await startToyBot(clock));
  memberId = (await bot.db.member.findFirstOrThrow({ where: { teamsAadObjectId: rachel.aadObjectId } })).id;
});
afterAll(async () => {
  await bot?.stop();
});

type Card = { actions?: { type: string; verb?: string; title?: string; data?: Record<string, unknown> }[]; body?: unknown[] };

/** The newest card the bot sent to Rachel's chat, or that answered her last press. */
function lastCard(): Card {
  const activities = bot.connector.sentActivities(rachel.conversationId);
  const card = activities.at(-1)?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as Card | undefined;
  expect(card).toBeDefined();
  return card!;
}

/** Presses the form's main button (Next, or Submit on the review page) with what Rachel typed. */
async function next(card: Card, typed: Record<string, string>): Promise<Card> {
  const actions = JSON.stringify(card).match(/"verb":"form:[^"]+"/g) ?? [];
  expect(actions.length, 'the form has an Action.Execute').toBeGreaterThan(0);
  const main = findMainAction(card);
  const answer = await rachel.press(main.verb!, { ...(main.data ?? {}), ...typed });
  expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
  expectValidAdaptiveCard(answer.value);
  return answer.value as Card;
}

function findMainAction(card: Card): { verb?: string; data?: Record<string, unknown> } {
  const all: { type: string; verb?: string; title?: string; data?: Record<string, unknown> }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.Execute' && typeof n.verb === 'string' && n.verb.startsWith('form:')) all.push(n as never);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  const main = all.find((a) => a.data?.intent === undefined || a.data?.intent === 'submit') ?? all[0];
  return main!;
}

const draftOf = () => bot.db.formDraft.findUnique({ where: { formKey_subjectKey: { formKey: toyFormKey, subjectKey: toySubject(memberId) } } });

describe('a toy feature plugs in by being added to the features list', () => {
  it('help lists its command beside the built-in ones', async () => {
    const help = await rachel.ask('help');
    expect(help).toContain('Fill in the toy survey');
    expect(help).toContain('cycle status');
  });

  it('the partnership file validates its section with the same precise errors, and refuses it without the feature', async () => {
    const swindon = await readFile(examplePartnership('swindon'), 'utf8');
    const withToy = `${swindon}\ntoy:\n  greeting: ${'x'.repeat(41)}\n`;
    const line = withToy.split('\n').length - 1;
    expect(() => parsePartnershipFile(withToy, 'swindon.yaml', [...features, toyFeature])).toThrow(`swindon.yaml:${line}:13 toy.greeting: keep the greeting under 40 characters`);
    expect(() => parsePartnershipFile(withToy, 'swindon.yaml', features)).toThrow(/swindon\.yaml:\d+:1 toy: unknown key "toy"/);
    expect(parsePartnershipFile(swindon, 'swindon.yaml', [...features, toyFeature]).toy).toEqual({ greeting: 'Hello' });

    // The directory stores the section as given, beside the other features' sections, without knowing what it is.
    await importPartnership(bot.db, parsePartnershipFile(`${swindon}\ntoy:\n  greeting: Good morning\n`, 'swindon.yaml', [...features, toyFeature]));
    const stored = await bot.db.partnership.findUniqueOrThrow({ where: { slug: 'swindon' }, select: { sections: true } });
    expect(stored.sections).toMatchObject({ toy: { greeting: 'Good morning' }, plans: expect.arrayContaining([expect.objectContaining({ key: expect.any(String) })]) });
  });

  it('its two-page form opens from the typed command, keeps a draft page by page, and finishes on the review page', async () => {
    expect(await rachel.ask('toy')).toContain('Toy survey');
    const page2 = await next(lastCard(), { name: 'Rocket' });
    expect(visibleCardText(page2)).toContain('Colour');
    expect((await draftOf())?.values).toMatchObject({ name: 'Rocket' });

    const review = await next(page2, { colour: 'blue', size: '30' });
    const summary = visibleCardText(review);
    expect(summary).toContain('Rocket');
    expect(summary).toContain('Blue');
    const done = await rachel.press(findMainAction(review).verb!, { ...(findMainAction(review).data ?? {}) });
    expect(JSON.stringify(done.value)).toContain('Rocket (blue) is recorded');
    expect(await draftOf()).toBeNull();
  });

  it('its timer nudges while a draft waits, and finishing the survey silences it', async () => {
    await rachel.ask('toy');
    await next(lastCard(), { name: 'Kite' });
    const due = calendar.atLocalTime(calendar.addWorkingDays(clock.now(), 2), '09:30');
    const timer = await bot.db.timer.findUniqueOrThrow({ where: { key: `toy:${memberId}:nudge` } });
    expect(timer.dueAt.toISOString()).toBe(due.toUTC().toISO());

    clock.set(due.plus({ minutes: 1 }).toUTC());
    await bot.runtime.reconcileNow();
    const nudged = await eventually(() => rachel.cards().find((c) => c.includes('Your toy survey is waiting')), 10_000, 'the nudge');
    expect(nudged).toBeDefined();

    // Opened again and finished before the next nudge: when it fires, there is nothing to nudge about.
    await rachel.ask('toy');
    const review = await next(lastCard(), { colour: 'red' });
    await rachel.press(findMainAction(review).verb!, { ...(findMainAction(review).data ?? {}) });
    expect(await draftOf()).toBeNull();
    const sentBefore = rachel.cards().filter((c) => c.includes('Your toy survey is waiting')).length;
    clock.set(calendar.atLocalTime(calendar.addWorkingDays(clock.now(), 3), '10:00').toUTC());
    await bot.runtime.reconcileNow();
    await eventually(async () => (await bot.db.timer.findUniqueOrThrow({ where: { key: `toy:${memberId}:nudge` } })).status === 'fired', 10_000, 'the second nudge timer to fire');
    await new Promise((r) => setTimeout(r, 300));
    expect(rachel.cards().filter((c) => c.includes('Your toy survey is waiting')).length).toBe(sentBefore);
  });
});
