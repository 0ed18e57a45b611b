import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPartnershipFile } from '../../src/app/partnership-file.js';
import { ManualClock } from '../../src/core/clock.js';
import { importPartnership } from '../../src/directory/import-partnership.js';
import { eventually, examplePartnership, startBot, type BotHarness } from '../support/bot-harness.js';
import { TeamsUser } from '../support/teams-chat.js';

// A Teams client can edit an Action.Execute payload before sending it. Every cycle button and form takes an id from
// that payload, so each must refuse an id from another partnership (or a made-up one) politely and show nothing of it.
const warwickshire = { tenant: '7984d20d-b49c-4ed7-94e1-a5a84800aafd', hannah: 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', priya: '332f0bee-a12b-413a-b038-eaad91eca375' };
const dudley = { tenant: '4c43f719-932f-4ee0-8b68-381262e6a677', andrea: '2e1a1593-d6a9-41ca-8732-1be9c0e4a222' };
const dudleyTitle = 'Dudley protocol review 2026';

let bot: BotHarness;

beforeEach(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await importPartnership(bot.db, await loadPartnershipFile(examplePartnership('dudley')));
});
afterEach(async () => {
  await bot?.stop();
});

const hannah = () => new TeamsUser(bot, warwickshire.hannah, warwickshire.tenant, 'Hannah');
const priya = () => new TeamsUser(bot, warwickshire.priya, warwickshire.tenant, 'Priya');
const andrea = () => new TeamsUser(bot, dudley.andrea, dudley.tenant, 'Andrea');
const shown = (answer: { value: unknown }) => JSON.stringify(answer.value);

async function startCycleAs(user: TeamsUser, command: string, slug: string) {
  await user.say(command);
  const { id: partnershipId } = await bot.db.partnership.findUniqueOrThrow({ where: { slug } });
  return eventually(async () => (await bot.db.cycle.findFirst({ where: { partnershipId }, include: { stages: { orderBy: { seq: 'asc' } } } })) ?? undefined, 10_000, `${slug} cycle`);
}

/** Everything about Dudley's cycle a refused press must leave exactly as it was. */
async function dudleyState(cycleId: string) {
  return {
    cycle: await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId }, include: { stages: { orderBy: { seq: 'asc' } } } }),
    requests: await bot.db.extensionRequest.findMany({ orderBy: { id: 'asc' } }),
    snoozes: await bot.db.stageSnooze.count(),
    audit: await bot.db.auditEvent.count({ where: { partnershipId: (await bot.db.partnership.findUniqueOrThrow({ where: { slug: 'dudley' } })).id } }),
  };
}

/** A polite refusal that shows nothing of Dudley's cycle and is not a "something went wrong". */
function expectRefused(answer: { type: string; value: unknown }, what: RegExp, label: string) {
  expect(answer.type, label).toBe('application/vnd.microsoft.activity.message');
  const text = shown(answer);
  expect(text, label).toMatch(what);
  expect(text, label).not.toMatch(/went wrong|protocol|Dudley|circulated|#1/i);
}

describe('ids taken from an edited card payload', () => {
  it("are refused when they belong to another partnership's cycle, do not exist, or are not ids at all", async () => {
    const ours = await startCycleAs(hannah(), 'cycle start focus-review "Neglect focus review" 2026-09-07', 'warwickshire');
    // The protocol takes effect in January: its first stage (four months before) opens today and is not yet overdue.
    const theirs = await startCycleAs(andrea(), `cycle start protocol-review "${dudleyTitle}" 2027-01-07`, 'dudley');
    const theirStage = theirs.stages[0]!;
    expect(theirStage.status).toBe('open');
    const asked = await andrea().press('form:stage.more-time', { state: theirStage.id, proposedDueOn: '2026-10-21', reason: 'Waiting for the chairs' });
    expect(shown(asked)).toMatch(/Request (sent|saved): move/);
    const theirRequest = await bot.db.extensionRequest.findFirstOrThrow();
    const before = await dudleyState(theirs.id);

    const forged = (own: string) => [own, randomUUID(), 'junk', "'; drop table cycle; --"];

    // Hannah is an admin and the lead of Warwickshire's cycle: she may do all of this to her own cycle, none of it to Dudley's.
    for (const value of forged(theirs.id)) {
      expectRefused(await hannah().press('cycle.open', { value }), /That cycle no longer exists\./, `open cycle ${value}`);
      expectRefused(await hannah().press('cycle.resume', { value }), /That cycle no longer exists\./, `resume ${value}`);
      expectRefused(await hannah().press('cycle.cancel', { value }), /That cycle no longer exists\./, `cancel ${value}`);
    }
    for (const value of forged(theirStage.id)) {
      for (const verb of ['stage.done', 'stage.snooze.1d', 'stage.snooze.3d', 'stage.snooze.1w', 'stage.more-time', 'stage.note']) {
        expectRefused(await hannah().press(verb, { value }), /That stage no longer exists\./, `${verb} ${value}`);
      }
      // A hand-made form submission: even a date problem must not reveal the other stage's due date.
      expectRefused(await hannah().press('form:stage.more-time', { state: value, proposedDueOn: '2026-09-08', reason: 'x' }), /That stage no longer exists\./, `more-time form ${value}`);
      expectRefused(await hannah().press('form:stage.more-time', { state: value, proposedDueOn: '2026-10-21', reason: 'x' }), /That stage no longer exists\./, `more-time form ${value}`);
      expectRefused(await hannah().press('form:stage.note', { state: value, note: 'Overwritten?' }), /That stage no longer exists\./, `note form ${value}`);
    }
    for (const value of forged(theirRequest.id)) {
      expectRefused(await hannah().press('extension.approve', { value }), /That request no longer exists\./, `approve ${value}`);
      expectRefused(await hannah().press('extension.decline', { value }), /That request no longer exists\./, `decline ${value}`);
    }
    expect(await dudleyState(theirs.id)).toEqual(before);

    // Her own cycle still answers every one of these buttons.
    const open = await hannah().press('cycle.open', { value: ours.id });
    expect(shown(open)).toContain('Neglect focus review');
    const done = await priya().press('stage.done', { value: ours.stages[0]!.id });
    expect(shown(done)).toContain('Done by');
    const cancelled = await hannah().press('cycle.cancel', { value: ours.id });
    expect(shown(cancelled)).toContain('Cancelled cycle #1');
  }, 90_000);
});
