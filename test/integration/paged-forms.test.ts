// A two-page form with a draft, driven through both platforms' HTTP endpoints (real PostgreSQL; Slack's Web API and
// the Bot Connector faked): Next and Back in a Slack modal, closing it keeps a draft that reopens in Teams, two
// people editing one subject get a conflict notice instead of overwriting each other, and submitting the review
// page runs the feature and deletes the draft.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../src/app/features.js';
import { teamsUserIdsOf } from '../../src/platforms/teams/personal-refresh.js';
import { ManualClock } from '../../src/core/clock.js';
import type { FormValues } from '../../src/messaging/message.js';
import { eventually, slackSigningSecret, startBot, type BotHarness } from '../support/bot-harness.js';
import { expectValidAdaptiveCard, expectWithinBlockKitLimits } from '../support/card-validation.js';
import { visibleCardText } from '../support/card-text.js';
import {
  blockActionsBody,
  eventCallbackBody,
  modalViewPayload,
  postSignedSlackRequest,
  slackViewStateValues,
  slashCommandBody,
  viewClosedBody,
  viewSubmissionBody,
  type SlackRequest,
} from '../support/slack-requests.js';
import { teamsCardActionData } from '../support/teams-activities.js';
import { TeamsUser } from '../support/teams-chat.js';
import { toyPagedForm } from '../support/toy-paged-form.js';

const TENANT = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const TEAM = 'T0SWIND01';
const rachel = { slack: 'U0SWRWHIT', aad: '8108105a-1981-43ce-bbdc-73e877fb8cf8' }; // Rachel Whitmore, business manager
const tom = { slack: 'U0SWTASHD', aad: 'f644390f-ecef-40bd-a2f6-7448099fcda7' }; // Tom Ashdown
// 14:02 in London (GMT) on a Tuesday.
const clock = new ManualClock(DateTime.fromISO('2026-03-10T14:02:00Z'));
const toy = toyPagedForm();
let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock, features: [...features, toy.feature], env: { DELIVERY_RATE_PER_SECOND: '500' } });
});
afterAll(async () => {
  await bot?.stop();
});

const nextTrigger = () => `trigger-${Date.now()}-${++trigger}`;
const postSlack = (request: SlackRequest) => postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
const draftOf = (subject: string) => bot.db.formDraft.findUnique({ where: { formKey_subjectKey: { formKey: 'toy.return', subjectKey: subject } } });
const memberId = async (key: string) => (await bot.db.member.findFirstOrThrow({ where: { key } })).id;
type View = Record<string, any>;

/** Opens the form with the slash command; returns the modal as Slack stored it (id, hash). */
async function slackOpen(userId: string, subject: string): Promise<View> {
  const triggerId = nextTrigger();
  const before = bot.slackApi.callsTo('views.open').length;
  expect((await postSlack(slashCommandBody({ text: `toyreturn ${subject}`, userId, teamId: TEAM, triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) }))).status).toBe(200);
  const call = await bot.slackApi.waitFor('views.open', { count: before + 1 });
  return (call.response as { view: View }).view;
}

/** Submits the modal `view` (the one Slack shows now) with `typed`; returns the HTTP answer Slack gets. */
async function slackSubmit(userId: string, shown: View, typed: FormValues, viewId: string): Promise<any> {
  const res = await postSlack(viewSubmissionBody({ userId, teamId: TEAM, viewId, callbackId: shown.callback_id, privateMetadata: shown.private_metadata, values: slackViewStateValues(shown, typed) }));
  expect(res.status).toBe(200);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

const slackText = (view: View) => JSON.stringify(view.blocks);

describe('a paged form with a draft', () => {
  it('pages a Slack modal with Next and Back, keeps the draft when closed, and reopens it in Teams', async () => {
    const opened = await slackOpen(rachel.slack, 'r1');
    expectWithinBlockKitLimits(opened);
    expect(opened.notify_on_close).toBe(true);
    expect(slackText(opened)).toContain('Step 1 of 3');

    // Page 1 with mistakes: Slack shows the errors under the fields and keeps the modal as typed.
    const refused = await slackSubmit(rachel.slack, opened, { summary: undefined, staff: '2.5' }, opened.id);
    expect(refused).toEqual({ response_action: 'errors', errors: { summary: 'Summary is required.', staff: 'Staff trained must be a whole number.' } });
    expect(await draftOf('toy:r1')).toBeNull();

    const page2 = (await slackSubmit(rachel.slack, opened, { summary: 'Level 3 training for all leads', staff: '40' }, opened.id)) as { response_action: string; view: View };
    expect(page2.response_action).toBe('update');
    expectWithinBlockKitLimits(page2.view);
    expect(slackText(page2.view)).toContain('Step 2 of 3');
    expect(slackText(page2.view)).toContain('Tom Ashdown'); // the member picker lists the directory
    expect(await draftOf('toy:r1')).toMatchObject({ page: 1, version: 1, values: { summary: 'Level 3 training for all leads', staff: '40' } });

    // Back from page 2 keeps what was typed there, unvalidated, and redraws the same modal with page 1.
    const tomId = await memberId('tom-ashdown');
    const inSlack: View = { ...page2.view, id: opened.id, hash: opened.hash };
    const back = blockActionsBody({
      userId: rachel.slack,
      teamId: TEAM,
      actions: [{ actionId: 'form.back', blockId: 'nav' }],
      triggerId: nextTrigger(),
      view: modalViewPayload({ viewId: opened.id, hash: opened.hash, callbackId: inSlack.callback_id, privateMetadata: inSlack.private_metadata, blocks: inSlack.blocks, values: slackViewStateValues(inSlack, { lead: tomId, areas: undefined }) }),
    });
    expect((await postSlack(back)).status).toBe(200);
    const update = await bot.slackApi.waitFor('views.update');
    expect(update.body).toMatchObject({ view_id: opened.id, hash: opened.hash });
    const page1Again = update.body.view as View;
    expect(slackText(page1Again)).toContain('Step 1 of 3');
    expect(slackText(page1Again)).toContain('Level 3 training for all leads');
    expect(await draftOf('toy:r1')).toMatchObject({ page: 0, version: 2, values: { lead: tomId } });

    // Next again, then the modal is closed on page 2 with new answers typed: Slack reports view_closed.
    const page2Again = (await slackSubmit(rachel.slack, page1Again, {}, opened.id)) as { view: View };
    expect(slackText(page2Again.view)).toContain('Step 2 of 3');
    const closed = viewClosedBody({ userId: rachel.slack, teamId: TEAM, viewId: opened.id, callbackId: page2Again.view.callback_id, privateMetadata: page2Again.view.private_metadata, values: slackViewStateValues(page2Again.view, { areas: 'neglect,exploitation' }) });
    expect((await postSlack(closed)).status).toBe(200);
    await eventually(async () => (await draftOf('toy:r1'))?.version === 4, 5000, 'draft saved on close');
    expect(await draftOf('toy:r1')).toMatchObject({ page: 1, values: { summary: 'Level 3 training for all leads', staff: '40', lead: tomId, areas: 'neglect,exploitation' } });
    const dm = await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes('saved as a draft'), { timeoutMs: 10_000 });
    expect(JSON.stringify(dm.body.blocks)).toContain('Carry on');

    // The same person types the command in Teams: the form card opens at page 2 with every answer.
    const teams = new TeamsUser(bot, rachel.aad, TENANT, 'Rachel Whitmore');
    expect(await teams.say('toyreturn r1')).toBeLessThan(300);
    const activity = await eventually(() => bot.connector.sentActivities(teams.conversationId).find((a) => JSON.stringify(a).includes('Toy return')), 5000, 'form card in Teams');
    const card = activity.attachments?.[0]?.content as View;
    expectValidAdaptiveCard(card);
    expect(visibleCardText(card)).toContain('Step 2 of 3');
    const inputs = JSON.stringify(card);
    expect(inputs).toContain(`"value":"${tomId}"`);
    expect(inputs).toContain('"value":"neglect,exploitation"');

    // Her chat with the bot is now known, so cards can be refreshed personally for her (Universal Actions).
    expect(await teamsUserIdsOf(bot.db, [await memberId('rachel-whitmore'), tomId])).toEqual([`29:${rachel.aad}`]);
  });

  it('shows the later of two editors who changed the answers first, and never overwrites them', async () => {
    const rachelInTeams = new TeamsUser(bot, rachel.aad, TENANT, 'Rachel Whitmore');
    await rachelInTeams.say('toyreturn r2');
    const rachelCard = (await eventually(() => bot.connector.sentActivities(rachelInTeams.conversationId).find((a) => JSON.stringify(a).includes('toy:r2')), 5000, 'Rachel’s card')).attachments![0]!.content as View;

    // Tom opens the same return in Slack and saves page 1 first.
    const tomView = await slackOpen(tom.slack, 'r2');
    await slackSubmit(tom.slack, tomView, { summary: 'Tom’s summary', staff: '12' }, tomView.id);
    expect(await draftOf('toy:r2')).toMatchObject({ version: 1, values: { summary: 'Tom’s summary' } });

    // Rachel's Next started from no draft at all: her page is not saved, and she is told who changed it and when.
    const next = teamsCardActionData(rachelCard, { typed: { summary: 'Rachel’s summary', staff: '7' } })!;
    const conflict = await rachelInTeams.press(next.verb, next.data);
    expect(conflict.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(conflict.value);
    expect(visibleCardText(conflict.value)).toContain('Changed by Tom Ashdown at 14:02: your page was not saved.');
    expect(JSON.stringify(conflict.value)).toContain('Rachel’s summary'); // what she typed is still on screen
    expect(await draftOf('toy:r2')).toMatchObject({ version: 1, values: { summary: 'Tom’s summary', staff: '12' } });

    // Reload shows Tom's answers; her Next from there saves on top of his version.
    const reload = teamsCardActionData(conflict.value, { intent: 'reload' })!;
    expect(Object.keys(reload.data).sort()).toEqual(['intent', 'state']);
    const reloaded = await rachelInTeams.press(reload.verb, reload.data);
    expect(visibleCardText(reloaded.value)).toContain('Reloaded: these are the latest answers. Changed by Tom Ashdown at 14:02.');
    expect(JSON.stringify(reloaded.value)).toContain('Tom’s summary');
    const onTop = teamsCardActionData(reloaded.value, { typed: { staff: '13' } })!;
    const page2 = await rachelInTeams.press(onTop.verb, onTop.data);
    expect(visibleCardText(page2.value)).toContain('Step 2 of 3');
    expect(await draftOf('toy:r2')).toMatchObject({ version: 2, page: 1, values: { summary: 'Tom’s summary', staff: '13' } });
  });

  it('shows every answer on the review page, runs the feature on submit and deletes the draft', async () => {
    const teams = new TeamsUser(bot, tom.aad, TENANT, 'Tom Ashdown');
    await teams.say('toyreturn r3');
    const first = (await eventually(() => bot.connector.sentActivities(teams.conversationId).find((a) => JSON.stringify(a).includes('toy:r3')), 5000, 'form card')).attachments![0]!.content as View;
    const p1 = teamsCardActionData(first, { typed: { summary: 'All agencies audited', staff: '5' } })!;
    const second = await teams.press(p1.verb, p1.data);
    // A required answer missing on page 2: the page comes back with the error and what was typed.
    const missing = teamsCardActionData(second.value, { typed: { areas: 'neglect' } })!;
    const refused = await teams.press(missing.verb, missing.data);
    expect(visibleCardText(refused.value)).toContain('Lead is required.');
    expect(JSON.stringify(refused.value)).toContain('"value":"neglect"');

    const rachelId = await memberId('rachel-whitmore');
    const p2 = teamsCardActionData(refused.value, { typed: { lead: rachelId, areas: 'neglect,early-help' } })!;
    const review = await teams.press(p2.verb, p2.data);
    expectValidAdaptiveCard(review.value);
    const text = visibleCardText(review.value);
    for (const shown of ['Step 3 of 3', 'All agencies audited', 'Rachel Whitmore (Swindon Borough Council)', 'Neglect, Early help', 'Send return']) expect(text).toContain(shown);

    const send = teamsCardActionData(review.value)!;
    const done = await teams.press(send.verb, send.data);
    expect(done).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: 'Return received. Thank you.' });
    expect(toy.completed.at(-1)).toEqual({ subject: 'toy:r3', values: { summary: 'All agencies audited', staff: '5', lead: rachelId, areas: 'neglect,early-help' } });
    expect(await draftOf('toy:r3')).toBeNull();
  });

  it('drops a NUL character typed into an answer (PostgreSQL refuses it) and keeps the rest of what was typed', async () => {
    const opened = await slackOpen(rachel.slack, 'r5');
    const page2 = (await slackSubmit(rachel.slack, opened, { summary: 'Level 3\u0000 training', staff: '40' }, opened.id)) as { response_action: string; view: View };
    expect(page2.response_action).toBe('update');
    expect(slackText(page2.view)).toContain('Step 2 of 3');
    expect(await draftOf('toy:r5')).toMatchObject({ page: 1, values: { summary: 'Level 3 training', staff: '40' } });
  });

  it('answers a form command in a Slack DM with a button that opens the modal', async () => {
    const dm = eventCallbackBody({ teamId: TEAM, event: { type: 'message', channel_type: 'im', channel: 'D0RACHEL01', user: rachel.slack, text: 'toyreturn r4', ts: '1700000000.000200' } });
    expect((await postSlack(dm)).status).toBe(200);
    const posted = await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D0RACHEL01', { timeoutMs: 10_000 });
    const button = (posted.body.blocks as View[]).flatMap((b) => b.elements ?? []).find((e: View) => e.action_id === 'form.open');
    expect(button?.text.text).toBe('Open form');
    const before = bot.slackApi.callsTo('views.open').length;
    const triggerId = nextTrigger();
    await postSlack(blockActionsBody({ userId: rachel.slack, teamId: TEAM, triggerId, actions: [{ actionId: 'form.open', value: button.value }], responseUrl: bot.slackApi.responseUrl(triggerId) }));
    const opened = await bot.slackApi.waitFor('views.open', { count: before + 1 });
    expect(opened.body).toMatchObject({ trigger_id: triggerId, view: { callback_id: 'toy.return' } });
    expect(slackText(opened.body.view as View)).toContain('Step 1 of 3');
  });
});
