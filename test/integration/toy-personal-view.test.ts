import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { teamsAdaptiveCardInvoke, teamsCardActionData } from '../support/teams-activities.js';
import { TeamsUser } from '../support/teams-chat.js';
import { startToyBot, swindonTenant } from '../support/toy-bot.js';

// Universal Actions user-specific views, end to end through the toy feature: a member's finished survey goes to the
// Executive's Teams channel as a read-only card whose `refresh` lists that member alone; Teams then asks the bot for
// each listed viewer's own version (an adaptiveCard/action invoke with trigger "automatic"), and only theirs has
// "Edit answers".
const tenant = swindonTenant;
const margaretAad = '8c366179-e510-44e4-99e0-41545576021f'; // the Independent Chair
const executiveChannel = '19:4c1e9a7b2d3f4e5a8b6c0d1e2f3a4b5c@thread.tacv2';
const clock = new ManualClock(DateTime.fromISO('2027-03-01T10:00', { zone: 'Europe/London' }).toUTC());

type Card = Record<string, any>;
type InvokeAnswer = { statusCode: number; type: string; value: any };

let bot: BotHarness;
let rachel: TeamsUser;
let margaret: TeamsUser;

beforeAll(async () => {
  ({ bot, rachel } = await startToyBot(clock));
  // As if the app had been added to the Executive's channel: the bot can post there.
  await bot.db.conversationRef.create({
    data: { conversationId: executiveChannel, scope: 'channel', tenantId: tenant, serviceUrl: bot.connector.serviceUrl, reference: { conversation: { id: executiveChannel } } },
  });
  margaret = new TeamsUser(bot, margaretAad, tenant, 'Margaret Okafor');
});
afterAll(async () => {
  await bot?.stop();
});

const teamsIdOf = (user: TeamsUser) => `29:${user.aadObjectId}`;

/** An Action.Execute from `user` on a card in the Executive's channel: pressed, or sent by Teams itself as a refresh. */
async function invokeInChannel(user: TeamsUser, verb: string, data: Record<string, unknown>, trigger: 'manual' | 'automatic'): Promise<InvokeAnswer> {
  const activity = teamsAdaptiveCardInvoke({
    serviceUrl: bot.connector.serviceUrl,
    conversationId: executiveChannel,
    conversationType: 'channel',
    tenantId: tenant,
    fromId: teamsIdOf(user),
    fromName: user.name,
    fromAadObjectId: user.aadObjectId,
    verb,
    data,
  });
  activity.value = { ...(activity.value as object), trigger };
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  expect(res.status).toBe(200);
  return (await res.json()) as InvokeAnswer;
}

/** What Teams sends when `user`'s client refreshes `card` by itself. */
function refreshAsTeams(user: TeamsUser, card: Card): Promise<InvokeAnswer> {
  return invokeInChannel(user, card.refresh.action.verb, card.refresh.action.data ?? {}, 'automatic');
}

function expectCardAnswer(answer: InvokeAnswer): Card {
  expect(answer.statusCode).toBe(200);
  expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
  expectValidAdaptiveCard(answer.value);
  return answer.value as Card;
}

/** Presses the form's main button (Next, then Submit on the review page) with what Rachel typed. */
async function submitPage(card: unknown, typed: Record<string, string> = {}): Promise<InvokeAnswer> {
  const action = teamsCardActionData(card, { typed });
  expect(action, 'the form has a main button').toBeDefined();
  return rachel.press(action!.verb, action!.data);
}

/** Rachel fills in the whole survey, starting from the form card `card`. */
async function finishSurvey(card: unknown, name: string): Promise<void> {
  const details = expectCardAnswer(await submitPage(card, { name }));
  const review = expectCardAnswer(await submitPage(details, { colour: 'blue', size: '30' }));
  expect(visibleCardText(review)).toContain(name);
  expect(JSON.stringify(await submitPage(review))).toContain(`${name} (blue) is recorded`);
}

const answersCards = () => bot.connector.sentActivities(executiveChannel).filter((a) => JSON.stringify(a).includes('Toy survey answers'));
const cardIn = (activity: { attachments?: { contentType: string; content?: unknown }[] }) =>
  activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as Card;

describe('a card each member sees their own way (Teams user-specific views)', () => {
  let sent: Card;

  it('goes to the channel read-only, refreshing automatically for the member who answered and nobody else', async () => {
    expect(await rachel.ask('toy')).toContain('Toy survey');
    const form = cardIn(bot.connector.sentActivities(rachel.conversationId).at(-1)!);
    await finishSurvey(form, 'Rocket');

    const posted = await eventually(() => answersCards()[0], 10_000, 'the answers card in the channel');
    sent = cardIn(posted);
    expectValidAdaptiveCard(sent);
    expect(sent.refresh.userIds).toEqual([teamsIdOf(rachel)]);
    expect(sent.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'toy.answers.view' });
    const text = visibleCardText(sent);
    expect(text).toContain('Rachel Whitmore finished the toy survey.');
    expect(text).toContain('Rocket');
    expect(text).not.toContain('Edit answers');
  });

  it('refreshes into the answerer’s own card, with Edit answers, and keeps refreshing for her', async () => {
    const own = expectCardAnswer(await refreshAsTeams(rachel, sent));
    expect(visibleCardText(own)).toContain('Edit answers');
    expect(visibleCardText(own)).toContain('Rocket');
    expect(own.refresh.userIds).toEqual([teamsIdOf(rachel)]);
  });

  it('answers the same refresh from anyone else with the read-only card, and posts nothing into the channel', async () => {
    const before = bot.connector.sentActivities(executiveChannel).length;
    const theirs = expectCardAnswer(await refreshAsTeams(margaret, sent));
    expect(visibleCardText(theirs)).toContain('Rocket');
    expect(visibleCardText(theirs)).not.toContain('Edit answers');
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.connector.sentActivities(executiveChannel)).toHaveLength(before);
  });

  it('refuses Edit answers politely to anyone but the answerer, and changes nothing', async () => {
    const own = expectCardAnswer(await refreshAsTeams(rachel, sent));
    const edit = teamsCardActionData(own, { intent: 'submit' });
    expect(edit?.verb).toBe('toy.answers.edit');
    const refused = await invokeInChannel(margaret, edit!.verb, edit!.data, 'manual');
    expect(refused).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Only Rachel Whitmore can edit these answers.' });
    expect(await bot.db.formDraft.count()).toBe(0);
  });

  it('reopens the survey for the answerer with her answers, and a second finish updates the channel card in place', async () => {
    const own = expectCardAnswer(await refreshAsTeams(rachel, sent));
    const edit = teamsCardActionData(own)!;
    const form = expectCardAnswer(await invokeInChannel(rachel, edit.verb, edit.data, 'manual'));
    expect(JSON.stringify(form)).toContain('"value":"Rocket"');

    await finishSurvey(form, 'Comet');
    const update = await bot.connector.waitFor((r) => r.operation === 'updateActivity' && r.conversationId === executiveChannel, { timeoutMs: 10_000 });
    const updated = cardIn(update.body as never);
    expectValidAdaptiveCard(updated);
    expect(visibleCardText(updated)).toContain('Comet');
    expect(visibleCardText(updated)).not.toContain('Edit answers');
    // The personal view survives the update: Teams refreshes Rachel's copy again, now with the new answers.
    expect(updated.refresh.userIds).toEqual([teamsIdOf(rachel)]);
    expect(visibleCardText(expectCardAnswer(await refreshAsTeams(rachel, updated)))).toContain('Comet');
    expect(answersCards()).toHaveLength(1);
  });
});
