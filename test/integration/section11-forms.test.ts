// A Section 11 return's forms on both renderers, through the real bot (PostgreSQL, Redis; Slack's Web API and the Bot
// Connector faked), for the Walsall example on a ManualClock standing at Monday 15 March 2027, 10:00 in London:
// every validation rule shows its error beside the field and keeps everything typed, in a Teams card and a Slack
// modal; the review page lists what is missing page by page and "Submit return" goes back to the first page
// concerned; two leads editing at once never overwrite each other; a retried Slack submission, a double-clicked
// "Submit return" and a double-clicked "Sign off" change the return once; the small forms (send back, more time)
// keep what was typed beside their errors. Walsall works in Teams: Nicola Brooks, one of Walsall Council's two
// leads, is also given a Slack identity here (as if the partnership used both).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { fieldId, LIMITS, type Part } from '../../src/features/section11/answers.js';
import { eventually, outboxDrained, slackSigningSecret, startBot, type BotHarness } from '../support/bot-harness.js';
import { actionData, visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard, expectWithinBlockKitLimits } from '../support/card-validation.js';
import { blockActionsBody, postSignedSlackRequest, signedRequestInit, slackViewStateValues, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';
import { allNodes, teamsAdaptiveCardInvoke, teamsCardActionData } from '../support/teams-activities.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

const zone = 'Europe/London';
const at = (local: string) => DateTime.fromISO(local, { zone }).toUTC();
const tenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
const SLACK_TEAM = 'T0WALSAL01';
const NICOLA_SLACK = 'U0NBROOKS1';
const clock = new ManualClock(at('2027-03-15T10:00'));

type Json = Record<string, any>;
type Answer = { statusCode: number; type: string; value: any };

let bot: BotHarness;
let aad: Map<string, string>;
let returnId: string;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'walsall', clock, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
  const members = await bot.db.member.findMany({ where: { teamsAadObjectId: { not: null } }, select: { key: true, teamsAadObjectId: true } });
  aad = new Map(members.map((m) => [m.key, m.teamsAadObjectId!]));
  // Walsall's file names no Slack workspace: bind one, and give one lead a Slack identity.
  await bot.db.partnership.update({ where: { slug: 'walsall' }, data: { slackTeamId: SLACK_TEAM } });
  await bot.db.member.updateMany({ where: { key: 'nicola-brooks' }, data: { slackUserId: NICOLA_SLACK } });
});
afterAll(async () => {
  await bot?.stop();
});

// ---- Teams ----
const user = (key: string) => new TeamsUser(bot, aad.get(key)!, tenant, key);
const conversation = (key: string) => `a:personal-${aad.get(key)!}`;
const chat = (key: string) => bot.connector.sentActivities(conversation(key));
const cardsReading = (key: string, words: string) => chat(key).filter((a) => visibleCardText(a).includes(words)).map((a) => a.attachments!.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')!.content as Json);
const memberId = async (key: string) => (await bot.db.member.findFirstOrThrow({ where: { key } })).id;
const drained = () => outboxDrained(bot, 20_000);

async function press(key: string, verb: string, data: Record<string, unknown>): Promise<Answer> {
  return (await user(key).press(verb, data)) as Answer;
}

/** The very same Action.Execute invoke (one activity id) posted twice at once, as a double click or Teams' own retry sends it. */
async function sameInvokeTwice(key: string, verb: string, data: Record<string, unknown>): Promise<Answer[]> {
  const activity = teamsAdaptiveCardInvoke({ serviceUrl: bot.connector.serviceUrl, conversationId: conversation(key), conversationType: 'personal', tenantId: tenant, fromId: `29:${aad.get(key)}`, fromName: key, fromAadObjectId: aad.get(key), verb, data });
  const post = async () => (await (await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })).json()) as Answer;
  return Promise.all([post(), post()]);
}

/** Types `typed` over the card (undefined clears an input) and presses its button for `intent` (default: the main one). */
async function submitCard(key: string, card: Json, typed: Record<string, string | undefined>, intent?: string): Promise<Answer> {
  const action = teamsCardActionData(card, { typed, ...(intent ? { intent } : {}) });
  expect(action, `a ${intent ?? 'submit'} button on the card`).toBeDefined();
  return press(key, action!.verb, action!.data);
}

function expectCard(answer: Answer): Json {
  expect(answer.type, JSON.stringify(answer.value).slice(0, 300)).toBe('application/vnd.microsoft.card.adaptive');
  expectValidAdaptiveCard(answer.value);
  return answer.value as Json;
}

/** Each input of a form card with the value it shows. */
function inputsOf(card: Json): Record<string, string | undefined> {
  return Object.fromEntries(allNodes(card).filter((n) => typeof n.type === 'string' && n.type.startsWith('Input.')).map((n) => [n.id, n.value === undefined || n.value === '' ? undefined : String(n.value)]));
}

/** The error text shown beside each input: the red line in the input's own container, under it. */
function errorsBeside(card: Json): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const container of allNodes(card).filter((n) => n.type === 'Container' && Array.isArray(n.items))) {
    const input = (container.items as Json[]).find((i) => typeof i.type === 'string' && i.type.startsWith('Input.'));
    const error = (container.items as Json[]).find((i) => i.type === 'TextBlock' && i.color === 'Attention');
    if (input && error) errors[input.id] = error.text;
  }
  return errors;
}

/** "Start return" / "Open return" on a lead's card: the form card, as the draft left it. */
async function openOnTeams(key: string): Promise<Json> {
  return expectCard(await press(key, 's11.open', { value: returnId }));
}

// ---- Slack (Nicola only) ----
const postSlack = (request: SlackRequest) => postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
const nextTrigger = () => `s11-trigger-${++trigger}`;

async function slackModalFrom(request: (triggerId: string) => SlackRequest): Promise<Json> {
  const before = bot.slackApi.callsTo('views.open').length;
  expect((await postSlack(request(nextTrigger()))).status).toBe(200);
  const call = await bot.slackApi.waitFor('views.open', { count: before + 1 });
  const view = (call.response as { view: Json }).view;
  expectWithinBlockKitLimits(view);
  return view;
}

/** `s11 open` typed as the slash command: the return's modal, as Slack stored it (with its id and hash). */
const slackOpenReturn = () => slackModalFrom((triggerId) => slashCommandBody({ text: 's11 open', userId: NICOLA_SLACK, teamId: SLACK_TEAM, triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) }));

/** The view_submission Slack sends when Nicola types `typed` over the modal `shown` (opened as `opened`) and presses its submit button. */
function slackSubmission(opened: Json, shown: Json, typed: Record<string, string | undefined>): SlackRequest {
  return viewSubmissionBody({ userId: NICOLA_SLACK, teamId: SLACK_TEAM, viewId: opened.id, hash: opened.hash, callbackId: shown.callback_id, privateMetadata: shown.private_metadata, blocks: shown.blocks, values: slackViewStateValues(shown, typed) });
}

async function slackAnswer(response: Response): Promise<Json | undefined> {
  expect(response.status).toBe(200);
  const text = await response.text();
  return text ? (JSON.parse(text) as Json) : undefined;
}

const slackSubmit = async (opened: Json, shown: Json, typed: Record<string, string | undefined>) => slackAnswer(await postSlack(slackSubmission(opened, shown, typed)));
const slackText = (view: Json) => JSON.stringify(view.blocks);

/** Each input of a modal with the value it shows (initial_value, the chosen option, the date). */
function slackInputs(view: Json): Record<string, string | undefined> {
  return Object.fromEntries((view.blocks as Json[]).filter((b) => b.type === 'input').map((b) => {
    const e = b.element as Json;
    return [b.block_id, e.initial_options?.map((o: Json) => o.value).join(',') ?? e.initial_option?.value ?? e.initial_date ?? e.initial_value];
  }));
}

/** The warning drawn under each input of a redrawn modal (where Slack's own error display cannot be used). */
function slackErrorsBeside(view: Json): Record<string, string> {
  const blocks = view.blocks as Json[];
  const errors: Record<string, string> = {};
  blocks.forEach((b, i) => {
    const after = blocks[i + 1];
    if (b.type === 'input' && after?.type === 'context') errors[b.block_id] = String(after.elements[0].text).replace(/^:warning: /, '');
  });
  return errors;
}
const slackDms = () => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === NICOLA_SLACK).map((c) => JSON.stringify(c.body));

// ---- the return ----
const s = (n: number, part: Part) => fieldId(`s${n}`, part);
/** Answers for standard n's page, by part. */
const page = (n: number, parts: Partial<Record<Part, string>>): Record<string, string> => Object.fromEntries(Object.entries(parts).map(([part, v]) => [s(n, part as Part), v]));
const audits = (action: string) => bot.db.auditEvent.count({ where: { action, subjectId: returnId } });
const events = (kind: string) => bot.db.s11Event.count({ where: { returnId, kind } });
const draft = () => bot.db.formDraft.findUnique({ where: { formKey_subjectKey: { formKey: 's11.return', subjectKey: `s11-return:${returnId}` } } });
const statusOf = async () => (await bot.db.s11Return.findUniqueOrThrow({ where: { id: returnId } })).status;

describe('Section 11 return forms in Walsall, on Teams and Slack', () => {
  it('launches a round: Walsall Council’s leads each get a card to start its return', async () => {
    const launched = await user('sharon-mcdermott').ask('s11 launch "Section 11 audit 2027" due 2027-05-28');
    expect(launched).toContain('Launched round 1, Section 11 audit 2027: 13 agencies asked, due Fri 28 May 2027.');
    await drained();
    const council = await bot.db.agency.findFirstOrThrow({ where: { key: 'walsall-council' } });
    returnId = (await bot.db.s11Return.findFirstOrThrow({ where: { agencyId: council.id } })).id;
    // Stuart in his Teams chat; Nicola, who has a Slack identity too, in her Slack DM (the bot's first choice).
    const cards = cardsReading('stuart-pemberton', 'Section 11 audit 2027 has started: Walsall Council');
    expect(cards).toHaveLength(1);
    expect(actionData(cards[0], 's11.open')).toEqual({ value: returnId });
    expect(visibleCardText(cards[0])).toContain('Start return');
    const dm = bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === NICOLA_SLACK && JSON.stringify(c.body).includes('Section 11 audit 2027 has started: Walsall Council'));
    expect(dm).toHaveLength(1);
    const start = (dm[0]!.body.blocks as Json[]).flatMap((b) => b.elements ?? []).find((e: Json) => e.type === 'button' && e.text.text === 'Start return');
    expect(start?.value).toBe(returnId);
  });

  const owner = { id: '' };
  beforeAll(async () => {
    owner.id = await memberId('stuart-pemberton');
  });
  const EVIDENCE = 'Safeguarding is a standing item at the Executive Group (minutes, 4 Feb 2027)';
  const LINK = 'https://walsall.example/executive-group/minutes-2027-02-04';
  const ACTION = 'Add safeguarding to the council business plan';

  /** One broken rule on page 1 (standard 1): what is typed, and the one error expected, beside its field. */
  const rules = (): { rule: string; typed: Partial<Record<Part, string>>; error: [Part, string] }[] => [
    { rule: 'a missing rating', typed: { evidence: EVIDENCE, links: LINK }, error: ['rating', 'Rating is required.'] },
    { rule: 'met without evidence', typed: { rating: 'met', links: LINK }, error: ['evidence', 'Say what evidence shows this rating.'] },
    { rule: 'not applicable without a reason', typed: { rating: 'not-applicable', evidence: EVIDENCE }, error: ['na', 'Say why this standard does not apply to your agency.'] },
    { rule: 'partly met without an action', typed: { rating: 'partly-met', evidence: EVIDENCE, owner: owner.id, target: '2027-06-30' }, error: ['action', 'Anything short of met needs an improvement action.'] },
    { rule: 'not met without an action', typed: { rating: 'not-met', evidence: EVIDENCE, links: LINK }, error: ['action', 'Anything short of met needs an improvement action.'] },
    { rule: 'an action without an owner', typed: { rating: 'partly-met', evidence: EVIDENCE, action: ACTION, target: '2027-06-30' }, error: ['owner', 'Choose who owns the improvement action.'] },
    { rule: 'an action without a target date', typed: { rating: 'partly-met', evidence: EVIDENCE, action: ACTION, owner: owner.id }, error: ['target', 'Give the action a target date.'] },
    { rule: 'a target date in the past', typed: { rating: 'not-met', evidence: EVIDENCE, action: ACTION, owner: owner.id, target: '2027-03-12' }, error: ['target', 'The target date has passed: choose today or a later date.'] },
    { rule: 'a bad evidence link', typed: { rating: 'met', evidence: EVIDENCE, links: `${LINK}\nthe intranet safeguarding page` }, error: ['links', '"the intranet safeguarding page" is not a web address: put one per line, starting https://'] },
    { rule: 'over-long evidence', typed: { rating: 'met', evidence: 'e'.repeat(LIMITS.evidence + 1), links: LINK }, error: ['evidence', `Evidence can have at most ${LIMITS.evidence} characters (it has ${LIMITS.evidence + 1}).`] },
    { rule: 'over-long links', typed: { rating: 'met', evidence: EVIDENCE, links: `${LINK}/${'l'.repeat(LIMITS.links)}` }, error: ['links', `Evidence links can have at most ${LIMITS.links} characters (it has ${LINK.length + 1 + LIMITS.links}).`] },
    { rule: 'an over-long action', typed: { rating: 'partly-met', evidence: EVIDENCE, action: 'a'.repeat(LIMITS.action + 1), owner: owner.id, target: '2027-06-30' }, error: ['action', `Improvement action can have at most ${LIMITS.action} characters (it has ${LIMITS.action + 1}).`] },
    { rule: 'an over-long reason for not applicable', typed: { rating: 'not-applicable', na: 'n'.repeat(LIMITS.na + 1) }, error: ['na', `Why not applicable can have at most ${LIMITS.na} characters (it has ${LIMITS.na + 1}).`] },
  ];

  it('shows each rule’s error beside its field in a Teams card, with everything typed still in the card', async () => {
    const opened = await openOnTeams('nicola-brooks');
    expect(visibleCardText(opened)).toContain('Standard 1: Senior management commitment');
    expect(visibleCardText(opened)).toContain('Step 1 of 9');
    for (const { rule, typed, error } of rules()) {
      const answer = expectCard(await submitCard('nicola-brooks', opened, page(1, typed)));
      expect(errorsBeside(answer), rule).toEqual({ [s(1, error[0])]: error[1] });
      expect(visibleCardText(answer), rule).toContain('1 answer needs changing: see the note under it.');
      expect(visibleCardText(answer), rule).toContain('Step 1 of 9');
      const shown = inputsOf(answer);
      for (const part of ['rating', 'evidence', 'links', 'action', 'owner', 'target', 'na'] as Part[]) expect(shown[s(1, part)], `${rule}: ${part}`).toBe(typed[part]);
    }
    expect(await draft()).toBeNull();
  });

  it('answers each rule in the Slack modal with the error under its block, leaving the modal as typed', async () => {
    const opened = await slackOpenReturn();
    expect(opened.callback_id).toBe('s11.return');
    expect(slackText(opened)).toContain('Standard 1: Senior management commitment');
    const updatesBefore = bot.slackApi.callsTo('views.update').length;
    for (const { rule, typed, error } of rules()) {
      // response_action "errors" leaves the open modal, with what was typed, as it is: only the messages are added.
      expect(await slackSubmit(opened, opened, page(1, typed)), rule).toEqual({ response_action: 'errors', errors: { [s(1, error[0])]: error[1] } });
    }
    expect(bot.slackApi.callsTo('views.update')).toHaveLength(updatesBefore);
    expect(await draft()).toBeNull();
  });

  it('keeps what a lead typed in the request for more time, beside a due date that is not after the current one or not a working day', async () => {
    const form = expectCard(await press('nicola-brooks', 's11.extension', { value: returnId }));
    expect(visibleCardText(form)).toContain('is due Fri 28 May 2027');
    const reason = 'Our safeguarding lead post is vacant until May.';
    const early = expectCard(await submitCard('nicola-brooks', form, { until: '2027-05-21', reason }));
    expect(errorsBeside(early)).toEqual({ until: 'Choose a day after the current due date, Fri 28 May 2027.' });
    expect(inputsOf(early)).toEqual({ until: '2027-05-21', reason });
    const saturday = expectCard(await submitCard('nicola-brooks', early, { until: '2027-06-05' }));
    expect(errorsBeside(saturday)).toEqual({ until: 'Sat 5 Jun 2027 is not a working day: try Fri 4 Jun 2027.' });
    expect(inputsOf(saturday)).toEqual({ until: '2027-06-05', reason });
    // The day after the due date is a Saturday and the Monday a bank holiday: the day offered is after the due date.
    const weekend = expectCard(await submitCard('nicola-brooks', saturday, { until: '2027-05-29' }));
    expect(errorsBeside(weekend)).toEqual({ until: 'Sat 29 May 2027 is not a working day: try Tue 1 Jun 2027.' });
    const empty = expectCard(await submitCard('nicola-brooks', weekend, { until: '2027-06-04', reason: undefined }));
    expect(errorsBeside(empty)).toEqual({ reason: 'Why more time is needed is required.' });
    expect(inputsOf(empty)).toEqual({ until: '2027-06-04', reason: undefined });

    // The same on Slack: the button opens a modal, and a bad date is answered under its block.
    const modal = await slackModalFrom((triggerId) => blockActionsBody({ userId: NICOLA_SLACK, teamId: SLACK_TEAM, triggerId, actions: [{ actionId: 's11.extension', value: returnId }], responseUrl: bot.slackApi.responseUrl(triggerId) }));
    expect(modal.callback_id).toBe('s11.extension');
    expect(await slackSubmit(modal, modal, { until: '2027-05-03', reason })).toEqual({ response_action: 'errors', errors: { until: 'Choose a day after the current due date, Fri 28 May 2027.' } });
    expect(await slackSubmit(modal, modal, { until: '2027-05-31', reason })).toEqual({ response_action: 'errors', errors: { until: 'Mon 31 May 2027 is not a working day: try Tue 1 Jun 2027.' } });
    expect(await bot.db.s11Extension.count()).toBe(0);
  });

  it('never overwrites one lead’s page with another’s: the later save is told who changed it, and Reload shows their answers', async () => {
    const stuartCard = await openOnTeams('stuart-pemberton');
    const nicolaCard = await openOnTeams('nicola-brooks');
    const nicolas = page(1, { rating: 'met', evidence: EVIDENCE, links: LINK });
    const next = expectCard(await submitCard('nicola-brooks', nicolaCard, nicolas));
    expect(visibleCardText(next)).toContain('Standard 2: Statement of safeguarding responsibilities');
    expect(await draft()).toMatchObject({ version: 1, page: 1, values: nicolas });

    const stuarts = page(1, { rating: 'partly-met', evidence: 'Business plan draft', action: 'Name a board sponsor', owner: owner.id, target: '2027-09-30' });
    const conflict = expectCard(await submitCard('stuart-pemberton', stuartCard, stuarts));
    expect(visibleCardText(conflict)).toContain('Changed by Nicola Brooks at 10:00: your page was not saved.');
    expect(visibleCardText(conflict)).toContain('Step 1 of 9');
    expect(inputsOf(conflict)).toMatchObject(stuarts); // what he typed is still on screen
    expect(await draft()).toMatchObject({ version: 1, page: 1, values: nicolas });

    const reloaded = expectCard(await submitCard('stuart-pemberton', conflict, {}, 'reload'));
    expect(visibleCardText(reloaded)).toContain('Reloaded: these are the latest answers. Changed by Nicola Brooks at 10:00.');
    expect(inputsOf(reloaded)).toMatchObject({ ...nicolas, [s(1, 'action')]: undefined, [s(1, 'owner')]: undefined });
    expect(await draft()).toMatchObject({ version: 1, values: nicolas });
  });

  const lastCard: { nicola?: Json } = {};
  const answers: Record<number, Partial<Record<Part, string>>> = {
    2: { rating: 'partly-met', evidence: 'Policy on the intranet, reviewed 2025', action: 'Review the safeguarding policy', owner: '', target: '2027-03-16' },
    3: { rating: 'met', evidence: 'Structure chart naming the DCS and DASS' },
    4: { rating: 'not-applicable', na: 'Service design is commissioned by the ICB' },
    5: { rating: 'not-met', evidence: 'Level 3 completion at 61%', action: 'Level 3 training for all team managers', owner: '', target: '2027-03-17' },
    6: { rating: 'met', evidence: 'Single central record audited in January' },
    7: { rating: 'met', evidence: 'Attendance at every case conference in 2026' },
    8: { rating: 'met', evidence: 'Information sharing agreement signed 2026' },
  };

  it('lists what is missing page by page on the review page, and "Submit return" goes back to the first page concerned', async () => {
    const nicolaId = await memberId('nicola-brooks');
    answers[2]!.owner = owner.id;
    answers[5]!.owner = nicolaId;
    // Nicola carries on from page 2 in Teams, where her draft stands.
    let card = await openOnTeams('nicola-brooks');
    for (let n = 2; n <= 8; n++) {
      expect(visibleCardText(card), `page ${n}`).toContain(`Step ${n} of 9`);
      card = expectCard(await submitCard('nicola-brooks', card, page(n, answers[n]!)));
    }
    expect(visibleCardText(card)).toContain('Step 9 of 9');
    expect(visibleCardText(card)).toContain('Every standard is answered.');

    // Three days later two target dates have passed: the review page (opened again with `s11 open`) says so, page by page.
    clock.set(at('2027-03-18T10:00'));
    expect(await user('nicola-brooks').say('s11 open')).toBeLessThan(300);
    const review = await eventually(() => cardsReading('nicola-brooks', 'Still to do before you can submit').at(-1), 10_000, 'the review page');
    const text = visibleCardText(review);
    expect(text).toContain('Step 9 of 9');
    expect(text).toContain('Still to do before you can submit (2 of 8 standards):');
    expect(text).toContain("• Page 2, standard 2 (Statement of safeguarding responsibilities): the action's target date");
    expect(text).toContain("• Page 5, standard 5 (Safeguarding training): the action's target date");
    expect(text).not.toMatch(/Page [134678],/);

    // Submit return from the card she had: back to page 2, the error beside the date and her answers there.
    const back = expectCard(await submitCard('nicola-brooks', card, {}));
    expect(visibleCardText(back)).toContain('Step 2 of 9');
    expect(errorsBeside(back)).toEqual({ [s(2, 'target')]: 'The target date has passed: choose today or a later date.' });
    expect(inputsOf(back)).toEqual({ ...page(2, answers[2]!), [s(2, 'links')]: undefined, [s(2, 'na')]: undefined });
    expect(await statusOf()).toBe('not_started');
    expect(await audits('s11.return.submitted')).toBe(0);

    // She moves both dates; page 5 stops her on the way.
    answers[2]!.target = '2027-06-30';
    card = expectCard(await submitCard('nicola-brooks', back, { [s(2, 'target')]: answers[2]!.target }));
    for (let n = 3; n <= 5; n++) card = expectCard(await submitCard('nicola-brooks', card, {}));
    expect(errorsBeside(card)).toEqual({ [s(5, 'target')]: 'The target date has passed: choose today or a later date.' });
    answers[5]!.target = '2027-07-30';
    card = expectCard(await submitCard('nicola-brooks', card, { [s(5, 'target')]: answers[5]!.target }));
    for (let n = 6; n <= 8; n++) card = expectCard(await submitCard('nicola-brooks', card, {}));
    expect(visibleCardText(card)).toContain('Every standard is answered.');
    lastCard.nicola = card;
  });

  it('submits once when "Submit return" is double-clicked in Teams: one event, one card for each signatory', async () => {
    const action = teamsCardActionData(lastCard.nicola, {})!;
    expect(visibleCardText(lastCard.nicola)).toContain('Submit return');
    const said = (await sameInvokeTwice('nicola-brooks', action.verb, action.data)).map((a) => {
      expect(a.type).toBe('application/vnd.microsoft.activity.message');
      return a.value as string;
    });
    const thanks = "Thank you: Walsall Council's return for Section 11 audit 2027 is submitted. It has gone to your signatory to sign off.";
    expect(said.filter((t) => t === thanks)).toHaveLength(1);
    expect(said.find((t) => t !== thanks)).toMatch(/^Walsall Council's return (was already submitted: nothing changed\.|was submitted on Thu 18 Mar 2027\. If it needs changing, ask the business unit to return it to you\.)$/);

    expect(await statusOf()).toBe('submitted');
    expect(await audits('s11.return.submitted')).toBe(1);
    expect(await events('submitted')).toBe(1);
    expect(await draft()).toBeNull();
    await drained();
    for (const signatory of ['joanne-fairweather', 'ravinder-gill']) {
      expect(cardsReading(signatory, 'Nicola Brooks submitted Walsall Council\'s return for Section 11 audit 2027. Please sign it off'), signatory).toHaveLength(1);
    }
    // And the return reads as she left it.
    const stored = (await bot.db.s11Return.findUniqueOrThrow({ where: { id: returnId } })).answers as Record<string, string>;
    expect(stored).toMatchObject({ ...page(1, { rating: 'met', evidence: EVIDENCE, links: LINK }), ...page(2, answers[2]!), ...page(5, answers[5]!) });
  });

  it('keeps a signatory’s comment beside its error when sending back, then sends it back', async () => {
    const signOff = cardsReading('joanne-fairweather', 'Please sign it off').at(-1)!;
    const form = expectCard(await press('joanne-fairweather', 's11.send-back', actionData(signOff, 's11.send-back')));
    expect(visibleCardText(form)).toContain("Send Walsall Council's return for Section 11 audit 2027 back to its leads.");
    const empty = expectCard(await submitCard('joanne-fairweather', form, { comment: undefined }));
    expect(errorsBeside(empty)).toEqual({ comment: 'What needs to change is required.' });
    const long = `Standard 2: attach the reviewed policy. ${'x'.repeat(1500)}`;
    const tooLong = expectCard(await submitCard('joanne-fairweather', empty, { comment: long }));
    expect(errorsBeside(tooLong)).toEqual({ comment: `What needs to change can have at most 1500 characters (it has ${long.length}).` });
    expect(inputsOf(tooLong)).toEqual({ comment: long });
    expect(await statusOf()).toBe('submitted');
    // Sent with a comment, by a double click: sent back once, and the second answer says where it is.
    const send = teamsCardActionData(tooLong, { typed: { comment: 'Standard 2: attach the reviewed policy.' } })!;
    const said = (await sameInvokeTwice('joanne-fairweather', send.verb, send.data)).map((a) => String(a.value));
    expect(said.sort()).toEqual([
      "Joanne Fairweather sent Walsall Council's return back to its leads. Its leads are told, with your comment.",
      "Walsall Council's return is already with its leads.",
    ]);
    expect(await statusOf()).toBe('returned');
    expect(await events('sent-back')).toBe(1);
    expect(await audits('s11.return.sent-back')).toBe(1);
    await drained();
    expect(cardsReading('stuart-pemberton', 'Joanne Fairweather sent Walsall Council\'s return back to its leads.')).toHaveLength(1);
  });

  it('submits once when Slack sends the same view_submission again (a retry): one event, one more card for each signatory', async () => {
    // Nicola picks the returned return up in Slack: her submitted answers are there, page by page.
    const opened = await slackOpenReturn();
    const policy = 'https://walsall.example/policies/safeguarding-2027.pdf';
    /** Presses Next on each page from `from` to 8 (typing `typed` on the first), and returns the review page. */
    async function nextThrough(view: Json, from: number, typed: Record<string, string>): Promise<Json> {
      let shown = view;
      for (let n = from; n <= 8; n++) {
        expect(slackText(shown), `page ${n}`).toContain(`Step ${n} of 9`);
        const answer = await slackSubmit(opened, shown, n === from ? typed : {});
        expect(answer?.response_action, `page ${n}: ${JSON.stringify(answer).slice(0, 300)}`).toBe('update');
        shown = answer!.view;
      }
      return shown;
    }
    expect(slackInputs(opened)).toMatchObject(page(1, { rating: 'met', evidence: EVIDENCE, links: LINK }));
    const page2 = (await slackSubmit(opened, opened, {}))!.view as Json;
    let shown = await nextThrough(page2, 2, { [s(2, 'links')]: policy, [s(2, 'target')]: '2027-03-19' });
    expect(slackText(shown)).toContain('Every standard is answered.');

    // Over the weekend the new target date passes: "Submit return" redraws the modal at page 2, the error under the date.
    clock.set(at('2027-03-22T09:00'));
    const back = (await slackSubmit(opened, shown, {}))!;
    expect(back.response_action).toBe('update');
    expectWithinBlockKitLimits(back.view);
    expect(slackText(back.view)).toContain('Step 2 of 9');
    expect(slackErrorsBeside(back.view)).toEqual({ [s(2, 'target')]: 'The target date has passed: choose today or a later date.' });
    expect(slackInputs(back.view)).toEqual({ ...page(2, { ...answers[2]!, links: policy, target: '2027-03-19' }), [s(2, 'na')]: undefined });
    expect(await statusOf()).toBe('returned');

    shown = await nextThrough(back.view, 2, { [s(2, 'target')]: '2027-06-30' });
    expect(slackText(shown)).toContain('Step 9 of 9');
    expect(slackText(shown)).toContain('Every standard is answered.');
    expect(shown.submit.text).toBe('Submit return');

    const submission = slackSubmission(opened, shown, {});
    const first = signedRequestInit(submission, slackSigningSecret);
    const retry = { ...first, headers: { ...first.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };
    const url = `${bot.url}/slack/events`;
    const acks = await Promise.all([fetch(url, first).then(slackAnswer), fetch(url, retry).then(slackAnswer)]);
    for (const ack of acks) expect(ack?.response_action ?? 'close').not.toBe('errors');

    expect(await statusOf()).toBe('submitted');
    expect(await audits('s11.return.submitted')).toBe(2);
    expect(await events('submitted')).toBe(2);
    expect((await bot.db.s11Return.findUniqueOrThrow({ where: { id: returnId } })).answers).toMatchObject(page(2, { links: policy, target: '2027-06-30' }));
    await drained();
    for (const signatory of ['joanne-fairweather', 'ravinder-gill']) {
      expect(cardsReading(signatory, 'Please sign it off'), signatory).toHaveLength(2);
    }
    // Her DM says it is in: once, whichever of the two answers was written first (both share the modal's key), never an error.
    const about = (t: string) => /Walsall Council's return (for Section 11 audit 2027 is submitted|was already submitted)/.test(t);
    const dms = await eventually(() => slackDms().filter(about).length > 0 && slackDms().filter(about), 10_000, 'Nicola’s Slack DM');
    expect(dms).toHaveLength(1);
    for (const dm of slackDms()) expect(dm).not.toMatch(/Sorry|went wrong/);
  });

  it('signs off once when "Sign off" is double-clicked', async () => {
    const card = cardsReading('joanne-fairweather', 'Please sign it off').at(-1)!;
    const said = (await sameInvokeTwice('joanne-fairweather', 's11.sign-off', actionData(card, 's11.sign-off'))).map((a) => String(a.value));
    const done = "Signed off: Walsall Council's return for Section 11 audit 2027. The leads and the business unit are told.";
    expect(said.filter((t) => t === done)).toHaveLength(1);
    expect(said.find((t) => t !== done)).toBe("Walsall Council's return is already signed off.");
    expect(await statusOf()).toBe('signed_off');
    expect(await events('signed-off')).toBe(1);
    expect(await audits('s11.return.signed-off')).toBe(1);
    // A third press, later, says the same.
    expect((await press('joanne-fairweather', 's11.sign-off', { value: returnId })).value).toBe("Walsall Council's return is already signed off.");
  });
});
