// Rapid-review notifications go only where they should. In Slack (Swindon): `review notify` opens a modal, the
// identifying-details guard answers in it (with the tick box for a false positive), and the notification reaches
// each Practice Review Group member privately (the notification text is the safe text only), the group's channel a
// short alert, the notifier a receipt; an acknowledgement pressed twice and retried by Slack counts once. In Teams
// (Walsall): every outbound message carrying the summary is private to the group's members and sent to one of them
// in a personal chat; anyone else is told a review they may not see does not exist, crafted buttons with its real id
// are refused and audited; the notifier and the decision makers see the clocks without the summary. Nothing typed
// into the notification (summary, case reference) reaches a log line on either platform.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { SAFE_TEXT } from '../../src/features/reviews/model.js';
import type { Message } from '../../src/messaging/message.js';
import type { OutboundTarget } from '../../src/messaging/outbound.js';
import { eventually, outboxDrained, slackSigningSecret, startBot, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { captureLog } from '../support/log-capture.js';
import { blockActionsBody, postSignedSlackRequest, signSlackRequest, slackViewStateValues, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

const zone = 'Europe/London';
const { lines: logLines, logger } = captureLog('trace');
const consoleLines: string[] = [];

// ---- Swindon, in Slack -------------------------------------------------------------------------------------------

const team = 'T0SWIND01';
const prgChannel = 'C0SWPRG001';
/** The Practice Review Group's members who have a Slack id (Emma Robinson and Kevin Moore are in Teams only). */
const prgSlack = { fiona: 'U0SWFGRAN', sarah: 'U0SWSWHIT', claire: 'U0SWCDONO', gareth: 'U0SWGLLOY', mark: 'U0SWMELLI', nadia: 'U0SWNRAHM', demo: 'U0DEMOUSER' } as const;
const notifierSlack = 'U0SWJPRIC'; // Joanne Price, Principal Social Worker: not in the group
const slackCaseRef = 'SW-CSPR-2027-017';
// A service's address, not a person's: the guard flags it (a street address), and the notifier confirms it is not identifying.
const slackSummary = 'Infant seen at 12 Market Street health centre with unexplained bruising; the GP practice raised concerns (ZQXSLACKSUMMARY).';

// ---- Walsall, in Teams -------------------------------------------------------------------------------------------

const tenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
const prgTeamsChannel = '19:d4b121b97bd7a499f658486df4fb9c56@thread.tacv2';
const teamsCaseRef = 'WS-CSPR-2027-0042';
const teamsSummary = 'A toddler was admitted with a head injury; nursery staff had recorded earlier bruises (ZQXTEAMSSUMMARY).';
const prgKeys = ['helen-ashby', 'kirsty-doyle', 'nicola-brooks', 'stuart-pemberton', 'gary-monk', 'sandra-mcbride', 'femi-adebayo', 'marcus-reid', 'lorna-steele', 'sharon-mcdermott'];

let slackBot: BotHarness;
let teamsBot: BotHarness;
let seq = 0;
const nextTrigger = () => `trigger-rr-${Date.now()}-${++seq}`;

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
  }
  const at = DateTime.fromISO('2027-03-15T10:00', { zone }).toUTC(); // Monday 15 March 2027
  [slackBot, teamsBot] = await Promise.all([
    startBot({ partnership: 'swindon', clock: new ManualClock(at), teams: false, logger, env: { DELIVERY_RATE_PER_SECOND: '500' } }),
    startBot({ partnership: 'walsall', clock: new ManualClock(at), slack: false, logger, env: { DELIVERY_RATE_PER_SECOND: '500' } }),
  ]);
  await giveEveryMemberATeamsChat(teamsBot, tenant);
  await teamsBot.db.conversationRef.create({
    data: { conversationId: prgTeamsChannel, scope: 'channel', tenantId: tenant, serviceUrl: teamsBot.connector.serviceUrl, reference: { conversation: { id: prgTeamsChannel } } },
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([slackBot?.stop(), teamsBot?.stop()]);
  vi.restoreAllMocks();
});

// ---- helpers -------------------------------------------------------------------------------------------------------

const memberIdsOf = async (bot: BotHarness, keys: string[]) => (await bot.db.member.findMany({ where: { key: { in: keys } }, select: { id: true } })).map((m) => m.id);
const prgMemberIds = async (bot: BotHarness) =>
  (await bot.db.groupMembership.findMany({ where: { active: true, group: { key: 'practice-review-group' } }, select: { memberId: true } })).map((m) => m.memberId);

/** The member a private target reaches: a Slack DM's user, or a Teams personal chat's member (undefined for a channel). */
async function memberReached(bot: BotHarness, target: OutboundTarget): Promise<string | undefined> {
  if (target.platform === 'teams') {
    const ref = await bot.db.conversationRef.findUnique({ where: { conversationId: target.conversationId } });
    return ref?.scope === 'personal' ? ref.memberId ?? undefined : undefined;
  }
  const user = target.kind === 'channel' ? (/^[UW]/.test(target.channel) ? target.channel : undefined) : target.user;
  if (!user) return undefined;
  return (await bot.db.member.findFirst({ where: { slackUserId: user }, select: { id: true } }))?.id;
}

/**
 * Every message in the outbox: one carrying the summary is private, its audience only the group's members, and it goes
 * to a direct chat with one of them; every private message's notification text holds neither the summary nor the case
 * reference. Returns how many rows carried the summary (and how many went to a non-member).
 */
async function expectSummaryOnlyToTheGroup(bot: BotHarness, summary: string, caseRef: string): Promise<{ withSummary: number; toOthers: number }> {
  const group = new Set(await prgMemberIds(bot));
  const rows = await bot.db.outboxMessage.findMany({ orderBy: { createdAt: 'asc' } });
  let withSummary = 0;
  let toOthers = 0;
  for (const row of rows) {
    const message = (row.payload as { message?: Message }).message;
    if (!message) continue;
    const label = `${row.idempotencyKey} (${row.operation})`;
    const reached = await memberReached(bot, row.target as OutboundTarget);
    const audience = message.audience;
    if (JSON.stringify(message).includes(summary)) {
      withSummary += 1;
      expect(audience?.kind, `${label} carries the summary: private`).toBe('private');
      expect(audience!.memberIds.filter((id) => !group.has(id)), `${label}: its audience is the group's members only`).toEqual([]);
      expect(reached, `${label}: sent to a direct chat with a member of the group`).toBeDefined();
      expect(group.has(reached!) && audience!.memberIds.includes(reached!), `${label}: to one of its audience in the group`).toBe(true);
    } else if (reached === undefined || !group.has(reached)) {
      toOthers += 1;
    }
    if (audience) {
      expect(audience.safeText, `${label}: the lock-screen text`).not.toContain(summary);
      expect(audience.safeText, `${label}: the lock-screen text`).not.toContain(caseRef);
    }
  }
  return { withSummary, toOthers };
}

// ---- Slack ---------------------------------------------------------------------------------------------------------

type View = { callback_id: string; private_metadata?: string; blocks: { type: string; block_id?: string; elements?: { text?: string }[] }[] };

const slackPost = (request: SlackRequest, headers: Record<string, string> = {}) =>
  fetch(`${slackBot.url}/slack/events`, { method: 'POST', body: request.body, headers: { 'content-type': request.contentType, ...signSlackRequest(request.body, slackSigningSecret), ...headers } });

async function openNotifyModal(): Promise<View> {
  const trigger = nextTrigger();
  const res = await postSignedSlackRequest(`${slackBot.url}/slack/events`, slashCommandBody({ text: 'review notify', userId: notifierSlack, teamId: team, responseUrl: slackBot.slackApi.responseUrl(trigger), triggerId: trigger }), slackSigningSecret);
  expect(res.status).toBe(200);
  return (await slackBot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === trigger, { timeoutMs: 10_000 })).body.view as View;
}

const typedNotification = { type: 'child', caseRef: slackCaseRef, awareOn: '2027-03-12', nationalNotifiedOn: '', summary: slackSummary };
/** What Slack sends when the tick box ("I have checked: these are not identifying details") is ticked. */
const ticked = { confirmNotIdentifying: { confirmNotIdentifying: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'I have checked', emoji: true }, value: 'checked' }] } } };

const submitNotify = (view: View, values: Record<string, Record<string, unknown>>) =>
  slackPost(viewSubmissionBody({ userId: notifierSlack, teamId: team, viewId: `V0REVIEW${++seq}`, callbackId: view.callback_id, privateMetadata: view.private_metadata ?? '', values }));

const groupUserIds = new Set<string>(Object.values(prgSlack));
const dmsTo = (user: string) => slackBot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === user);

describe('a rapid review notified in Slack (Swindon)', () => {
  it('`review notify` opens a modal; an identifying summary comes back beside the field with the tick box, and nothing is created', async () => {
    const view = await openNotifyModal();
    expect(view.callback_id).toBe('reviews.notify');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['type', 'caseRef', 'awareOn', 'nationalNotifiedOn', 'agencies', 'jointWith', 'summary']);

    const answer = (await (await submitNotify(view, slackViewStateValues(view, typedNotification))).json()) as { response_action: string; errors?: Record<string, string>; view?: View };
    expect(await slackBot.db.rapidReview.count()).toBe(0);
    // The tick box is not in the modal Slack has open, and Slack shows errors only beside blocks it has: the answer
    // must redraw the modal with the note beside the summary and the tick box (as answerWithConfirm does), or the
    // notifier could never confirm a false positive from Slack.
    expect(answer.response_action).toBe('update');
    const blocks = answer.view!.blocks;
    const summaryAt = blocks.findIndex((b) => b.block_id === 'summary');
    expect(JSON.stringify(blocks[summaryAt + 1])).toContain('This looks like it contains a street address.');
    expect(blocks.some((b) => b.block_id === 'confirmNotIdentifying')).toBe(true);
    expect(JSON.stringify(blocks)).toContain(slackCaseRef); // what was typed is kept
  });

  it('ticked, it goes through: review #1, each group member told by a DM whose notification text is the safe text only', async () => {
    const view = await openNotifyModal();
    // One member's DM fails once (Slack down for a moment): retried, and the failure logs nothing of the case.
    slackBot.slackApi.failNext('chat.postMessage', { status: 500, channel: prgSlack.gareth });
    const res = await submitNotify(view, { ...slackViewStateValues(view, typedNotification), ...ticked });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const review = await eventually(() => slackBot.db.rapidReview.findFirst().then((r) => r ?? undefined), 10_000, 'review #1');
    expect(review).toMatchObject({ number: 1, caseRef: slackCaseRef, summary: slackSummary, groupKey: 'practice-review-group' });
    const joanne = await slackBot.db.member.findFirstOrThrow({ where: { key: 'joanne-price' } });
    const confirmed = await slackBot.db.auditEvent.findMany({ where: { action: 'reviews.identifying.confirmed' } });
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ actorMemberId: joanne.id, subjectType: 'rapid-review', subjectId: review.id, data: { fields: ['summary'] } });
    expect(JSON.stringify(confirmed[0]!.data)).not.toContain('Market Street');
    await outboxDrained(slackBot, 30_000);

    // Each member of the group with a Slack id: one DM, its notification text the safe text, the card in its blocks.
    for (const [who, user] of Object.entries(prgSlack)) {
      const dms = dmsTo(user).filter((c) => c.status === 200 && JSON.stringify(c.body.blocks).includes(slackSummary));
      expect(dms, `${who}'s DM`).toHaveLength(1);
      expect(dms[0]!.body.text, `${who}'s notification text`).toBe(SAFE_TEXT);
      const blocks = JSON.stringify(dms[0]!.body.blocks);
      expect(blocks).toContain(slackCaseRef);
      expect(blocks).toContain('"action_id":"reviews.ack"');
      expect(blocks).toContain(`New for the Practice Review Group: serious child safeguarding incident, case ${slackCaseRef}. National notification to the Panel and Ofsted by Fri 19 Mar 2027.`);
    }
    // The two members who use Teams only could not be reached in Slack: recorded for the admins' digest.
    const unreachable = await slackBot.db.auditEvent.findMany({ where: { action: 'delivery.unreachable' } });
    expect(unreachable.map((a) => a.actorMemberId ?? a.subjectId).length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(unreachable.map((a) => a.data))).not.toContain('ZQXSLACKSUMMARY');

    // Nobody outside the group (the notifier aside) has a DM mentioning the case.
    const groupUsers = new Set<string>(Object.values(prgSlack));
    const elsewhere = slackBot.slackApi.callsTo('chat.postMessage').filter((c) => /^[UW]/.test(String(c.body.channel)) && !groupUsers.has(String(c.body.channel)) && c.body.channel !== notifierSlack);
    expect(elsewhere.filter((c) => JSON.stringify(c.body).includes(slackCaseRef))).toEqual([]);
    expect(slackBot.slackApi.callsTo('chat.postMessage').filter((c) => !groupUsers.has(String(c.body.channel)) && JSON.stringify(c.body).includes('ZQXSLACKSUMMARY'))).toEqual([]);

    // The group's channel: the case reference and the clocks, never the summary.
    const alerts = slackBot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === prgChannel);
    expect(alerts).toHaveLength(1);
    const alert = JSON.stringify(alerts[0]!.body);
    expect(alert).toContain(`New serious child safeguarding incident: case ${slackCaseRef} (review #1). Members have the details in their direct chat with the bot.`);
    expect(alert).toContain('National notification to the Panel and Ofsted: by Fri 19 Mar 2027');
    expect(alert).toContain('Rapid review completed and sent to the Panel: by Tue 6 Apr 2027');
    expect(alert).not.toContain('ZQXSLACKSUMMARY');
    expect(alert).not.toContain('Market Street');

    // The notifier: the form's confirmation and the receipt with the clocks, never the summary.
    const notifierDms = dmsTo(notifierSlack).map((c) => JSON.stringify(c.body));
    expect(notifierDms.some((d) => d.includes('Sent privately to the Practice Review Group (9 members): review #1, case SW-CSPR-2027-017.'))).toBe(true);
    const receipt = notifierDms.find((d) => d.includes('Your receipt for case SW-CSPR-2027-017'));
    expect(receipt).toContain('Rapid review completed and sent to the Panel: by Tue 6 Apr 2027');
    expect(notifierDms.filter((d) => d.includes('ZQXSLACKSUMMARY') || d.includes('Market Street'))).toEqual([]);

    const routed = await expectSummaryOnlyToTheGroup(slackBot, slackSummary, slackCaseRef);
    expect(routed.withSummary).toBe(7);
  }, 45_000);

  it('Acknowledge pressed twice, and the first press retried by Slack: one acknowledgement, one audit event', async () => {
    const review = await slackBot.db.rapidReview.findFirstOrThrow();
    const trigger = nextTrigger();
    const press = blockActionsBody({ userId: prgSlack.claire, teamId: team, actions: [{ actionId: 'reviews.ack', value: review.id }], triggerId: trigger, responseUrl: slackBot.slackApi.responseUrl(trigger) });
    expect((await slackPost(press)).status).toBe(200);
    await eventually(async () => (await slackBot.db.rapidReviewAck.count()) === 1, 10_000, 'the acknowledgement');
    const second = nextTrigger();
    const again = blockActionsBody({ userId: prgSlack.claire, teamId: team, actions: [{ actionId: 'reviews.ack', value: review.id }], triggerId: second, responseUrl: slackBot.slackApi.responseUrl(second) });
    expect((await slackPost(again)).status).toBe(200);
    const answered = await slackBot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(second), { timeoutMs: 10_000 });
    expect(JSON.stringify(answered.body)).toContain('You had already acknowledged review #1.');
    expect((await slackPost(press, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    // The case reference typed where the number goes: told how to say it (and the argument is never logged, below).
    const mistake = nextTrigger();
    await postSignedSlackRequest(`${slackBot.url}/slack/events`, slashCommandBody({ text: `review ack ${slackCaseRef}`, userId: prgSlack.claire, teamId: team, responseUrl: slackBot.slackApi.responseUrl(mistake), triggerId: mistake }), slackSigningSecret);
    const told = await slackBot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(mistake), { timeoutMs: 10_000 });
    expect(JSON.stringify(told.body)).toContain('Say which review, e.g. `review ack 2`.');
    await outboxDrained(slackBot, 20_000);
    const claire = await slackBot.db.member.findFirstOrThrow({ where: { key: 'claire-donovan' } });
    expect(await slackBot.db.rapidReviewAck.findMany({ select: { memberId: true } })).toEqual([{ memberId: claire.id }]);
    expect(await slackBot.db.auditEvent.count({ where: { action: 'reviews.acknowledged' } })).toBe(1);
    expect(await slackBot.db.rapidReviewEvent.count({ where: { kind: 'acknowledged' } })).toBe(1);
    // The cards were edited to say who acknowledged; still only the group's members hold the summary.
    const edits = slackBot.slackApi.callsTo('chat.update').filter((c) => JSON.stringify(c.body.blocks).includes('ZQXSLACKSUMMARY'));
    expect(edits.filter((c) => JSON.stringify(c.body.blocks).includes('Acknowledged: Claire Donovan.')).length).toBeGreaterThanOrEqual(Object.keys(prgSlack).length);
    expect(edits.filter((c) => c.body.text !== SAFE_TEXT)).toEqual([]);
    // Edits go to the DM each card was posted in (Slack's D… id for it): each one a group member's.
    const dmUser = new Map(slackBot.slackApi.callsTo('chat.postMessage').map((c) => [String((c.response as { channel?: string }).channel), String(c.body.channel)]));
    expect(edits.map((c) => dmUser.get(String(c.body.channel))).filter((user) => !user || !groupUserIds.has(user))).toEqual([]);
    await expectSummaryOnlyToTheGroup(slackBot, slackSummary, slackCaseRef);
  });
});

// ---- Teams ---------------------------------------------------------------------------------------------------------

const teamsUser = async (key: string) => {
  const m = await teamsBot.db.member.findFirstOrThrow({ where: { key } });
  return new TeamsUser(teamsBot, m.teamsAadObjectId!, tenant, key);
};

/** What a press answered with: a notice (text) or a card, as the person reads it. */
const shownBy = (answer: { value: unknown }) => (typeof answer.value === 'string' ? answer.value : `${JSON.stringify(answer.value)}\n${visibleCardText(answer.value)}`);

/** Everything a refused press must leave as it was. */
async function reviewState() {
  const db = teamsBot.db;
  return {
    review: await db.rapidReview.findFirstOrThrow({ where: { number: 1 }, include: { acknowledgements: true, agencies: true, milestones: true, leadChoices: true } }),
    events: await db.rapidReviewEvent.count(),
    audit: await db.auditEvent.count({ where: { action: { not: 'access.refused' } } }),
    outbox: await db.outboxMessage.count(),
    timers: await db.timer.count({ where: { status: 'pending' } }),
  };
}

const refusalsOf = async (memberId: string) =>
  (await teamsBot.db.auditEvent.findMany({ where: { action: 'access.refused', actorMemberId: memberId }, orderBy: { id: 'asc' } }))
    .map((a) => ({ subjectType: a.subjectType, subjectId: a.subjectId, ...(a.data as { what: string; reason: string; platform: string }) }));

describe('a rapid review notified in Teams (Walsall): routing and privacy', () => {
  let reviewId = '';

  it('reaches the group privately, the channel by an alert, the agencies\' leads and the chairs without the summary', async () => {
    const ian = await teamsUser('ian-rowley'); // the notifier: not in the Practice Review Group
    const agencies = await teamsBot.db.agency.findMany({ where: { key: { in: ['walsall-housing-providers', 'west-midlands-police'] } } });
    const sent = await ian.press('form:reviews.notify', {
      type: 'child', caseRef: teamsCaseRef, awareOn: '2027-03-12', nationalNotifiedOn: '', agencies: agencies.map((a) => a.id).join(','), jointWith: 'dhr', summary: teamsSummary,
    });
    expect(visibleCardText(sent.value)).toContain(`Sent privately to the Practice Review Group (10 members): review #1, case ${teamsCaseRef}.`);
    reviewId = (await teamsBot.db.rapidReview.findFirstOrThrow()).id;
    // A member of the group acknowledges: every copy of the group's card is updated in place.
    const helen = await teamsUser('helen-ashby');
    expect(visibleCardText((await helen.press('reviews.ack', { value: reviewId })).value)).toContain(`Acknowledged review #1 (case ${teamsCaseRef}).`);
    await outboxDrained(teamsBot, 30_000);

    const routed = await expectSummaryOnlyToTheGroup(teamsBot, teamsSummary, teamsCaseRef);
    expect(routed.withSummary).toBeGreaterThanOrEqual(20); // ten members' cards, then their updates
    expect(routed.toOthers).toBeGreaterThanOrEqual(4); // the channel, the notifier, an agency's lead, the independent chair

    // What each kind of outsider holds: the case reference and the clocks at most, never the summary.
    const chat = async (key: string) => teamsBot.connector.sentActivities((await teamsUser(key)).conversationId).map((a) => JSON.stringify(a)).join('\n');
    const channel = teamsBot.connector.sentActivities(prgTeamsChannel).map((a) => visibleCardText(a)).join('\n');
    expect(channel).toContain(`New serious child safeguarding incident: case ${teamsCaseRef} (review #1). Members have the details in their direct chat with the bot.`);
    expect(channel).toContain('National notification to the Panel and Ofsted: by Fri 19 Mar 2027');
    expect(channel).not.toContain('ZQXTEAMSSUMMARY');
    expect(await chat('ian-rowley')).toContain(`Your receipt for case ${teamsCaseRef}`);
    expect(await chat('jas-bains')).toContain("Please send Walsall housing providers (representative)'s chronology");
    expect(await chat('christopher-hale')).toContain('Agree at the outset which process leads');
    for (const key of ['ian-rowley', 'jas-bains', 'christopher-hale', 'joanne-fairweather', 'david-okoro', 'kelly-bradbury']) expect(await chat(key), key).not.toContain('ZQXTEAMSSUMMARY');
    for (const key of prgKeys) expect(await chat(key), key).toContain('ZQXTEAMSSUMMARY');
  }, 45_000);

  it('someone with no part in it is told review 1 does not exist, in the words used for a number that does not', async () => {
    const david = await teamsUser('david-okoro'); // Operations and Scrutiny Group only
    const davidId = (await teamsBot.db.member.findFirstOrThrow({ where: { key: 'david-okoro' } })).id;
    const seen = await david.ask('review status 1');
    const missing = await david.ask('review status 7');
    expect(seen).toContain('There is no review 1 that you can see.');
    expect(seen).toBe(missing.replaceAll('review 7', 'review 1'));
    expect(seen).not.toContain(teamsCaseRef);
    expect(await david.ask('review list')).not.toContain(teamsCaseRef);
    // Only the real one is a refusal to audit: the made-up number is a mistake.
    expect(await refusalsOf(davidId)).toEqual([expect.objectContaining({ subjectType: 'rapid-review', subjectId: reviewId, what: 'review', reason: 'not-permitted', platform: 'teams', tenantId: tenant })]);
  });

  it("crafted buttons with the review's real id are refused the same way, change nothing, and are audited as refusals", async () => {
    const david = await teamsUser('david-okoro');
    const gary = await teamsUser('gary-monk'); // in the group, but not a decision maker
    const davidId = (await teamsBot.db.member.findFirstOrThrow({ where: { key: 'david-okoro' } })).id;
    const garyId = (await teamsBot.db.member.findFirstOrThrow({ where: { key: 'gary-monk' } })).id;
    const before = await reviewState();
    const already = (await refusalsOf(davidId)).length;
    const crafted = ['reviews.ack', 'reviews.meeting', 'reviews.recommend', 'reviews.decide'];
    for (const verb of crafted) {
      const shown = shownBy(await david.press(verb, { value: reviewId }));
      expect(shown, verb).toContain('That review is not one you can see.');
      expect(shown, verb).not.toContain(teamsCaseRef);
      expect(shown, verb).not.toContain('ZQXTEAMSSUMMARY');
    }
    // A form submitted as if opened: refused the same way.
    const decided = await david.press('form:reviews.decide-form', { state: reviewId, decision: 'lcspr', reasons: 'Crafted.' });
    expect(shownBy(decided)).toContain('That review is not one you can see.');
    const garyDecides = await gary.press('reviews.decide', { value: reviewId });
    expect(shownBy(garyDecides)).toContain('That review is not one you can see.');
    // A member of the group with a review routed to another group (the business unit's): refused the same way.
    const walsall = (await teamsBot.db.partnership.findUniqueOrThrow({ where: { slug: 'walsall' } })).id;
    const ianId = (await teamsBot.db.member.findFirstOrThrow({ where: { key: 'ian-rowley' } })).id;
    const other = await teamsBot.db.rapidReview.create({
      data: { partnershipId: walsall, number: 2, type: 'learning', caseRef: 'WS-LR-2027-0001', awareOn: '2027-03-10', summary: 'Another group (ZQXOTHERSUMMARY).', notifierId: ianId, groupKey: 'business-unit', settings: {}, createdAt: new Date() },
    });
    const garyAcks = shownBy(await gary.press('reviews.ack', { value: other.id }));
    expect(garyAcks).toContain('That review is not one you can see.');
    expect(garyAcks).not.toContain('WS-LR-2027-0001');
    expect(await teamsBot.db.rapidReviewAck.count({ where: { reviewId: other.id } })).toBe(0);
    expect(shownBy(await gary.press('reviews.recommend', { value: other.id }))).toContain('That review is not one you can see.');
    // Ids that name no review, and junk.
    expect(shownBy(await david.press('reviews.ack', { value: '6f0c2a0e-1b7d-4e8a-9c3b-2d5e7f9a1b3c' }))).toContain('That review is not one you can see.');
    expect(shownBy(await david.press('reviews.meeting', { value: "'; drop table rapid_review; --" }))).toContain('That review is not one you can see.');
    await outboxDrained(teamsBot, 10_000);
    expect(await reviewState()).toEqual(before);

    const refused = (await refusalsOf(davidId)).slice(already);
    expect(refused.map((r) => [r.what, r.reason])).toEqual([...[...crafted, 'reviews.decide-form'].map((what) => [what, 'not-permitted']), ['reviews.ack', 'no-such-id'], ['reviews.meeting', 'malformed-id']]);
    for (const r of refused.slice(0, 5)) expect(r).toMatchObject({ subjectType: 'rapid-review', subjectId: reviewId, platform: 'teams' });
    expect(refused[6]!.subjectId).toBe('');
    expect(await refusalsOf(garyId)).toEqual([
      expect.objectContaining({ what: 'reviews.decide', subjectId: reviewId, reason: 'not-permitted' }),
      expect.objectContaining({ what: 'reviews.ack', subjectId: other.id, reason: 'not-permitted' }),
      expect.objectContaining({ what: 'reviews.recommend', subjectId: other.id, reason: 'not-permitted' }),
    ]);
    const audited = await teamsBot.db.auditEvent.findMany({ where: { action: 'access.refused' } });
    expect(JSON.stringify(audited.map((a) => a.data))).not.toMatch(/Crafted\.|drop table/);
  });

  it('`review status`: the notifier sees the clocks, a decision maker that they decide once the group recommends, neither the summary', async () => {
    const ian = await (await teamsUser('ian-rowley')).ask('review status 1');
    expect(ian).toContain(`Review #1: case ${teamsCaseRef}. The details are for the group's members only.`);
    expect(ian).toContain('National notification to the Panel and Ofsted: by Fri 19 Mar 2027');
    expect(ian).toContain('Rapid review completed and sent to the Panel: by Tue 6 Apr 2027');
    expect(ian).not.toContain('ZQXTEAMSSUMMARY');
    expect(ian).not.toContain('Record decision');
    expect(ian).not.toContain('Acknowledge');
    const joanne = await (await teamsUser('joanne-fairweather')).ask('review status 1'); // Safeguarding Executive Group: decides
    expect(joanne).toContain('Rapid review completed and sent to the Panel: by Tue 6 Apr 2027');
    // No recommendation yet: nothing to decide, and the card says when there will be.
    expect(joanne).toContain('You decide once the group has recorded its recommendation: you will get a card then.');
    expect(joanne).not.toContain('Record decision');
    expect(joanne).not.toContain('ZQXTEAMSSUMMARY');
    expect(joanne).not.toContain('Acknowledge');
    expect(await (await teamsUser('ian-rowley')).ask(`review status ${teamsCaseRef}`)).toContain('Say which review, e.g. `review status 2`.'.replace(/`/g, ''));
    const helen = await (await teamsUser('helen-ashby')).ask('review status 1');
    expect(helen).toContain(teamsSummary);
    expect(helen).toContain('Acknowledged by Helen Ashby');
    await outboxDrained(teamsBot, 10_000);
    await expectSummaryOnlyToTheGroup(teamsBot, teamsSummary, teamsCaseRef);
  });
});

describe('the logs', () => {
  it('hold neither summary nor case reference, nor the identifying text refused, at any level, on either platform', () => {
    const all = [...logLines, ...consoleLines];
    expect(logLines.length).toBeGreaterThan(50);
    for (const secret of [slackSummary, teamsSummary, 'ZQXSLACKSUMMARY', 'ZQXTEAMSSUMMARY', 'Market Street', slackCaseRef, teamsCaseRef, 'CSPR-2027-017', 'CSPR-2027-0042', 'WS-LR-2027-0001', 'ZQXOTHERSUMMARY', 'drop table']) {
      expect(all.filter((l) => l.includes(secret)), `log lines holding "${secret}"`).toEqual([]);
    }
  });
});
