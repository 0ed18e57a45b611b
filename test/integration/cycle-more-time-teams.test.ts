import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { visibleCardText, actionData } from '../support/card-text.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// "Ask for more time" in Teams, as a hub member and their chair meet it: the form names the stage and its due date,
// offers dates written the British way, can be cancelled, and gives the reminder card back (Mark done, Snooze) once
// sent; it cannot be sent twice, says truthfully who decides, and the chair finds the request with `requests`.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const aad = {
  hannah: 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', // business manager and admin
  priya: '332f0bee-a12b-413a-b038-eaad91eca375', // hubs member: owns the stage
  george: '7e81bf37-5d7e-43f5-b4c9-923e8aeab89b', // another hubs member: owns the stage too
  gillian: '8029eb27-7a26-47d8-9be3-e6ebecc7af1f', // chairs the hubs
  steve: '989dfeb3-bc1b-4cb4-ba1c-f812bd9bca78', // a member outside the hubs, not an admin
  elizabeth: '1ddfd7fc-4c52-4391-9f84-ff2ed4342b45', // the independent chair (`demo as chair` in the demo)
} as const;
type Person = keyof typeof aad;

let bot: BotHarness;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z'));
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterEach(async () => {
  await bot?.stop();
});

const user = (who: Person) => new TeamsUser(bot, aad[who], tenant, who);
const memberId = async (who: Person) => (await bot.db.member.findFirstOrThrow({ where: { teamsAadObjectId: aad[who] } })).id;
const reason = 'Two agencies have not yet returned their audits';

async function startFocusReview(): Promise<string> {
  await user('hannah').say('cycle start focus-review "Neglect focus review" 2026-09-07');
  const cycle = await eventually(async () => (await bot.db.cycle.findFirst({ include: { stages: true } })) ?? undefined, 5000, 'cycle started');
  await outboxDrained(bot, 20_000);
  return cycle.stages.find((s) => s.key === 'scoping')!.id;
}

/** Moves the clock to `to`, lets every timer due by then fire, and waits for their messages to go. */
async function advanceTo(iso: string): Promise<void> {
  clock.set(DateTime.fromISO(iso));
  await bot.runtime.reconcileNow();
  await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now().toJSDate() } } })) === 0, 10_000, `timers due by ${iso}`);
  await outboxDrained(bot, 20_000);
}


const seen = (answer: { value: unknown }) => visibleCardText(answer.value);
/** Every button on a card, wherever it sits. */
const allButtons = (card: unknown) => [...JSON.stringify(card).matchAll(/"type":"Action\.\w+","title":"([^"]+)"/g)].map((m) => m[1]);
const buttons = (answer: { value: unknown }) => ((answer.value as { actions?: { title: string }[] }).actions ?? []).map((a) => a.title);
const submit = (scopingId: string, date: string) => user('priya').press('form:stage.more-time', { state: scopingId, proposedDueOn: date, reason });

describe('ask for more time in Teams', () => {
  it('shows the stage, its due date and British dates, cancels back to the reminder, and once sent cannot be sent again', async () => {
    const scopingId = await startFocusReview();

    const form = await user('priya').press('stage.more-time', { value: scopingId });
    expect(form.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(form.value);
    expect(seen(form)).toContain('Month 1: initial scoping');
    expect(seen(form)).toContain('is due Wed 7 Oct 2026');
    expect(seen(form)).toContain('Wed 21 Oct 2026'); // a date to pick, as people here write it
    expect(seen(form)).not.toMatch(/October \d+, 2026/);
    expect(buttons(form)).toEqual(['Send request', 'Cancel']);

    const cancelled = await user('priya').press('form:stage.more-time', { state: scopingId, intent: 'close' });
    expectValidAdaptiveCard(cancelled.value);
    expect(seen(cancelled)).toContain('Mark done');
    expect(seen(cancelled)).toContain('Snooze 1 day');
    expect(seen(cancelled)).not.toContain('Send request');
    expect(await bot.db.extensionRequest.count()).toBe(0);

    const sent = await submit(scopingId, '2026-10-21');
    expect(sent.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(sent.value);
    expect(seen(sent)).toContain('Request sent: move "Month 1: initial scoping" from Wed 7 Oct 2026 to Wed 21 Oct 2026. Sent to Gillian Ashworth (chair of');
    expect(seen(sent)).toContain('Mark done'); // the reminder card is back, not the form
    expect(seen(sent)).toContain('Snooze 1 week');
    expect(seen(sent)).not.toContain('Send request');
    expect(await bot.db.extensionRequest.findFirstOrThrow()).toMatchObject({ proposedDueOn: '2026-10-21', approverId: await memberId('gillian'), status: 'pending' });

    // The same form sent again (a double click, a replayed card), and the button pressed again: refused kindly.
    const again = await submit(scopingId, '2026-10-28');
    // Priya is the one who asked: she is told so in the second person.
    expect(seen(again)).toContain('You have already asked for more time on "Month 1: initial scoping" (to Wed 21 Oct 2026); it is waiting for Gillian Ashworth\'s decision. Nothing new was sent.');
    const reopened = await user('priya').press('stage.more-time', { value: scopingId });
    expect(reopened.type).toBe('application/vnd.microsoft.activity.message');
    expect(JSON.stringify(reopened.value)).toContain('You have already asked for more time');
    // Someone else who owns the stage is told who asked.
    const george = await user('george').press('stage.more-time', { value: scopingId });
    expect(JSON.stringify(george.value)).toContain('Priya Sandhu has already asked for more time on \\"Month 1: initial scoping\\"');
    expect(await bot.db.extensionRequest.count()).toBe(1);
  }, 60_000);

  it('a chair who cannot be reached is named, the business manager is asked instead, and the chair can still decide from `requests`', async () => {
    const scopingId = await startFocusReview();
    await bot.db.conversationRef.deleteMany({ where: { aadObjectId: aad.gillian } });

    const sent = await submit(scopingId, '2026-10-21');
    expect(seen(sent)).toContain('Gillian Ashworth (chair of');
    expect(seen(sent)).toContain('cannot be reached in chat yet, so it went to Hannah');
    expect(seen(sent)).toContain(', the business manager, to decide.');
    const request = await bot.db.extensionRequest.findFirstOrThrow();
    expect(request.approverId).toBe(await memberId('hannah'));
    await eventually(() => user('hannah').cards().some((c) => c.includes('More time requested: Month 1: initial scoping')), 10_000, 'the business manager is asked');

    expect(await user('steve').ask('requests')).toContain('Nothing to decide');
    expect(await user('priya').ask('requests')).toContain('Nothing to decide'); // her own request is not hers to decide
    // The independent chair holds every group's work to account: she finds it too.
    expect(await user('elizabeth').ask('requests')).toContain('Month 1: initial scoping');

    // Gillian messages the bot and looks for what waits for her.
    const listed = await user('gillian').ask('requests');
    expect(listed).toContain('Requests for more time');
    expect(listed).toContain('Month 1: initial scoping');
    expect(listed).toContain('Wed 21 Oct 2026');
    expect(listed).toContain(reason);
    expect(listed).toContain('Approve');
    expect(listed).toContain('Decline');

    // Approve pressed on the list: the list itself now shows the outcome, and its buttons are gone.
    const list = (JSON.parse(user('gillian').cards().filter((c) => c.includes('Requests for more time')).at(-1)!) as { attachments: { content: unknown }[] }).attachments[0]!.content;
    const approved = await user('gillian').press('extension.list.approve', actionData(list, 'extension.list.approve'));
    expect(approved.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(approved.value);
    expect(seen(approved)).toContain('Approved: "Month 1: initial scoping" has its new due date, and its reminders now count down to the new date.');
    expect(seen(approved)).toContain('Requests for more time');
    expect(seen(approved)).toMatch(/Approved by Gillian Ashworth, .+\. Now due Wed 21 Oct 2026\./);
    expect(seen(approved)).toContain('Nothing left to decide on this list.');
    expect(seen(approved)).not.toContain('waiting for your decision');
    expect(allButtons(approved.value)).toEqual([]);
    expect(JSON.stringify(approved.value)).not.toContain('extension.list.');
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: scopingId } })).dueOn).toBe('2026-10-21');
    // The same list pressed again (an old copy): answered kindly, nothing decided twice.
    const again = await user('gillian').press('extension.list.decline', actionData(list, 'extension.list.decline'));
    expect(seen(again)).toContain('was already decided');
    expect(seen(again)).toMatch(/Approved by Gillian Ashworth/);
    expect(await bot.db.extensionRequest.findFirstOrThrow()).toMatchObject({ status: 'approved' });
    expect(await user('gillian').ask('requests')).toContain('Nothing to decide');
  }, 60_000);

  it('nobody who decides can be reached: says so, sends nothing it claims to, and the request waits in `requests`', async () => {
    const scopingId = await startFocusReview();
    const deciders = await bot.db.member.findMany({ where: { OR: [{ teamsAadObjectId: aad.gillian }, { roles: { some: { role: { in: ['business_manager', 'admin'] } } } }] } });
    await bot.db.conversationRef.deleteMany({ where: { memberId: { in: deciders.map((m) => m.id) } } });

    const sent = await submit(scopingId, '2026-10-21');
    expect(seen(sent)).toContain('Gillian Ashworth (chair of');
    expect(seen(sent)).toContain('Request saved: move "Month 1: initial scoping"');
    expect(seen(sent)).toContain('cannot be reached in chat yet, so nothing was sent: the request waits in requests for the chair, the business manager or an admin.');
    expect(seen(sent)).not.toContain('Sent to');
  }, 60_000);

  it('overdue: offers dates from tomorrow only, and Cancel gives back the "Overdue" card as it was', async () => {
    await startFocusReview();
    await advanceTo('2026-10-12T08:00:00Z'); // Mon 12 Oct, 09:00 BST: Wed 7 Oct has passed
    const sent = user('priya').cards().filter((c) => c.includes('Overdue: Month 1: initial scoping')).at(-1);
    expect(sent, 'the overdue reminder reached Priya').toBeDefined();
    const overdue = (JSON.parse(sent!) as { attachments: { content: unknown }[] }).attachments[0]!.content;

    const form = await user('priya').press('stage.more-time', actionData(overdue, 'stage.more-time'));
    expectValidAdaptiveCard(form.value);
    expect(seen(form)).toContain('Tue 13 Oct 2026'); // tomorrow is the first date offered
    for (const past of ['Thu 8 Oct 2026', 'Fri 9 Oct 2026', 'Mon 12 Oct 2026']) expect(seen(form)).not.toContain(past);
    expect(seen(form)).toContain('A working day after today (Wed 7 Oct 2026 has passed).');

    // A date already past, sent by hand, is refused beside the field and nothing is asked.
    const past = await user('priya').press('form:stage.more-time', { state: actionData(form.value, 'form:stage.more-time').state, proposedDueOn: '2026-10-09', reason });
    expect(seen(past)).toContain('Pick a date after today.');
    expect(await bot.db.extensionRequest.count()).toBe(0);

    const cancelled = await user('priya').press('form:stage.more-time', { state: actionData(form.value, 'form:stage.more-time').state, intent: 'close' });
    expectValidAdaptiveCard(cancelled.value);
    // The same card: same title, text and buttons (only the count of days overdue is today's).
    const asSeen = (card: unknown) => visibleCardText(card).replace(/\(\d+ working days? overdue\)/, '(… overdue)');
    expect(seen(cancelled)).toMatch(/^Overdue: Month 1: initial scoping/);
    expect(asSeen(cancelled.value)).toBe(asSeen(overdue));
    expect(allButtons(cancelled.value)).toEqual(['Mark done', 'Snooze 1 day', 'Snooze 3 days', 'Snooze 1 week', 'Ask for more time', 'Open cycle']);
    expect(allButtons(cancelled.value)).toEqual(allButtons(overdue));
    expect(seen(cancelled)).not.toContain('is 3 working days overdue');
  }, 60_000);
});
