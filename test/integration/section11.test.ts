// A whole Section 11 round for the Walsall example, on a fake clock in London time: the business manager launches
// it and every agency's leads get their card; Walsall Council's lead fills in its return over two sittings on both
// platforms (Teams, then Slack, where the draft is found as it was left) and the ICB's in one sitting; West Midlands
// Police never returns, so it is reminded (never on a bank holiday), chased, and escalated to its board
// representative, then the PQA chair and the business manager; a signatory sends a return back and signs it off
// once resubmitted; the PQA group moderates and the agency responds; the report's CSV and heat-map PNG are decoded;
// an improvement action is reminded, listed when overdue and marked done; and the recurring round two years on
// launches by itself with the council's answers carried forward to confirm or update. Every instant comes from the
// ManualClock, never the machine's.
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { freePort } from '../../src/demo/ports.js';
import { HEAT_COLOURS, heatMapSvg, type HeatMapInput } from '../../src/features/section11/heat-map.js';
import { DEFAULT_SCALE } from '../../src/features/section11/model.js';
import { DEFAULT_STANDARDS } from '../../src/features/section11/standards.js';
import { eventually, fireTimersUntil, outboxDrained, slackSigningSecret, startBot, type BotHarness } from '../support/bot-harness.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { actionData, visibleCardText } from '../support/card-text.js';
import { blockActionsBody, postSignedSlackRequest, slackViewStateValues, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';
import { dmChannelId } from '../support/slack-wire.js';
import { teamsCardActionData } from '../support/teams-activities.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

const zone = 'Europe/London';
/** A London wall-clock time ('2027-03-01T10:00') as a UTC instant. */
const at = (local: string) => DateTime.fromISO(local, { zone }).toUTC();
const tenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
/** Walsall works in Teams; for the second sitting its partnership is given a Slack workspace and Nicola Brooks a Slack id. */
const slackTeam = 'T0WALSAL01';
const nicolaSlack = 'U0WNBROOKS';
const ROUND1 = 'Section 11 audit 2027';
const ROUND2 = 'Section 11 audit 2028';
const COUNCIL = 'Walsall Council';
const ICB = 'NHS Black Country Integrated Care Board';
const POLICE = 'West Midlands Police';
const INJECTION = '=HYPERLINK("https://evil.example","Board minutes") and the Cabinet safeguarding report each January';
const ACTION_S2 = 'Review the safeguarding policy and publish it on the new intranet';
const ACTION_S5 = 'Recovery plan for level 3 training, reported monthly to the directorate team';
const SEND_BACK = 'Standard 5: add this year\u2019s training completion figures by level before I sign.';
const FEEDBACK = 'Standard 2 is not met until the policy is published; training is recovering, so standard 5 is partially met.';
const RESPONSE = 'Agreed on standard 2: the policy goes live in July. On standard 5 we accept partially met.';

type Json = Record<string, any>;
type Answers = Partial<Record<'rating' | 'evidence' | 'links' | 'action' | 'owner' | 'target' | 'na' | 'confirm', string>>;
/** One standard's answers as the form's field ids (`s2:rating`, ...). */
const fields = (standard: string, answers: Answers) => Object.fromEntries(Object.entries(answers).map(([part, value]) => [`${standard}:${part}`, value]));

let bot: BotHarness;
let clock: ManualClock;
const aad = new Map<string, string>();
const ids = new Map<string, string>();
let trigger = 0;

beforeAll(async () => {
  clock = new ManualClock(at('2027-03-01T09:00')); // Monday 1 March 2027, GMT
  // The report's CSV reaches Teams as a download link the bot serves: it needs a public address it really listens on.
  const port = await freePort();
  bot = await startBot({ partnership: 'walsall', clock, env: { DELIVERY_RATE_PER_SECOND: '500', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  await giveEveryMemberATeamsChat(bot, tenant);
  for (const m of await bot.db.member.findMany({ select: { id: true, key: true, teamsAadObjectId: true } })) {
    ids.set(m.key, m.id);
    if (m.teamsAadObjectId) aad.set(m.key, m.teamsAadObjectId);
  }
}, 60_000);
afterAll(async () => {
  await bot?.stop();
});

// ---- Teams -------------------------------------------------------------------------------------------------------

const id = (key: string) => ids.get(key) ?? expect.fail(`no member ${key}`);
const user = (key: string) => new TeamsUser(bot, aad.get(key) ?? expect.fail(`${key} has no Teams id`), tenant, key);
const conversation = (key: string) => `a:personal-${aad.get(key)}`;
/** Every message in someone's Teams chat as it reads now (after in-place updates), oldest first. */
const teamsChat = (key: string) => bot.connector.sentActivities(conversation(key)).map((a) => bot.connector.activity(conversation(key), a.id!) ?? a);
/** What someone has been sent, as they first read each message, oldest first. */
const chat = (key: string) => bot.connector.sentActivities(conversation(key)).map((a) => visibleCardText(a));
const received = (key: string, words: string) => chat(key).filter((t) => t.includes(words));
/** The Adaptive Card of the newest message in someone's chat that now reads `words`. */
function cardReading(key: string, words: string): Json {
  const activity = [...teamsChat(key)].reverse().find((a) => visibleCardText(a).includes(words));
  const card = (activity?.attachments as Json[] | undefined)?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  return card ?? expect.fail(`${key} has no card reading "${words}"; they have:\n${chat(key).join('\n----\n')}`);
}
const seen = (answer: { value?: unknown }) => (typeof answer.value === 'string' ? answer.value : visibleCardText(answer.value));
const drained = () => outboxDrained(bot, 30_000);

/** Presses a card's button as `key` and returns the answer. */
const press = (key: string, card: unknown, verb: string) => user(key).press(verb, actionData(card, verb));

/** Types into a form card and presses its main button (or Back, Save for later): the card Teams shows next. */
async function submitCard(key: string, card: unknown, typed: Record<string, string | undefined> = {}, intent?: string): Promise<Json> {
  const action = teamsCardActionData(card, { typed, ...(intent ? { intent } : {}) }) ?? expect.fail(`no ${intent ?? 'submit'} button`);
  const answer = await user(key).press(action.verb, action.data);
  expect(answer.statusCode).toBe(200);
  return answer as Json;
}
/** A page of the return in Teams: the answer must be the next card (a form page), which is returned. */
async function nextPage(key: string, card: unknown, typed: Record<string, string | undefined> = {}): Promise<Json> {
  const answer = await submitCard(key, card, typed);
  expect(answer.type, seen(answer)).toBe('application/vnd.microsoft.card.adaptive');
  expectValidAdaptiveCard(answer.value);
  return answer.value as Json;
}
/** The value an input on a form card holds. */
const inputValue = (card: unknown, inputId: string) => {
  const all = (n: unknown): Json[] => (Array.isArray(n) ? n.flatMap(all) : n && typeof n === 'object' ? [n as Json, ...Object.values(n).flatMap(all)] : []);
  return all(card).find((n) => typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === inputId)?.value as string | undefined;
};

/** Fires every timer due by the London time `local` at its own instant, then delivers what they sent. */
async function fire(local: string): Promise<void> {
  await fireTimersUntil(bot, clock, at(local).toISO()!);
  await drained();
}
const returnId = async (agency: string, round = 1) => {
  const { id: agencyId } = await bot.db.agency.findFirstOrThrow({ where: { key: agency }, select: { id: true } });
  return (await bot.db.s11Return.findFirstOrThrow({ where: { agencyId, round: { number: round } }, select: { id: true } })).id;
};
/** An agency's line in `s11 status`: its name, its status (after the tone's icon) and its due day. */
const statusLine = (agency: string, status: string, due: string) => new RegExp(`${agency.replace(/[()]/g, '\\$&')}\\n(?:\\S+ )?${status}\\n(?:\\S+ )?${due.replace(/[()]/g, '\\$&')}(?:\\n|$)`);

// ---- Slack -------------------------------------------------------------------------------------------------------

const postSlack = async (request: SlackRequest) => {
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
  expect(res.status).toBe(200);
  const text = await res.text();
  return text ? (JSON.parse(text) as Json) : undefined;
};
const nextTrigger = () => `trigger-s11-${Date.now()}-${++trigger}`;
const slackText = (view: Json) => visibleCardText(view.blocks);
/** Nicola's Slack DM with the bot as it reads now, oldest first. */
function nicolaInSlack(): string[] {
  const dm = dmChannelId([nicolaSlack]);
  return bot.slackApi.callsTo('chat.postMessage')
    .filter((c) => c.body.channel === nicolaSlack || c.body.channel === dm)
    .map((c) => (c.response as { ts?: string } | undefined)?.ts)
    .filter((ts): ts is string => Boolean(ts))
    .map((ts) => visibleCardText(bot.slackApi.message(dm, ts)));
}
/** Slack's answer to a modal submitted with `typed` over what the view `shown` showed. */
const slackSubmit = (shown: Json, typed: Record<string, string | undefined>, viewId: string) =>
  postSlack(viewSubmissionBody({ userId: nicolaSlack, teamId: slackTeam, viewId, callbackId: shown.callback_id, privateMetadata: shown.private_metadata, values: slackViewStateValues(shown, typed) }));

// ---- The answers -------------------------------------------------------------------------------------------------

const council = () => ({
  s1: { rating: 'met', evidence: INJECTION, links: 'https://walsall.example.org/cabinet/2027-01' },
  s2: { rating: 'partly-met', evidence: 'The policy was last reviewed in 2023 and is not yet on the new intranet', action: ACTION_S2, owner: id('ian-rowley'), target: '2027-07-30' },
  s3: { rating: 'met', evidence: 'The structure chart names the Head of Service for Safeguarding and QA' },
  s4: { rating: 'not-applicable', na: 'Commissioning sits with the joint commissioning unit, which answers for it under standard 7' },
  s5: { rating: 'not-met', evidence: 'Level 3 completion is 58% against a 90% target', action: ACTION_S5, owner: id('stuart-pemberton'), target: '2028-06-30' },
  s6: { rating: 'met', evidence: 'Single central record audited in January: no gaps' },
  s7: { rating: 'met', evidence: 'Attendance at every partnership group and case conference' },
  s8: { rating: 'met', evidence: 'Information sharing agreement signed by every partner in 2026' },
});
const icb = () => ({
  s1: { rating: 'met', evidence: 'Quality committee minutes take a safeguarding report each quarter' },
  s2: { rating: 'met', evidence: 'Policy reviewed in 2026, on the intranet' },
  s3: { rating: 'met', evidence: 'Chief Nursing Officer is the executive lead' },
  s4: { rating: 'met', evidence: 'Young people\u2019s advisory panel consulted on the 2026 plan' },
  s5: { rating: 'met', evidence: 'Training needs analysis in place' },
  s6: { rating: 'partly-met', evidence: 'Two panels lacked a safer-recruitment-trained member', action: 'Train four more panel chairs in safer recruitment', owner: id('gary-monk'), target: '2028-06-30' },
  s7: { rating: 'met', evidence: 'Escalation policy used twice this year' },
  s8: { rating: 'met', evidence: 'Information sharing guidance issued to GPs' },
});

describe('a whole Section 11 round for Walsall, from launch to the round two years on', () => {
  it('the business manager launches the round: every agency\u2019s leads get their card, nobody else does, and every agency shows Not started', async () => {
    clock.set(at('2027-03-01T10:00'));
    const launched = await user('sharon-mcdermott').ask(`s11 launch "${ROUND1}" due 2027-06-01`);
    expect(launched).toContain(`Launched round 1, ${ROUND1}: 13 agencies asked, due Tue 1 Jun 2027.`);
    expect(launched).toContain('s11 status 1 shows where they stand.');
    await drained();

    for (const [lead, agency] of [['nicola-brooks', COUNCIL], ['stuart-pemberton', COUNCIL], ['helen-ashby', ICB], ['gary-monk', ICB], ['kirsty-doyle', POLICE], ['lorna-steele', 'The Probation Service (Walsall)']] as const) {
      const cards = received(lead, `${ROUND1} has started: ${agency}'s self-assessment (Section 11 audit, 8 standards) is due Tue 1 Jun 2027.`);
      expect(cards, lead).toHaveLength(1);
      for (const words of [`${ROUND1} · ${agency}`, 'Not started', 'Tue 1 Jun 2027 (', 'working days left', 'Start return', 'Ask for more time']) expect(cards[0], `${lead}: ${words}`).toContain(words);
    }
    expectValidAdaptiveCard(cardReading('kirsty-doyle', `${ROUND1} has started`));
    // Every lead in the file: one card each, about their own agency; those with no Teams id are recorded as unreachable.
    const leads = await bot.db.roleAssignment.findMany({ where: { role: 'agency_lead', active: true }, select: { member: { select: { key: true } }, agency: { select: { name: true } } } });
    expect(new Set(leads.map((l) => l.agency!.name)).size).toBe(13);
    for (const { member, agency } of leads.filter((l) => aad.has(l.member.key))) {
      expect(received(member.key, 'has started'), member.key).toEqual([expect.stringContaining(`${agency!.name}'s self-assessment`)]);
    }
    // Not a lead: the QA officer, the chair, a signatory who leads nothing. Nothing about the round reaches them.
    for (const outsider of ['ian-rowley', 'christopher-hale', 'joanne-fairweather', 'leanne-hodgkiss']) expect(received(outsider, ROUND1), outsider).toEqual([]);
    // Leads with no way to reach them (no Teams id in the file) are recorded for the admins' daily report.
    const unreachable = await bot.db.auditEvent.findMany({ where: { action: 'delivery.unreachable' }, select: { subjectId: true } });
    expect(new Set(unreachable.map((u) => u.subjectId))).toEqual(new Set([id('ryan-cotterill'), id('elaine-ward'), id('anita-chauhan')]));

    const status = await user('sharon-mcdermott').ask('s11 status');
    expect(status).toContain(`${ROUND1}, round 1: 13 agencies, due Tue 1 Jun 2027`);
    expect(status).toContain('Not started: 13 · Draft: 0 · Submitted: 0 · Returned: 0 · Signed off: 0');
    for (const agency of [COUNCIL, ICB, POLICE, 'Cafcass']) expect(status, agency).toMatch(statusLine(agency, 'Not started', 'Tue 1 Jun 2027'));
  });

  it('Walsall Council\u2019s lead starts in Teams, saves for later, carries on days later in Slack from where she stopped, and submits; the ICB completes in one sitting', async () => {
    // Tuesday: pages 1 and 2 in Teams, page 3 typed and saved for later.
    clock.set(at('2027-03-02T10:00'));
    const answers = council();
    const opened = await press('nicola-brooks', cardReading('nicola-brooks', `${ROUND1} has started`), 's11.open');
    expect(opened.type).toBe('application/vnd.microsoft.card.adaptive');
    const page1 = opened.value as Json;
    expectValidAdaptiveCard(page1);
    for (const words of ['Step 1 of 9', 'Standard 1: Senior management commitment', 'Evidence might include: Board or governance minutes', 'Met (M)', 'Partially met (P)', 'Not met (N)', 'Not applicable (X)']) expect(visibleCardText(page1), words).toContain(words);
    const page2 = await nextPage('nicola-brooks', page1, fields('s1', answers.s1));
    expect(visibleCardText(page2)).toContain('Standard 2: Statement of safeguarding responsibilities');
    // Partially met with no improvement action: the error shows beside the field and what she typed stays.
    const refused = await nextPage('nicola-brooks', page2, fields('s2', { rating: 'partly-met', evidence: answers.s2.evidence }));
    expect(visibleCardText(refused)).toContain('Anything short of met needs an improvement action.');
    expect(visibleCardText(refused)).toContain('Step 2 of 9');
    expect(inputValue(refused, 's2:evidence')).toBe(answers.s2.evidence);
    expect(inputValue(refused, 's2:rating')).toBe('partly-met');
    const page3 = await nextPage('nicola-brooks', refused, fields('s2', answers.s2));
    expect(visibleCardText(page3)).toContain('Standard 3: Clear line of accountability');
    const saved = await submitCard('nicola-brooks', page3, fields('s3', answers.s3), 'close');
    expect(seen(saved)).toContain('Your answers to Self-assessment are saved as a draft. Carry on whenever you like, in Slack or in Teams.');
    const draft = await bot.db.formDraft.findUniqueOrThrow({ where: { formKey_subjectKey: { formKey: 's11.return', subjectKey: `s11-return:${await returnId('walsall-council')}` } } });
    expect(draft.page).toBe(2);
    // The business unit sees the return as a draft now.
    expect(await user('sharon-mcdermott').ask('s11 status')).toMatch(statusLine(COUNCIL, 'Draft', 'Tue 1 Jun 2027'));

    // Thursday, in Slack: the same lead (Walsall given a workspace, Nicola a Slack id) finds page 3 as she left it.
    clock.set(at('2027-03-04T14:00'));
    await bot.db.partnership.updateMany({ where: { slug: 'walsall' }, data: { slackTeamId: slackTeam } });
    await bot.db.member.update({ where: { id: id('nicola-brooks') }, data: { slackUserId: nicolaSlack } });
    const triggerId = nextTrigger();
    const views = bot.slackApi.callsTo('views.open').length;
    await postSlack(slashCommandBody({ text: 's11 open', userId: nicolaSlack, teamId: slackTeam, triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) }));
    const modal = ((await bot.slackApi.waitFor('views.open', { count: views + 1 })).response as { view: Json }).view;
    expect(modal.callback_id).toBe('s11.return');
    expect(slackText(modal)).toContain('Step 3 of 9');
    expect(slackText(modal)).toContain('Standard 3: Clear line of accountability');
    expect(JSON.stringify(modal.blocks)).toContain(answers.s3.evidence);
    expect(slackViewStateValues(modal)['s3:rating']).toMatchObject({ 's3:rating': { selected_option: { value: 'met' } } });

    let shown = modal;
    for (const standard of ['s3', 's4', 's5', 's6', 's7', 's8'] as const) {
      const typed = standard === 's3' ? {} : fields(standard, answers[standard]);
      const answer = await slackSubmit(shown, typed, modal.id);
      expect(answer?.response_action, `${standard}: ${JSON.stringify(answer)}`).toBe('update');
      shown = answer!.view as Json;
    }
    expect(slackText(shown)).toContain('Step 9 of 9');
    expect(slackText(shown)).toContain('Every standard is answered.');
    for (const words of ['Partially met (P)', 'Not applicable (X)', ACTION_S5, 'Ian Rowley']) expect(slackText(shown), words).toContain(words);
    expect(await slackSubmit(shown, {}, modal.id)).toBeUndefined(); // the modal closes
    await drained();
    await eventually(() => nicolaInSlack().some((t) => t.includes(`Thank you: ${COUNCIL}'s return for ${ROUND1} is submitted. It has gone to your signatory to sign off.`)), 5000, 'the thank-you in Slack');
    for (const signatory of ['joanne-fairweather', 'ravinder-gill']) {
      const card = received(signatory, `Nicola Brooks submitted ${COUNCIL}'s return for ${ROUND1}. Please sign it off, or send it back with a comment.`);
      expect(card, signatory).toHaveLength(1);
      for (const words of ['2. Statement of safeguarding responsibilities', 'Partially met (P)', 'Not met (N)', 'Sign off', 'Send back']) expect(card[0], words).toContain(words);
    }

    // Monday: the ICB's lead does it all in one sitting in Teams.
    clock.set(at('2027-03-08T11:00'));
    const theirs = icb();
    let card = (await press('helen-ashby', cardReading('helen-ashby', `${ROUND1} has started`), 's11.open')).value as Json;
    for (const standard of ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'] as const) card = await nextPage('helen-ashby', card, fields(standard, theirs[standard]));
    expect(visibleCardText(card)).toContain('Every standard is answered.');
    const submitted = await submitCard('helen-ashby', card);
    expect(seen(submitted)).toContain(`Thank you: ${ICB}'s return for ${ROUND1} is submitted. It has gone to your signatory to sign off.`);
    await drained();
    expect(received('dr-angela-frost', `Helen Ashby submitted ${ICB}'s return`)).toHaveLength(1);
    // The business unit and the PQA group get the returns with their ratings; a lead of another agency does not.
    expect(received('sharon-mcdermott', `Helen Ashby submitted ${ICB}'s return`)).toHaveLength(1);
    expect(received('kirsty-doyle', `Nicola Brooks submitted ${COUNCIL}'s return`)).toHaveLength(1);
    expect(received('lorna-steele', 'submitted')).toEqual([]);

    const status = await user('sharon-mcdermott').ask('s11 status');
    expect(status).toContain('Not started: 11 · Draft: 0 · Submitted: 2 · Returned: 0 · Signed off: 0');
  });

  it('the ICB\u2019s signatory sends its return back with a comment; the lead sees it, reopens the answers as they were and resubmits; both returns are signed off', async () => {
    clock.set(at('2027-03-09T10:00'));
    const signOffCard = cardReading('dr-angela-frost', `Helen Ashby submitted ${ICB}'s return`);
    const form = (await press('dr-angela-frost', signOffCard, 's11.send-back')).value as Json;
    expect(visibleCardText(form)).toContain(`Send ${ICB}'s return for ${ROUND1} back to its leads.`);
    const sent = await submitCard('dr-angela-frost', form, { comment: SEND_BACK });
    expect(seen(sent)).toContain(`Dr Angela Frost sent ${ICB}'s return back to its leads. Its leads are told, with your comment.`);
    await drained();

    for (const lead of ['helen-ashby', 'gary-monk']) {
      const told = received(lead, `Dr Angela Frost sent ${ICB}'s return back to its leads.`);
      expect(told, lead).toHaveLength(1);
      expect(told[0]).toContain(`Returned by Dr Angela Frost: ${SEND_BACK}`);
      expect(told[0]).toContain('Open return');
    }
    // Her own card no longer offers Sign off.
    expect(visibleCardText(cardReading('dr-angela-frost', `${ROUND1} · ${ICB}`))).not.toContain('Sign off');

    // The next day the lead opens it again: every answer is as submitted; she adds the figures to standard 5 and resubmits.
    clock.set(at('2027-03-10T09:45'));
    let card = (await press('helen-ashby', cardReading('helen-ashby', `sent ${ICB}'s return back`), 's11.open')).value as Json;
    expect(inputValue(card, 's1:rating')).toBe('met');
    expect(inputValue(card, 's1:evidence')).toBe(icb().s1.evidence);
    for (let page = 1; page <= 4; page++) card = await nextPage('helen-ashby', card);
    expect(inputValue(card, 's5:evidence')).toBe(icb().s5.evidence);
    card = await nextPage('helen-ashby', card, { 's5:evidence': `${icb().s5.evidence}. Completion 2026/27: level 1 96%, level 2 91%, level 3 88%` });
    for (let page = 6; page <= 8; page++) card = await nextPage('helen-ashby', card);
    expect(visibleCardText(card)).toContain('level 3 88%');
    expect(seen(await submitCard('helen-ashby', card))).toContain(`${ICB}'s return for ${ROUND1} is submitted.`);
    await drained();

    clock.set(at('2027-03-11T15:00'));
    const again = cardReading('dr-angela-frost', `Helen Ashby submitted ${ICB}'s return`);
    expect(visibleCardText(again)).toContain('Sign off');
    expect(seen(await press('dr-angela-frost', again, 's11.sign-off'))).toContain(`Signed off: ${ICB}'s return for ${ROUND1}.`);
    expect(seen(await press('joanne-fairweather', cardReading('joanne-fairweather', `Nicola Brooks submitted ${COUNCIL}'s return`), 's11.sign-off'))).toContain(`Signed off: ${COUNCIL}'s return for ${ROUND1}.`);
    await drained();
    expect(received('helen-ashby', `Dr Angela Frost signed off ${ICB}'s return for ${ROUND1}.`)).toHaveLength(1);
    expect(received('stuart-pemberton', `Joanne Fairweather signed off ${COUNCIL}'s return for ${ROUND1}.`)).toHaveLength(1);
    // The other council signatory's card is redrawn: nothing left for him to sign.
    expect(visibleCardText(cardReading('ravinder-gill', `${ROUND1} · ${COUNCIL}`))).not.toContain('Sign off');

    const status = await user('sharon-mcdermott').ask('s11 status');
    expect(status).toContain('Not started: 11 · Draft: 0 · Submitted: 0 · Returned: 0 · Signed off: 2');
  });

  it('the fire service asks for more time; the business manager approves; its due date and reminders move, and it is not escalated on the old date', async () => {
    clock.set(at('2027-03-11T11:00'));
    const fire = 'West Midlands Fire Service';
    const card = cardReading('dean-whitehouse', `${ROUND1} · ${fire}`);
    const form = (await press('dean-whitehouse', card, 's11.extension')).value as Json;
    expect(visibleCardText(form)).toContain(`${fire}'s return for ${ROUND1} is due Tue 1 Jun 2027.`);
    const asked = await submitCard('dean-whitehouse', form, { until: '2027-07-02', reason: 'Our safeguarding lead is on secondment until the end of May.' });
    expect(seen(asked)).toContain(`Asked: more time for ${fire}'s return, until Fri 2 Jul 2027.`);
    await drained();
    const request = cardReading('sharon-mcdermott', 'asks for more time');
    expect(visibleCardText(request)).toContain('Our safeguarding lead is on secondment until the end of May.');
    const approved = await press('sharon-mcdermott', request, 's11.extension.approve');
    expect(seen(approved)).toContain(`More time approved by Sharon McDermott: ${fire}'s return is now due Fri 2 Jul 2027.`);
    // A second press (or another admin) changes nothing.
    expect(seen(await press('sharon-mcdermott', request, 's11.extension.approve'))).toContain('That request was already approved.');
    await drained();
    expect(received('dean-whitehouse', `More time approved by Sharon McDermott: ${fire}'s return is now due Fri 2 Jul 2027.`)).toHaveLength(1);
    // Its reminders count to the new day: 10 working days before 2 July is Fri 18 June.
    const fireReturn = await returnId('west-midlands-fire');
    const pending = await bot.db.timer.findMany({ where: { subjectId: fireReturn, status: 'pending' }, orderBy: { dueAt: 'asc' }, select: { key: true, dueAt: true } });
    expect(pending[0]).toMatchObject({ key: expect.stringContaining('before:10@2027-07-02'), dueAt: at('2027-06-18T09:30').toJSDate() });
    expect(pending.length).toBeGreaterThan(3);
    expect(pending.filter((t) => !t.key.endsWith('@2027-07-02'))).toEqual([]);
  });

  it('the police never return: reminded 10, 5 and 1 working days before (not on the bank holiday) and on the day, chased, then escalated to its board representative and the PQA chair and business manager', async () => {
    const reminders = () => received('kirsty-doyle', `Reminder: ${POLICE}'s return for ${ROUND1} is`);
    await fire('2027-05-30T23:00'); // to the Sunday before the late May bank holiday
    expect(reminders()).toHaveLength(3);
    expect(reminders()[0]).toContain('due Tue 1 Jun 2027 (10 working days left)');
    expect(reminders()[1]).toContain('due Tue 1 Jun 2027 (5 working days left)');
    expect(reminders()[2]).toContain('due Tue 1 Jun 2027 (1 working day left)');
    // "1 working day before" Tuesday 1 June is Friday 28 May: Monday 31 May is the late May bank holiday.
    const police = await returnId('west-midlands-police');
    const fired = await bot.db.timer.findMany({ where: { subjectId: police, status: 'fired' }, orderBy: { dueAt: 'asc' }, select: { key: true, dueAt: true } });
    expect(fired.map((t) => `${t.key.split(':chase:')[1]} ${t.dueAt.toISOString()}`)).toEqual([
      'before:10@2027-06-01 2027-05-17T08:30:00.000Z',
      'before:5@2027-06-01 2027-05-24T08:30:00.000Z',
      'before:1@2027-06-01 2027-05-28T08:30:00.000Z',
    ]);
    await fire('2027-05-31T23:00');
    expect(reminders()).toHaveLength(3); // nothing on the bank holiday
    await fire('2027-06-01T12:00');
    expect(reminders()).toHaveLength(4);
    expect(reminders()[3]).toContain('is due today, Tue 1 Jun 2027');
    expect(visibleCardText(cardReading('kirsty-doyle', 'is due today'))).toContain('Start return');

    await fire('2027-06-15T12:00');
    const chasers = received('kirsty-doyle', `Overdue: ${POLICE}'s return for ${ROUND1} was due Tue 1 Jun 2027`);
    expect(chasers.map((t) => /\((\d+) working days? overdue\)/.exec(t)?.[1])).toEqual(['1', '6']);
    expect(chasers[0]).toContain('Please finish and submit it, or ask for more time.');
    // 5 working days overdue (Tue 8 Jun): the police's member of the Executive Group.
    const board = received('paul-harrington', `Escalation: ${POLICE}'s return for ${ROUND1} was due Tue 1 Jun 2027 (5 working days overdue), and it is not in (not started).`);
    expect(board).toHaveLength(1);
    expect(board[0]).toContain(`As ${POLICE}'s representative on the board, please follow it up.`);
    expect(received('paul-harrington', '10 working days overdue')).toEqual([]);
    // 10 working days overdue (Tue 15 Jun): the PQA chair and the business manager, and nobody else, in one message
    // listing every agency of the round still not in (ten, past their due dates), not one message per agency; the fire
    // service, given until 2 July, is not among them.
    const digestHead = `Escalation: 10 returns are still not in for ${ROUND1}, after reminders, chasers and the agencies' board representatives:`;
    for (const who of ['stuart-pemberton', 'sharon-mcdermott']) {
      const digests = received(who, 'Escalation:');
      expect(digests, who).toHaveLength(1);
      expect(digests[0], who).toContain(digestHead);
      expect(digests[0], who).toContain(`${POLICE}: was due Tue 1 Jun 2027 (10 working days overdue), not started`);
      expect(digests[0], who).not.toContain('Walsall Council:');
      expect(digests[0], who).not.toContain('West Midlands Fire Service:');
    }
    for (const who of ['christopher-hale', 'kirsty-doyle', 'joanne-fairweather', 'helen-ashby', 'ian-rowley']) expect(received(who, 'Escalation: 11 returns'), who).toEqual([]);
    for (const who of ['christopher-hale', 'kirsty-doyle', 'joanne-fairweather', 'helen-ashby', 'ian-rowley']) expect(received(who, `Escalation: ${POLICE}'s`), who).toEqual([]);

    // The agencies whose returns are in were never reminded or chased.
    for (const lead of ['helen-ashby', 'gary-monk', 'stuart-pemberton']) {
      expect(received(lead, 'Reminder:'), lead).toEqual([]);
      expect(received(lead, 'Overdue:'), lead).toEqual([]);
    }
    expect(nicolaInSlack().filter((t) => t.includes('Reminder:') || t.includes('Overdue:'))).toEqual([]);
    expect(received('joanne-fairweather', 'Escalation:')).toEqual([]); // the council's board members: it is in
    // Another agency that never returned is chased too.
    expect(received('lorna-steele', "Overdue: The Probation Service (Walsall)'s return")).toHaveLength(2);

    const status = await user('sharon-mcdermott').ask('s11 status');
    expect(status).toMatch(statusLine(POLICE, 'Not started', 'Tue 1 Jun 2027 (overdue)'));
    expect(status).toMatch(statusLine(COUNCIL, 'Signed off', 'Tue 1 Jun 2027'));
  });

  it('a PQA member moderates the council\u2019s return; its leads see the moderated ratings beside theirs and the feedback, respond, and the PQA chair and business unit are told', async () => {
    await fire('2027-06-16T11:00');
    const reviewerCard = cardReading('kirsty-doyle', `${ROUND1} · ${COUNCIL}`);
    expect(visibleCardText(reviewerCard)).toContain('Moderate');
    const form = (await press('kirsty-doyle', reviewerCard, 's11.moderate')).value as Json;
    expect(visibleCardText(form)).toContain(`Moderated ratings for ${COUNCIL}'s return for ${ROUND1}`);
    expect(inputValue(form, 's2:moderated')).toBe('partly-met'); // each starts at the agency's own rating
    const done = await submitCard('kirsty-doyle', form, { 's2:moderated': 'not-met', 's5:moderated': 'partly-met', feedback: FEEDBACK });
    expect(seen(done)).toContain(`Kirsty Doyle moderated ${COUNCIL}'s return for ${ROUND1}. The agency's leads have the feedback.`);
    await drained();

    // Stuart in Teams, Nicola in Slack: their ratings and the moderated ones side by side, the feedback, Respond.
    const stuart = received('stuart-pemberton', `Kirsty Doyle moderated ${COUNCIL}'s return for ${ROUND1}. Here are the moderated ratings beside yours`);
    expect(stuart).toHaveLength(1);
    for (const words of [
      'Your ratings and the moderated ratings', `2. Statement of safeguarding responsibilities\nModerated: Not met (N) · Action: ${ACTION_S2}\nPartially met (P)`,
      `5. Safeguarding training\nModerated: Partially met (P) · Action: ${ACTION_S5}\nNot met (N)`, '3. Clear line of accountability\nModerated: Met (M)\nMet (M)', `Feedback: ${FEEDBACK}`, 'Respond',
    ]) expect(stuart[0], words).toContain(words);
    const inSlack = nicolaInSlack().filter((t) => t.includes('Here are the moderated ratings beside yours'));
    expect(inSlack).toHaveLength(1);
    expect(inSlack[0]).toContain('Moderated: Not met (N)');
    expect(inSlack[0]).toContain(FEEDBACK);

    // Nicola responds from the card in Slack.
    const dm = dmChannelId([nicolaSlack]);
    const post = bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === nicolaSlack || c.body.channel === dm).find((c) => JSON.stringify(c.body.blocks).includes('Here are the moderated ratings'))!;
    const button = (post.body.blocks as Json[]).flatMap((b) => (b.elements as Json[] | undefined) ?? []).find((e) => e.type === 'button' && String(e.action_id).startsWith('s11.respond'))!;
    expect(button.value).toBe(await returnId('walsall-council'));
    const triggerId = nextTrigger();
    const views = bot.slackApi.callsTo('views.open').length;
    await postSlack(blockActionsBody({ userId: nicolaSlack, teamId: slackTeam, channelId: dm, messageTs: (post.response as { ts: string }).ts, triggerId, actions: [{ actionId: button.action_id, value: button.value }] }));
    const modal = ((await bot.slackApi.waitFor('views.open', { count: views + 1 })).response as { view: Json }).view;
    expect(modal.callback_id).toBe('s11.respond');
    expect(await slackSubmit(modal, { response: RESPONSE }, modal.id)).toBeUndefined();
    await drained();
    await eventually(() => nicolaInSlack().some((t) => t.includes('Thank you: your response is recorded and the PQA chair and the business unit are told.')), 5000, 'the thank-you');
    for (const who of ['stuart-pemberton', 'sharon-mcdermott']) expect(received(who, `Nicola Brooks responded to the feedback on ${COUNCIL}'s return.`), who).toHaveLength(1);
    // The business unit's card for the return now shows the moderation, the feedback and the response.
    const reviewer = visibleCardText(cardReading('sharon-mcdermott', `${ROUND1} · ${COUNCIL}`));
    for (const words of ['Moderated: Not met (N)', `Feedback to the agency: ${FEEDBACK}`, `The agency's response: ${RESPONSE}`]) expect(reviewer, words).toContain(words);
  });

  it('the business manager\u2019s report reaches the chat: a CSV for Excel (self and moderated ratings, formulas escaped) and a heat-map PNG in the rating colours', async () => {
    clock.set(at('2027-06-17T10:00'));
    const report = await user('sharon-mcdermott').ask('s11 report');
    expect(report).toContain(`${ROUND1} (round 1): 2 of 13 returns in.`);
    expect(report).toContain('Improvement actions (3 open of 3)');
    expect(report).toContain(`${COUNCIL}, standard 2: ${ACTION_S2}`);
    const activity = [...teamsChat('sharon-mcdermott')].reverse().find((a) => visibleCardText(a).includes(`${ROUND1} (round 1): 2 of 13 returns in.`))!;
    const all = (n: unknown): Json[] => (Array.isArray(n) ? n.flatMap(all) : n && typeof n === 'object' ? [n as Json, ...Object.values(n).flatMap(all)] : []);
    const card = (activity.attachments as Json[])[0]!.content;

    // The CSV: a download link in the card, served by the bot.
    const link = all(card).find((n) => n.type === 'Action.OpenUrl' && String(n.title).includes('.csv'))!;
    expect(link.title).toBe('Download s11-round-1-2027-ratings.csv');
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for Excel
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    const header = rows[0]!;
    expect(header).toEqual(['Round', 'Agency', 'Status', 'Standard', 'Standard name', 'Self rating', 'Moderated rating', 'Evidence', 'Evidence links', 'Improvement action', 'Action owner', 'Target date', 'Why not applicable']);
    expect(rows).toHaveLength(1 + 13 * 8);
    const row = (agency: string, standard: string) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[1] === agency && r[3] === standard)?.[i]]));
    expect(row(COUNCIL, '2')).toMatchObject({ Round: ROUND1, Status: 'Signed off', 'Self rating': 'Partially met', 'Moderated rating': 'Not met', 'Improvement action': ACTION_S2, 'Action owner': 'Ian Rowley', 'Target date': '2027-07-30' });
    expect(row(COUNCIL, '5')).toMatchObject({ 'Self rating': 'Not met', 'Moderated rating': 'Partially met', 'Action owner': 'Stuart Pemberton' });
    expect(row(COUNCIL, '4')).toMatchObject({ 'Self rating': 'Not applicable', 'Why not applicable': council().s4.na });
    expect(row(COUNCIL, '1')['Evidence']).toBe(`'${INJECTION}`); // a formula typed as evidence never runs in Excel
    expect(row(ICB, '6')).toMatchObject({ 'Self rating': 'Partially met', 'Moderated rating': '', 'Action owner': 'Gary Monk' });
    expect(row(POLICE, '1')).toMatchObject({ Status: 'Not started', 'Self rating': '', Evidence: '' });
    expect(rows.filter((r) => r[2] === 'Signed off')).toHaveLength(16);

    // The heat map: inline in the card as a PNG, within Teams' 1024×1024.
    const image = all(card).find((n) => n.type === 'Image')!;
    expect(image.url).toMatch(/^data:image\/png;base64,/);
    expect(image.altText).toContain('Heat map of 13 agencies by 8 standards; 2 returns in.');
    const png = PNG.sync.read(Buffer.from(String(image.url).slice('data:image/png;base64,'.length), 'base64'));
    // Where each cell is, from the same drawing as SVG (its cells are labelled by agency row, standard and kind).
    const agencies = (await bot.db.agency.findMany({ select: { name: true } })).map((a) => a.name).sort((a, b) => a.localeCompare(b));
    const ratings = (answers: Record<string, Answers>) => Object.fromEntries(Object.entries(answers).map(([s, a]) => [s, a.rating]));
    const input: HeatMapInput = {
      title: `${ROUND1}: ratings`,
      subtitle: 'Self-assessed (S) and moderated (M) ratings side by side',
      standards: DEFAULT_STANDARDS.s11.map((s) => ({ key: s.key, number: s.number, name: s.name })),
      agencies: agencies.map((name) => ({
        name,
        self: name === COUNCIL ? ratings(council()) : name === ICB ? ratings(icb()) : {},
        moderated: name === COUNCIL ? { ...ratings(council()), s2: 'not-met', s5: 'partly-met' } : {},
      })),
      scale: DEFAULT_SCALE,
    };
    const svg = heatMapSvg(input);
    const [svgWidth, svgHeight] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number) as [number, number];
    // Drawn at its own size when that fits in 1024×1024 (scaled down to fit otherwise).
    const fit = Math.min(1, 1024 / Math.max(svgWidth, svgHeight));
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(1024);
    expect(png.width).toBe(Math.round(svgWidth * fit));
    expect(png.height).toBeCloseTo(svgHeight * fit, 0);
    const ratio = png.width / svgWidth;
    const pixel = (agency: string, standard: number, kind: 'self' | 'moderated') => {
      const cell = new RegExp(`<rect data-agency="${agencies.indexOf(agency)}" data-standard="${standard - 1}" data-kind="${kind}" x="([\\d.]+)" y="([\\d.]+)"`).exec(svg);
      expect(cell, `${agency} ${standard} ${kind}`).not.toBeNull();
      // Near the cell's top-left corner: inside its fill, clear of the letter in the middle.
      const x = Math.round((Number(cell![1]) + 4) * ratio);
      const y = Math.round((Number(cell![2]) + 4) * ratio);
      const i = (y * png.width + x) * 4;
      return `#${[png.data[i], png.data[i + 1], png.data[i + 2]].map((c) => c!.toString(16).padStart(2, '0').toUpperCase()).join('')}`;
    };
    expect(pixel(COUNCIL, 1, 'self')).toBe(HEAT_COLOURS.green);
    expect(pixel(COUNCIL, 2, 'self')).toBe(HEAT_COLOURS.amber);
    expect(pixel(COUNCIL, 2, 'moderated')).toBe(HEAT_COLOURS.red);
    expect(pixel(COUNCIL, 4, 'self')).toBe(HEAT_COLOURS.grey);
    expect(pixel(COUNCIL, 5, 'self')).toBe(HEAT_COLOURS.red);
    expect(pixel(COUNCIL, 5, 'moderated')).toBe(HEAT_COLOURS.amber);
    expect(pixel(ICB, 6, 'self')).toBe(HEAT_COLOURS.amber);
    expect(pixel(POLICE, 1, 'self')).toBe('#FFFFFF'); // not in: an empty cell

    // Nobody outside the business unit and the PQA group gets the report: not a lead of an agency whose return is in.
    expect(await user('gary-monk').ask('s11 report')).toContain('the report is not open to you');
  });

  it('an improvement action\u2019s owner is reminded before its target date and on it; once overdue `s11 actions` lists it; Done stops the reminders', async () => {
    const ian = () => received('ian-rowley', `the improvement action for ${COUNCIL} (${ROUND1}, standard 2)`);
    await fire('2027-07-23T10:00'); // 5 working days before Fri 30 Jul
    expect(ian()).toHaveLength(1);
    expect(ian()[0]).toContain(`Reminder: the improvement action for ${COUNCIL} (${ROUND1}, standard 2) is due by Fri 30 Jul 2027: "${ACTION_S2}".`);
    await fire('2027-07-30T10:00');
    expect(ian()).toHaveLength(2);
    expect(await user('sharon-mcdermott').ask('s11 actions')).toContain('No improvement actions you follow are past their target date.');

    await fire('2027-08-02T10:00');
    expect(ian()).toHaveLength(3);
    expect(ian()[2]).toContain(`Overdue: the improvement action for ${COUNCIL} (${ROUND1}, standard 2) was due by Fri 30 Jul 2027`);
    const listed = await user('sharon-mcdermott').ask('s11 actions');
    expect(listed).toContain('Overdue improvement actions');
    expect(listed).toContain(`${ROUND1}: ${COUNCIL}, standard 2: ${ACTION_S2}\nIan Rowley · by Fri 30 Jul 2027\nOverdue`);
    expect(listed).not.toContain(ACTION_S5);
    // The owner sees it too; a lead of another agency does not.
    expect(await user('ian-rowley').ask('s11 actions')).toContain(ACTION_S2);
    expect(await user('lorna-steele').ask('s11 actions')).toContain('No improvement actions you follow are past their target date.');

    const done = await press('ian-rowley', cardReading('ian-rowley', 'Overdue: the improvement action'), 's11.action.done');
    expect(seen(done)).toContain(`Recorded as done today: the improvement action for ${COUNCIL}, standard 2. Its reminders stop.`);
    await fire('2027-08-16T10:00');
    expect(ian()).toHaveLength(3);
    expect(await user('sharon-mcdermott').ask('s11 actions')).toContain('No improvement actions you follow are past their target date.');
  });

  it('the round closes; two years on the recurring round launches by itself, and the council\u2019s answers are carried forward to confirm or update', async () => {
    expect(await user('sharon-mcdermott').ask('s11 close 1')).toContain(`Closed round 1, ${ROUND1}: 2 of 13 returns in; 11 never came in and are no longer chased.`);
    const chasedBefore = received('kirsty-doyle', 'Overdue:').length;
    // The walsall file's recurring round: every two years from Monday 3 April 2028, due four months later.
    await fire('2028-04-03T10:00');
    expect(received('kirsty-doyle', 'Overdue:')).toHaveLength(chasedBefore); // round 1 is no longer chased
    const rounds = await user('sharon-mcdermott').ask('s11 rounds');
    expect(rounds).toContain(`Round 2: ${ROUND2}\nLaunched Mon 3 Apr 2028 · due Thu 3 Aug 2028\nOpen`);
    expect(rounds).toContain(`Round 1: ${ROUND1}\nLaunched Mon 1 Mar 2027 · due Tue 1 Jun 2027\nClosed`);
    // Launched by the scheduler at 09:30 (BST) on the planned day, not by anyone's command.
    const launch = await bot.db.timer.findMany({ where: { kind: 's11.launch', status: 'fired' }, select: { dueAt: true } });
    expect(launch.map((t) => t.dueAt.toISOString())).toEqual(['2028-04-03T08:30:00.000Z']);
    const launched = received('stuart-pemberton', `${ROUND2} has started: ${COUNCIL}'s self-assessment (Section 11 audit, 8 standards) is due Thu 3 Aug 2028.`);
    expect(launched).toHaveLength(1);
    expect(launched[0]).toContain("Last round's answers are filled in for you to confirm or update.");
    expect(launched[0]).toContain("Carried forward\nLast round's answers are filled in: confirm or update each standard");
    // The police had nothing to carry forward.
    expect(received('kirsty-doyle', `${ROUND2} has started`)[0]).not.toContain("Last round's answers");

    // Stuart opens it: every page is filled in from 2027 and asks him to confirm or update.
    clock.set(at('2028-04-04T10:00'));
    let card = (await press('stuart-pemberton', cardReading('stuart-pemberton', `${ROUND2} has started`), 's11.open')).value as Json;
    expect(visibleCardText(card)).toContain(`From the 2027 round (${ROUND1}): confirm or update.`);
    expect(inputValue(card, 's1:rating')).toBe('met');
    expect(inputValue(card, 's1:evidence')).toBe(INJECTION);
    expect(inputValue(card, 's1:confirm')).toBe('');
    card = await nextPage('stuart-pemberton', card);
    expect(inputValue(card, 's2:action')).toBe(ACTION_S2);
    expect(inputValue(card, 's2:owner')).toBe(id('ian-rowley'));
    // Last round's target date has passed: he must move it.
    const past = await nextPage('stuart-pemberton', card);
    expect(visibleCardText(past)).toContain('The target date has passed: choose today or a later date.');
    card = await nextPage('stuart-pemberton', past, { 's2:target': '2028-09-29' });
    for (let page = 3; page <= 8; page++) card = await nextPage('stuart-pemberton', card);
    // Not one standard is confirmed: the review page lists what is missing, page by page.
    const review = visibleCardText(card);
    expect(review).toContain('Still to do before you can submit (8 of 8 standards):');
    expect(review).toContain('• Page 1, standard 1 (Senior management commitment): confirm the answers carried forward');
    expect(review).toContain('• Page 8, standard 8 (Information sharing): confirm the answers carried forward');
    // Submitting anyway is refused: back to page 1, the box to tick beside the error.
    card = await nextPage('stuart-pemberton', card);
    expect(visibleCardText(card)).toContain('Step 1 of 9');
    expect(visibleCardText(card)).toContain('Tick to confirm the answers carried forward, or change them.');
    expect(await bot.db.s11Return.findFirstOrThrow({ where: { id: await returnId('walsall-council', 2) }, select: { status: true } })).toEqual({ status: 'not_started' });

    for (const standard of ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) card = await nextPage('stuart-pemberton', card, { [`${standard}:confirm`]: 'yes' });
    expect(visibleCardText(card)).toContain('Every standard is answered.');
    expect(seen(await submitCard('stuart-pemberton', card))).toContain(`Thank you: ${COUNCIL}'s return for ${ROUND2} is submitted. It has gone to your signatory to sign off.`);
    const submitted = await bot.db.s11Return.findFirstOrThrow({ where: { id: await returnId('walsall-council', 2) } });
    expect(submitted.status).toBe('submitted');
    expect(submitted.answers).toMatchObject({ 's1:evidence': INJECTION, 's2:target': '2028-09-29', 's4:rating': 'not-applicable', 's8:confirm': 'yes' });
  });
});

/** RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}
