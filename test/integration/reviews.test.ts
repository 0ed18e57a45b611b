import { DateTime } from 'luxon';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, examplePartnership, fireTimersUntil as fireTimersUntilIn, outboxDrained, startBot, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { teamsAdaptiveCardInvoke } from '../support/teams-activities.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Rapid-review notifications (src/features/reviews) walked through in Teams on a fake clock: who gets what, the
// statutory clocks in working days over Easter and Christmas bank holidays (and the change to BST), the
// acknowledgement ladder in working hours, the agencies' chronologies, the recommendation and decision, the
// follow-through, and a joint case. Every instant comes from the ManualClock, never the machine's.
const zone = 'Europe/London';
/** A London wall-clock time ('2027-03-30T09:30') as the UTC instant the bot stores. */
const at = (local: string) => DateTime.fromISO(local, { zone }).toUTC().toISO()!;

const walsallTenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
const prgChannel = '19:d4b121b97bd7a499f658486df4fb9c56@thread.tacv2';
/** Walsall's Practice Review Group: the only people who get a review's details. */
const prg = ['helen-ashby', 'kirsty-doyle', 'nicola-brooks', 'stuart-pemberton', 'gary-monk', 'sandra-mcbride', 'femi-adebayo', 'marcus-reid', 'lorna-steele', 'sharon-mcdermott'];
/** Walsall's Executive Group: who decides (reviews: decidedBy: { group: executive-group }). */
const deciders = ['christopher-hale', 'joanne-fairweather', 'ravinder-gill', 'dr-angela-frost', 'paul-harrington', 'sharon-mcdermott'];

interface Walk { bot: BotHarness; clock: ManualClock; tenant: string; aad: Map<string, string> }

async function walk(options: { partnership: string | null; startsAt: string; tenant: string; config?: string }): Promise<Walk> {
  const clock = new ManualClock(DateTime.fromISO(options.startsAt, { zone }).toUTC());
  const bot = await startBot({
    partnership: options.partnership, clock, slack: false,
    env: { DELIVERY_RATE_PER_SECOND: '500', ...(options.config ? { PARTNERSHIP_CONFIG: options.config } : {}) },
  });
  await giveEveryMemberATeamsChat(bot, options.tenant);
  const members = await bot.db.member.findMany({ where: { teamsAadObjectId: { not: null } }, select: { key: true, teamsAadObjectId: true } });
  return { bot, clock, tenant: options.tenant, aad: new Map(members.map((m) => [m.key, m.teamsAadObjectId!])) };
}

function helpers(get: () => Walk) {
  const aad = (key: string) => {
    const id = get().aad.get(key);
    if (!id) throw new Error(`${key} has no Teams id`);
    return id;
  };
  const user = (key: string) => new TeamsUser(get().bot, aad(key), get().tenant, key);
  const conversation = (key: string) => `a:personal-${aad(key)}`;
  /** Every card posted to someone's chat, as they first read it, oldest first. */
  const chat = (key: string) => get().bot.connector.sentActivities(conversation(key)).map((a) => visibleCardText(a));
  /** Every card in someone's chat as it reads now, after the bot's in-place updates. */
  const current = (key: string) => get().bot.connector.sentActivities(conversation(key)).map((a) => visibleCardText(get().bot.connector.activity(conversation(key), a.id!) ?? a));
  const received = (key: string, words: string) => chat(key).filter((t) => t.includes(words));
  /** The Adaptive Card of the first message in someone's chat that reads `words`. */
  const cardReading = (key: string, words: string) =>
    get().bot.connector.sentActivities(conversation(key)).find((a) => visibleCardText(a).includes(words))?.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  const seen = (answer: { value: unknown }) => visibleCardText(answer.value);
  const raw = (answer: { value: unknown }) => JSON.stringify(answer.value);
  const drained = () => outboxDrained(get().bot, 20_000);
  /** Fires every timer due by the London time `local` at its own instant, then delivers what they sent. */
  async function fire(local: string): Promise<void> {
    await fireTimersUntilIn(get().bot, get().clock, at(local));
    await drained();
  }
  const reviewId = async (number: number) => (await get().bot.db.rapidReview.findFirstOrThrow({ where: { number } })).id;
  /** A review's pending timers: key after `review:<id>:` -> UTC instant. */
  async function pending(number: number): Promise<Record<string, string>> {
    const id = await reviewId(number);
    const rows = await get().bot.db.timer.findMany({ where: { subjectId: id, status: 'pending' }, orderBy: { dueAt: 'asc' } });
    return Object.fromEntries(rows.map((r) => [r.key.slice(`review:${id}:`.length), r.dueAt.toISOString()]));
  }
  const pendingStarting = async (number: number, prefix: string) =>
    Object.fromEntries(Object.entries(await pending(number)).filter(([key]) => key.startsWith(prefix)));
  const agencyId = async (key: string) => (await get().bot.db.agency.findFirstOrThrow({ where: { key } })).id;
  const memberId = async (key: string) => (await get().bot.db.member.findFirstOrThrow({ where: { key } })).id;
  const notify = (who: string, values: Record<string, string>) => user(who).press('form:reviews.notify', { jointWith: 'none', ...values });
  /** The very same Action.Execute invoke (one activity id) delivered twice, as Teams may re-send it. */
  async function sameInvokeTwice(who: string, verb: string, data: Record<string, unknown>): Promise<unknown[]> {
    const activity = teamsAdaptiveCardInvoke({
      serviceUrl: get().bot.connector.serviceUrl, conversationId: conversation(who), conversationType: 'personal', tenantId: get().tenant,
      fromId: `29:${aad(who)}`, fromName: who, fromAadObjectId: aad(who), verb, data,
    });
    const post = async () => (await fetch(`${get().bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })).json();
    return [await post(), await post()];
  }
  const audits = (action: string) => get().bot.db.auditEvent.findMany({ where: { action } });
  return { user, chat, current, received, cardReading, seen, raw, drained, fire, reviewId, pending, pendingStarting, agencyId, memberId, notify, sameInvokeTwice, audits };
}

/** Sets one of Walsall's stored `reviews.clocks` settings, as a changed partnership file would. */
async function setWalsallClocks(bot: BotHarness, clocks: Record<string, unknown>): Promise<void> {
  const p = await bot.db.partnership.findFirstOrThrow({ where: { slug: 'walsall' } });
  const sections = (p.sections ?? {}) as Record<string, Record<string, unknown>>;
  const reviews = sections.reviews ?? {};
  await bot.db.partnership.update({
    where: { id: p.id },
    data: { sections: { ...sections, reviews: { ...reviews, clocks: { ...((reviews.clocks as object | undefined) ?? {}), ...clocks } } } as object },
  });
}

/**
 * The line a review form's submission answers with ("Recorded: ...", "Decision recorded for review #1 at 14:00: ..."):
 * in Teams the form turns back into the card it came from, and the line heads it.
 */
const expectLine = (answer: { value: unknown }, line: string) => expect(visibleCardText(answer.value), 'the outcome line on the answer').toContain(line);

const SUMMARY = 'A child was seriously injured at home; the school had raised concerns about bruising the week before.';

describe('a serious child incident in Walsall: clocks over Easter 2027 from awareness, acknowledgement, chronologies, decision and follow-through', () => {
  let setup: Walk;
  const h = helpers(() => setup);
  const { user, chat, current, received, seen, raw } = h;
  const caseRef = 'CSPR-2027-004';

  beforeAll(async () => {
    setup = await walk({ partnership: 'walsall', startsAt: '2027-03-15T10:00', tenant: walsallTenant }); // Monday 15 March 2027, GMT
    await setup.bot.db.conversationRef.create({
      data: { conversationId: prgChannel, scope: 'channel', tenantId: walsallTenant, serviceUrl: setup.bot.connector.serviceUrl, reference: { conversation: { id: prgChannel } } },
    });
  });
  afterAll(async () => {
    await setup?.bot.stop();
  });

  it('goes privately to each member of the Practice Review Group, with clocks counted in working days from awareness over Easter', async () => {
    const opened = await user('ian-rowley').ask('review notify');
    expect(opened).toContain('Notify a case review');
    expect(opened).toContain('Case references only');
    const answer = await h.notify('ian-rowley', {
      type: 'child', caseRef, awareOn: '2027-03-12', summary: SUMMARY,
      agencies: [await h.agencyId('walsall-council'), await h.agencyId('west-midlands-police')].join(','),
    });
    expect(seen(answer)).toContain(`Sent privately to the Practice Review Group (10 members): review #1, case ${caseRef}. The clocks are running from Fri 12 Mar 2027.`);
    await h.drained();

    for (const member of prg) {
      const card = received(member, `New for the Practice Review Group: serious child safeguarding incident, case ${caseRef}.`);
      expect(card, member).toHaveLength(1);
      expect(card[0], member).toContain(SUMMARY);
    }
    const helen = received('helen-ashby', 'New for the Practice Review Group')[0]!;
    expect(helen).toContain('National notification to the Panel and Ofsted by Fri 19 Mar 2027.');
    // Day 0 is Fri 12 Mar. 5 working days: Mon 15 to Fri 19 Mar. 10: Mon 22 to Thu 25 are 6 to 9, Good Friday (26 Mar)
    // and Easter Monday (29 Mar) are skipped, Tue 30 Mar is 10. 15: Wed 31 Mar, Thu 1, Fri 2, Mon 5, Tue 6 Apr.
    for (const words of [
      'National notification to the Panel and Ofsted: by Fri 19 Mar 2027', '5 working days from awareness, Fri 12 Mar 2027 · 4 working days left',
      "Agencies' chronologies to the business unit: by Tue 30 Mar 2027", '10 working days from awareness, Fri 12 Mar 2027 · 9 working days left',
      'Rapid review completed and sent to the Panel: by Tue 6 Apr 2027', '15 working days from awareness, Fri 12 Mar 2027 · 14 working days left',
      'Walsall Council', 'West Midlands Police', 'Notified by\nIan Rowley', 'Acknowledge', 'Record national notification', 'Set meeting date', 'Record recommendation',
    ]) expect(helen, words).toContain(words);
    expectValidAdaptiveCard(h.cardReading('helen-ashby', 'New for the Practice Review Group'));
    expectValidAdaptiveCard(h.cardReading('ian-rowley', 'Your receipt for case'));
    expectValidAdaptiveCard(h.cardReading('kirsty-doyle', 'chronology or summary'));

    // Nobody outside the group reads the summary: not the notifier (a receipt with the clocks), not the Executive.
    const receipt = received('ian-rowley', `Sent privately to the Practice Review Group. Your receipt for case ${caseRef}`);
    expect(receipt).toHaveLength(1);
    expect(receipt[0]).toContain('Rapid review completed and sent to the Panel: by Tue 6 Apr 2027');
    expect(receipt[0]).not.toContain(SUMMARY);
    for (const outsider of ['joanne-fairweather', 'christopher-hale', 'ravinder-gill', 'leanne-hodgkiss']) expect(received(outsider, caseRef), outsider).toEqual([]);
    // The group's channel: the case reference and the clocks only.
    const channel = setup.bot.connector.sentActivities(prgChannel).map((a) => visibleCardText(a)).join('\n');
    expect(channel).toContain(`New serious child safeguarding incident: case ${caseRef} (review #1). Members have the details in their direct chat with the bot.`);
    expect(channel).toContain('by Tue 6 Apr 2027');
    expect(channel).not.toContain(SUMMARY);
    // Each involved agency's leads are asked for its chronology by the secure route, with a button to confirm.
    for (const [lead, agency] of [['nicola-brooks', 'Walsall Council'], ['stuart-pemberton', 'Walsall Council'], ['kirsty-doyle', 'West Midlands Police']] as const) {
      const asked = received(lead, `Please send ${agency}'s chronology or summary for case ${caseRef} to the business unit by the secure route by Tue 30 Mar 2027, then press Confirm sent.`);
      expect(asked, lead).toHaveLength(1);
      expect(asked[0]).toContain('Confirm sent');
      expect(asked[0]).not.toContain(SUMMARY);
    }
    expect(received('marcus-reid', 'chronology or summary')).toEqual([]);

    // The timers: 09:30 London on working days; British Summer Time starts on Sun 28 Mar 2027, so 08:30Z after it.
    expect(await h.pendingStarting(1, 'clock:')).toEqual({
      'clock:notification:before:2@2027-03-19': '2027-03-17T09:30:00.000Z',
      'clock:notification:due@2027-03-19': '2027-03-19T09:30:00.000Z',
      'clock:notification:missed:1@2027-03-19': '2027-03-22T09:30:00.000Z',
      'clock:chronologies:before:2@2027-03-30': '2027-03-24T09:30:00.000Z', // Thu 25 and Wed 24 Mar: Good Friday and Easter Monday skipped
      'clock:chronologies:due@2027-03-30': '2027-03-30T08:30:00.000Z',
      'clock:chronologies:missed:1@2027-03-30': '2027-03-31T08:30:00.000Z',
      'clock:rapid-review:before:2@2027-04-06': '2027-04-02T08:30:00.000Z', // Mon 5 and Fri 2 Apr
      'clock:rapid-review:due@2027-04-06': '2027-04-06T08:30:00.000Z',
      'clock:rapid-review:missed:1@2027-04-06': '2027-04-07T08:30:00.000Z',
    });
    // Acknowledgement: 4 working hours from the notification (Mon 10:00), again 4 later, then the independent chair.
    expect(await h.pendingStarting(1, 'ack:')).toEqual({
      'ack:unacknowledged:4@2027-03-15': '2027-03-15T14:00:00.000Z',
      'ack:unacknowledged:4:again-1@2027-03-15': '2027-03-16T10:00:00.000Z',
      'ack:unacknowledged:4:deputy@2027-03-15': '2027-03-16T14:00:00.000Z',
    });
    const police = await h.pendingStarting(1, `agency:${await h.agencyId('west-midlands-police')}:`);
    expect(Object.keys(police)).toHaveLength(12); // before, due, and the next 10 working days' chasers
    expect(Object.entries(police).slice(0, 4).map(([key, instant]) => `${key.split(':').slice(2).join(':')} ${instant}`)).toEqual([
      'before:2@2027-03-30 2027-03-24T09:30:00.000Z',
      'due@2027-03-30 2027-03-30T08:30:00.000Z',
      'overdue:1@2027-03-30 2027-03-31T08:30:00.000Z',
      'overdue:2@2027-03-30 2027-04-01T08:30:00.000Z',
    ]);
  });

  it('acknowledging twice, or the same Teams invoke delivered twice, counts once; the card lists who has and who has not', async () => {
    const id = await h.reviewId(1);
    const first = await user('helen-ashby').press('reviews.ack', { value: id });
    expect(seen(first)).toContain(`Acknowledged review #1 (case ${caseRef}). The group can see you have.`);
    const second = await user('helen-ashby').press('reviews.ack', { value: id });
    expect(raw(second)).toContain('You had already acknowledged review #1.');
    const [once, again] = await h.sameInvokeTwice('gary-monk', 'reviews.ack', { value: id });
    expect(JSON.stringify([once, again])).toContain('Acknowledged review #1');
    expect(await h.audits('reviews.acknowledged')).toHaveLength(2);
    expect(await setup.bot.db.rapidReviewAck.count({ where: { reviewId: id } })).toBe(2);

    const listed = 'Acknowledged: Helen Ashby, Gary Monk. Not yet: Femi Adebayo, Kirsty Doyle, Lorna Steele, Marcus Reid, Nicola Brooks, Sandra McBride, Sharon McDermott, Stuart Pemberton.';
    expect(seen((await user('helen-ashby').press('reviews.ack', { value: id })))).toContain(listed);
    await h.drained();
    // The cards already in members' chats are updated in place to say so.
    expect(current('sandra-mcbride').find((t) => t.includes(`Review #1 · case ${caseRef}`))).toContain(listed);
    // Someone outside the group cannot acknowledge it, nor learn anything about it by trying.
    const outsider = await user('ian-rowley').press('reviews.ack', { value: id });
    expect(raw(outsider)).toContain('That review is not one you can see.');
    expect(raw(outsider)).not.toContain(caseRef);
    expect(await setup.bot.db.rapidReviewAck.count({ where: { reviewId: id } })).toBe(2);
    // Acknowledged: the acknowledgement ladder stands down.
    expect(await h.pendingStarting(1, 'ack:')).toEqual({});
    for (const outsider of ['ian-rowley', 'joanne-fairweather']) expect(received(outsider, 'Acknowledged'), outsider).toEqual([]);
  });

  it("an agency's lead confirms its chronology was sent: its chasers stop, the other agency's go on; a crafted press by another agency's lead changes nothing", async () => {
    const id = await h.reviewId(1);
    const council = await h.agencyId('walsall-council');
    const police = await h.agencyId('west-midlands-police');
    const youthJustice = await h.agencyId('walsall-youth-justice');
    // Not involved in this review: Marcus Reid leads the Youth Justice Service; Lorna Steele leads Probation.
    for (const [who, value] of [['marcus-reid', `${id}:${youthJustice}`], ['lorna-steele', `${id}:${police}`], ['lorna-steele', `${id}:${council}`]] as const) {
      const refused = await user(who).press('reviews.agency.sent', { value });
      expect(raw(refused), `${who} ${value}`).toContain('That review is not one you can see.');
    }
    expect(await setup.bot.db.rapidReviewAgency.count({ where: { reviewId: id, confirmedAt: { not: null } } })).toBe(0);
    expect(await h.audits('reviews.chronology-sent')).toHaveLength(0);

    const confirmed = await user('nicola-brooks').press('reviews.agency.sent', { value: `${id}:${council}` });
    expect(seen(confirmed)).toContain(`Walsall Council's chronology for case ${caseRef} was confirmed sent by Nicola Brooks. Thank you.`);
    expect(raw(confirmed)).not.toContain('"verb":"reviews.agency.sent"'); // the button has gone
    const twice = await user('stuart-pemberton').press('reviews.agency.sent', { value: `${id}:${council}` });
    expect(raw(twice)).toContain(`Walsall Council's chronology for case ${caseRef} was already confirmed sent by Nicola Brooks.`);
    expect(await h.audits('reviews.chronology-sent')).toHaveLength(1);
    expect(await h.pendingStarting(1, `agency:${council}:`)).toEqual({});
    expect(Object.keys(await h.pendingStarting(1, `agency:${police}:`))).toHaveLength(12);
    // The chronologies clock runs on until every agency has confirmed.
    expect(Object.keys(await h.pendingStarting(1, 'clock:chronologies:'))).toHaveLength(3);
    await h.drained();
    expect(current('stuart-pemberton').some((t) => t.includes(`Walsall Council's chronology for case ${caseRef} was confirmed sent by Nicola Brooks. Thank you.`))).toBe(true);
    const group = current('gary-monk').find((t) => t.includes(`Review #1 · case ${caseRef}`))!;
    expect(group).toContain('Walsall Council\nConfirmed sent by Nicola Brooks, Mon 15 Mar, 10:00\nSent');
    expect(group).toContain('West Midlands Police\nWaiting');
  });

  it('the national notification clock reminds the chair and the business manager only, without the summary; recording the notification silences it', async () => {
    const id = await h.reviewId(1);
    await h.fire('2027-03-17T09:30');
    const reminder = `Reminder for case ${caseRef}: national notification to the Panel and Ofsted, due by Fri 19 Mar 2027 (2 working days left; 5 working days from awareness, Fri 12 Mar 2027).`;
    for (const keeper of ['helen-ashby', 'sharon-mcdermott']) {
      const got = received(keeper, reminder);
      expect(got, keeper).toHaveLength(1);
      expect(got[0]).not.toContain(SUMMARY);
      expect(got[0]).not.toContain('Acknowledge');
    }
    for (const other of ['gary-monk', 'kirsty-doyle', 'christopher-hale', 'ian-rowley', 'joanne-fairweather']) expect(received(other, 'national notification to the Panel and Ofsted, due by'), other).toEqual([]);

    await h.fire('2027-03-19T09:30');
    expect(received('helen-ashby', `Reminder for case ${caseRef}: national notification to the Panel and Ofsted, due by Fri 19 Mar 2027 (due today`)).toHaveLength(1);

    await h.fire('2027-03-19T11:00');
    const form = await user('helen-ashby').press('reviews.notified', { value: id });
    expectValidAdaptiveCard(form.value);
    expect(seen(form)).toContain(`The day the Panel and Ofsted was notified about case ${caseRef}.`);
    const early = await user('helen-ashby').press('form:reviews.notified-form', { state: id, on: '2027-03-11' });
    expect(seen(early)).toContain('That is before the partnership became aware (Fri 12 Mar 2027).');
    const later = await user('helen-ashby').press('form:reviews.notified-form', { state: id, on: '2027-03-22' });
    expect(seen(later)).toContain('That is after today (Fri 19 Mar 2027): record the notification once it has happened.');
    expect(raw(later)).toContain('2027-03-22'); // what was typed is kept
    const recorded = await user('helen-ashby').press('form:reviews.notified-form', { state: id, on: '2027-03-19' });
    expectLine(recorded, 'Recorded: the Panel and Ofsted notified on Fri 19 Mar 2027 for review #1.');
    expect(await h.pendingStarting(1, 'clock:notification:')).toEqual({});
    await h.drained();
    const group = current('femi-adebayo').find((t) => t.includes(`Review #1 · case ${caseRef}`))!;
    expect(group).toContain('Notified to the Panel and Ofsted\nFri 19 Mar 2027');
    expect(group).toMatch(/National notification to the Panel and Ofsted: by Fri 19 Mar 2027\n[^\n]*· done\nDone/);
    expect(group).not.toContain('Record national notification');

    await h.fire('2027-03-22T12:00');
    expect(received('christopher-hale', 'Escalation')).toEqual([]);
    expect(received('helen-ashby', 'the deadline has passed for national notification')).toEqual([]);
  });

  it("the chronologies clock: reminder, due day (after the change to BST) and the next working day's escalation to the independent chair; the police are chased", async () => {
    await h.fire('2027-03-24T09:30');
    const reminder = `Reminder for case ${caseRef}: agencies' chronologies to the business unit, due by Tue 30 Mar 2027 (2 working days left; 10 working days from awareness, Fri 12 Mar 2027).`;
    for (const keeper of ['helen-ashby', 'sharon-mcdermott']) expect(received(keeper, reminder), keeper).toHaveLength(1);
    expect(received('gary-monk', "agencies' chronologies to the business unit, due by")).toEqual([]);
    expect(received('kirsty-doyle', `Reminder: West Midlands Police's chronology for case ${caseRef} is due by Tue 30 Mar 2027 (2 working days left). Send it by the secure route, then press Confirm sent.`)).toHaveLength(1);
    for (const lead of ['nicola-brooks', 'stuart-pemberton']) expect(received(lead, "Reminder: Walsall Council's chronology"), lead).toEqual([]);

    await h.fire('2027-03-30T09:30');
    expect(received('helen-ashby', `Reminder for case ${caseRef}: agencies' chronologies to the business unit, due by Tue 30 Mar 2027 (due today`)).toHaveLength(1);
    const dueDay = await setup.bot.db.timer.findFirstOrThrow({ where: { key: { endsWith: ':clock:chronologies:due@2027-03-30' } } });
    expect(dueDay).toMatchObject({ status: 'fired', dueAt: new Date('2027-03-30T08:30:00Z') });

    await h.fire('2027-03-31T09:30');
    const escalation = `Escalation for case ${caseRef}: the deadline has passed for agencies' chronologies to the business unit, due by Tue 30 Mar 2027 (10 working days from awareness, Fri 12 Mar 2027), and nothing is recorded as done.`;
    for (const who of ['helen-ashby', 'sharon-mcdermott', 'christopher-hale']) {
      const got = received(who, escalation);
      expect(got, who).toHaveLength(1);
      expect(got[0]).not.toContain(SUMMARY);
    }
    for (const other of ['gary-monk', 'kirsty-doyle', 'joanne-fairweather']) expect(received(other, 'Escalation:'), other).toEqual([]);
    expect(received('kirsty-doyle', `Overdue: West Midlands Police's chronology for case ${caseRef} was due by Tue 30 Mar 2027. Send it by the secure route today, then press Confirm sent.`)).toHaveLength(1);
    expect(received('nicola-brooks', 'Overdue: Walsall Council')).toEqual([]);
  });

  it('the chair sets the meeting (a working day) and the invitations arrive; the recommendation goes to the Executive Group to decide, once', async () => {
    const id = await h.reviewId(1);
    await h.fire('2027-03-31T10:00');
    const notChair = await user('gary-monk').press('form:reviews.meeting-form', { state: id, on: '2027-04-01' });
    expect(raw(notChair)).toContain("Only the group's chair, vice-chair or the business manager can set the meeting. Nothing was changed.");
    const saturday = await user('helen-ashby').press('form:reviews.meeting-form', { state: id, on: '2027-04-03' });
    expectValidAdaptiveCard(saturday.value);
    expect(seen(saturday)).toContain('That is not a working day: choose a weekday that is not a bank holiday.');
    expect(raw(saturday)).toContain('2027-04-03');
    const set = await user('helen-ashby').press('form:reviews.meeting-form', { state: id, on: '2027-04-01' });
    expectLine(set, "Meeting for review #1 set for Thu 1 Apr 2027; the group and the agencies' leads have their invitations.");
    await h.drained();
    const invite = `You are invited to the rapid review meeting for case ${caseRef} (review #1) on Thu 1 Apr 2027.`;
    for (const member of prg) expect(received(member, invite).length, member).toBeGreaterThan(0);
    for (const outsider of ['joanne-fairweather', 'ian-rowley']) expect(received(outsider, invite), outsider).toEqual([]);

    await h.fire('2027-04-01T14:00');
    const attendees = await Promise.all(['helen-ashby', 'kirsty-doyle', 'nicola-brooks', 'gary-monk'].map(h.memberId));
    const note = 'Information sharing between the school and health visiting needs looking at.';
    const byMember = await user('gary-monk').press('form:reviews.recommend-form', { state: id, recommendation: 'lcspr', attendees: attendees.join(','), note });
    expect(raw(byMember)).toContain("Only the group's chair, vice-chair or the business manager can record the recommendation. Nothing was changed.");
    expect((await setup.bot.db.rapidReview.findUniqueOrThrow({ where: { id } })).recommendation).toBeNull();
    const recommended = await user('helen-ashby').press('form:reviews.recommend-form', { state: id, recommendation: 'lcspr', attendees: attendees.join(','), note });
    expectLine(recommended, 'Recommendation recorded for review #1; the decision maker has a card to decide.');
    await h.drained();
    for (const decider of deciders) {
      const card = received(decider, `The group recommends for case ${caseRef}: Local child safeguarding practice review (LCSPR). Please record your decision, with reasons.`);
      expect(card, decider).toHaveLength(1);
      expect(card[0]).toContain('Record decision');
      expect(card[0]).toContain('4 attended the rapid review meeting.');
      expect(card[0]).toContain(note);
      expect(card[0]).not.toContain(SUMMARY);
    }
    expect(received('helen-ashby', 'Please record your decision')).toEqual([]);
    expectValidAdaptiveCard(h.cardReading('joanne-fairweather', 'Please record your decision'));

    // A member of the group who is not a decision maker: neither the button nor a crafted submission works.
    const button = await user('gary-monk').press('reviews.decide', { value: id });
    expect(raw(button)).toContain('That review is not one you can see.');
    const crafted = await user('gary-monk').press('form:reviews.decide-form', { state: id, decision: 'no-review', reasons: 'Crafted.' });
    expect(raw(crafted)).toContain('That review is not one you can see.');
    expect(await setup.bot.db.rapidReview.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'open', decision: null });

    const form = await user('joanne-fairweather').press('reviews.decide', { value: id });
    expectValidAdaptiveCard(form.value);
    expect(seen(form)).toContain(`Your decision on case ${caseRef}, with reasons. The time is recorded; the group is told.`);
    expect(seen(form)).toContain('Told the Panel and Ofsted of the decision on');
    const reasons = 'The criteria for a local review are met: serious harm, and learning about how agencies worked together.';
    const decided = await user('joanne-fairweather').press('form:reviews.decide-form', { state: id, decision: 'lcspr', reasons, toldOn: '2027-04-01' });
    expectLine(decided, 'Decision recorded for review #1 at 14:00: Local child safeguarding practice review (LCSPR). The group has been told.');
    const second = await user('christopher-hale').press('form:reviews.decide-form', { state: id, decision: 'no-review', reasons: 'Second thoughts.' });
    expectLine(second, 'Review #1 is already decided: Local child safeguarding practice review (LCSPR).');
    expect(await h.audits('reviews.decided')).toHaveLength(1);
    expect(await setup.bot.db.rapidReview.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'decided', decision: 'lcspr', decisionReasons: reasons, nationalToldOn: '2027-04-01' });

    await h.drained();
    const told = received('lorna-steele', `Decision on case ${caseRef} by Joanne Fairweather: Local child safeguarding practice review (LCSPR). The follow-through has started: Terms of reference agreed by Thu 29 Apr 2027.`);
    expect(told).toHaveLength(1);
    expect(told[0]).not.toContain('Reasons for the decision'); // a short note; the card already sent holds the rest
    const card = current('lorna-steele').find((t) => t.includes(`Review #1 · case ${caseRef}`) && t.includes('Reasons for the decision'));
    for (const words of [
      'Local child safeguarding practice review (LCSPR), by Joanne Fairweather on Thu 1 Apr, 14:00', 'The Panel and Ofsted told of the decision\nThu 1 Apr 2027', `Reasons for the decision: ${reasons}`,
      // From Thu 1 Apr: 20 working days, 30 (Mon 3 May is a bank holiday), 5 months, 6 months (en-GB writes "Sept").
      'Terms of reference agreed: by Thu 29 Apr 2027', 'Reviewer commissioned: by Fri 14 May 2027', 'Final report to the partners: by Wed 1 Sept 2027', 'Report published: by Fri 1 Oct 2027',
    ]) expect(card, words).toContain(words);
    // Lorna is a member of the group, not its chair: the follow-through is the chair's and the business unit's to record.
    expect(card).not.toContain('Record a step done');
    expect(current('helen-ashby').find((t) => t.includes(`Review #1 · case ${caseRef}`) && t.includes('Reasons for the decision'))).toContain('Record a step done');
    // Decided: the rapid review clock (its reminder was due Fri 2 Apr) and the police chasers stand down.
    expect(Object.keys(await h.pending(1)).filter((key) => !key.startsWith('milestone:'))).toEqual([]);
    expect(await h.pendingStarting(1, 'milestone:terms:')).toMatchObject({
      'milestone:terms:before:5@2027-04-29': '2027-04-22T08:30:00.000Z',
      'milestone:terms:due@2027-04-29': '2027-04-29T08:30:00.000Z',
      'milestone:terms:overdue:1@2027-04-29': '2027-04-30T08:30:00.000Z',
      'milestone:terms:overdue:6@2027-04-29': '2027-05-10T08:30:00.000Z', // then every 5 working days (Mon 3 May is a bank holiday)
    });
  });

  it('the follow-through reminds before each step; recording publication starts a "kept public until" reminder 12 months on', async () => {
    const id = await h.reviewId(1);
    await h.fire('2027-04-22T09:30');
    for (const keeper of ['helen-ashby', 'sharon-mcdermott']) {
      expect(received(keeper, `Reminder: "Terms of reference agreed" for review #1 (case ${caseRef}) is due by Thu 29 Apr 2027.`), keeper).toHaveLength(1);
    }
    expect(received('christopher-hale', 'Terms of reference agreed')).toEqual([]);

    await h.fire('2027-04-22T11:00');
    const form = await user('helen-ashby').press('reviews.milestone', { value: id });
    expect(seen(form)).toContain(`Record a step of the follow-through for case ${caseRef} as done.`);
    expectLine(await user('helen-ashby').press('form:reviews.milestone-form', { state: id, step: 'terms', on: '2027-04-22' }), 'Recorded: Terms of reference agreed, Thu 22 Apr 2027, for review #1.');
    expect(await h.pendingStarting(1, 'milestone:terms:')).toEqual({});
    await user('helen-ashby').press('form:reviews.milestone-form', { state: id, step: 'reviewer', on: '2027-04-22' });
    await user('sharon-mcdermott').press('form:reviews.milestone-form', { state: id, step: 'report', on: '2027-04-22' });
    const early = await user('helen-ashby').press('form:reviews.milestone-form', { state: id, step: 'publication', on: '2027-04-23' });
    expect(seen(early)).toContain('That is after today (Thu 22 Apr 2027): record it once it has happened.');

    await h.fire('2027-04-23T10:00');
    const published = await user('helen-ashby').press('form:reviews.milestone-form', { state: id, step: 'publication', on: '2027-04-23' });
    expectLine(published, 'Recorded: Report published, Fri 23 Apr 2027, for review #1.');
    // Fri 23 Apr 2027 + 12 months is Sun 23 Apr 2028: "at least 12 months", so on to Mon 24 Apr. Its reminder 10 working
    // days before skips Easter Monday (17 Apr) and Good Friday (14 Apr 2028): Thu 6 Apr 2028, in BST.
    expect(await h.pending(1)).toEqual({
      'milestone:public-until:before:10@2028-04-24': '2028-04-06T08:30:00.000Z',
      'milestone:public-until:due@2028-04-24': '2028-04-24T08:30:00.000Z',
    });
    await h.drained();
    const group = current('kirsty-doyle').find((t) => t.includes(`Review #1 · case ${caseRef}`))!;
    expect(group).toContain('Report published: done Fri 23 Apr 2027');
    expect(group).toContain('Report kept public at least 12 months: may come down after Mon 24 Apr 2028');

    await h.fire('2028-04-06T09:30');
    const keep = `The published report for case ${caseRef} (review #1) may come down after Mon 24 Apr 2028, once it has been public as long as the partnership keeps it. Decide whether to keep it up.`;
    for (const keeper of ['helen-ashby', 'sharon-mcdermott']) expect(received(keeper, keep), keeper).toHaveLength(1);
    expect(received('gary-monk', keep)).toEqual([]);
  });

  it('the notify form keeps what was typed and says beside each field what is wrong; a flagged summary goes through once ticked as not identifying, and that is audited without the text', async () => {
    const before = await setup.bot.db.rapidReview.count();
    const nhs = 'Seen at the emergency department; NHS number 943 476 5919 is on the referral.';
    const first = await h.notify('ian-rowley', { type: 'child', caseRef: 'CSPR 2028 01', awareOn: '2028-04-07', summary: nhs });
    expectValidAdaptiveCard(first.value);
    const text = seen(first);
    expect(text).toContain("Use the case system's reference: letters, digits and - / _ . only, no spaces.");
    expect(text).toContain('That is after today (Thu 6 Apr 2028): give the day the partnership became aware.');
    expect(text).toContain('NHS number');
    expect(text).toContain('I have checked: these are not identifying details');
    expect(raw(first)).toContain('CSPR 2028 01');
    expect(raw(first)).toContain(nhs);
    const order = await h.notify('ian-rowley', { type: 'child', caseRef: 'CSPR-2028-01', awareOn: '2028-04-03', nationalNotifiedOn: '2028-03-31', summary: 'A child was harmed.' });
    expect(seen(order)).toContain('That is before the partnership became aware: check both dates.');
    expect(await setup.bot.db.rapidReview.count()).toBe(before);

    const ticked = await h.notify('ian-rowley', { type: 'child', caseRef: 'CSPR-2028-01', awareOn: '2028-04-05', summary: nhs, confirmNotIdentifying: 'checked' });
    expect(seen(ticked)).toContain('Sent privately to the Practice Review Group (10 members): review #2, case CSPR-2028-01.');
    const review = await setup.bot.db.rapidReview.findFirstOrThrow({ where: { number: 2 } });
    const confirmed = await h.audits('reviews.identifying.confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ subjectId: review.id, actor: 'Ian Rowley', data: { fields: ['summary'] } });
    expect(JSON.stringify(confirmed[0]!.data)).not.toContain('943');
    expect(JSON.stringify(await setup.bot.db.auditEvent.findMany({ select: { data: true, actor: true, action: true } }))).not.toContain('943 476');
  });
});

describe('Walsall counting the rapid review from the national notification, over Christmas 2027; a review nobody acknowledges', () => {
  let setup: Walk;
  const h = helpers(() => setup);
  const { user, chat, current, received, seen } = h;
  const caseRef = 'CSPR-2027-031';
  const sarRef = 'SAR-2027-012';

  beforeAll(async () => {
    setup = await walk({ partnership: 'walsall', startsAt: '2027-12-20T11:00', tenant: walsallTenant }); // Monday 20 December 2027, GMT
    await setWalsallClocks(setup.bot, { rapidReviewFrom: 'notification' });
  });
  afterAll(async () => {
    await setup?.bot.stop();
  });

  it('before the national notification is recorded the rapid review clock has not started; the setting is copied onto the review when it is notified', async () => {
    const answer = await h.notify('ian-rowley', { type: 'child', caseRef, awareOn: '2027-12-20', summary: SUMMARY, agencies: await h.agencyId('walsall-healthcare') });
    expect(seen(answer)).toContain(`review #1, case ${caseRef}. The clocks are running from Mon 20 Dec 2027.`);
    // The partnership changes its mind afterwards: the review keeps the clocks it was notified with.
    await setWalsallClocks(setup.bot, { rapidReviewFrom: 'awareness' });
    await user('helen-ashby').press('reviews.ack', { value: await h.reviewId(1) });
    await h.drained();
    const card = received('gary-monk', `New for the Practice Review Group: serious child safeguarding incident, case ${caseRef}.`)[0]!;
    // 5 working days from Mon 20 Dec: Tue 21 to Fri 24 are 1 to 4; Mon 27 and Tue 28 Dec are the bank holidays for
    // Christmas Day and Boxing Day (both at the weekend), so Wed 29 Dec is day 5.
    for (const words of [
      'National notification to the Panel and Ofsted: by Wed 29 Dec 2027', '5 working days from awareness, Mon 20 Dec 2027 · 5 working days left',
      "Agencies' chronologies to the business unit: not started", '10 working days from the national notification, once it is recorded · not started',
      'Rapid review completed and sent to the Panel: not started', '15 working days from the national notification, once it is recorded · not started',
    ]) expect(card, words).toContain(words);
    expect(Object.keys(await h.pendingStarting(1, 'clock:'))).toEqual([
      'clock:notification:before:2@2027-12-29', 'clock:notification:due@2027-12-29', 'clock:notification:missed:1@2027-12-29',
    ]);
    expect(await h.pendingStarting(1, 'clock:notification:before:')).toEqual({ 'clock:notification:before:2@2027-12-29': '2027-12-23T09:30:00.000Z' });
  });

  it('recorded as made on Wed 22 Dec, the rapid review counts 15 working days from that day', async () => {
    const id = await h.reviewId(1);
    await h.fire('2027-12-22T10:00');
    await user('helen-ashby').press('form:reviews.notified-form', { state: id, on: '2027-12-22' });
    await h.drained();
    const card = current('gary-monk').find((t) => t.includes(`Review #1 · case ${caseRef}`))!;
    // From Wed 22 Dec (day 0): Thu 23 and Fri 24 Dec are 1 and 2; Mon 27 and Tue 28 Dec are bank holidays; Wed 29 to
    // Fri 31 Dec are 3 to 5; Mon 3 Jan 2028 is the bank holiday for New Year's Day (a Saturday); Tue 4 to Fri 7 Jan are
    // 6 to 9, Mon 10 Jan is 10 (the chronologies), and Tue 11 to Mon 17 Jan 2028 are 11 to 15 (the rapid review).
    for (const words of [
      'Notified to the Panel and Ofsted\nWed 22 Dec 2027',
      "Agencies' chronologies to the business unit: by Mon 10 Jan 2028", '10 working days from the national notification, Wed 22 Dec 2027 · 10 working days left',
      'Rapid review completed and sent to the Panel: by Mon 17 Jan 2028', '15 working days from the national notification, Wed 22 Dec 2027 · 15 working days left',
    ]) expect(card, words).toContain(words);
    expect(await h.pendingStarting(1, 'clock:')).toEqual({
      'clock:chronologies:before:2@2028-01-10': '2028-01-06T09:30:00.000Z',
      'clock:chronologies:due@2028-01-10': '2028-01-10T09:30:00.000Z',
      'clock:chronologies:missed:1@2028-01-10': '2028-01-11T09:30:00.000Z',
      'clock:rapid-review:before:2@2028-01-17': '2028-01-13T09:30:00.000Z',
      'clock:rapid-review:due@2028-01-17': '2028-01-17T09:30:00.000Z',
      'clock:rapid-review:missed:1@2028-01-17': '2028-01-18T09:30:00.000Z',
    });
    expect(Object.keys(await h.pendingStarting(1, `agency:${await h.agencyId('walsall-healthcare')}:`))).toHaveLength(12);
    // The agency's lead is asked for its chronology, with the day it is due, once that day is known.
    expect.soft(current('sandra-mcbride').some((t) => t.includes("Walsall Healthcare NHS Trust's chronology") || (t.includes('Send by\nMon 10 Jan 2028') && t.includes('Confirm sent'))), 'the chronology request reaches the agency lead').toBe(true);
  });

  it('nobody acknowledges a SAR referral notified late on Christmas Eve: the chair hears 4 working hours later (after the bank holidays), again, then the independent chair', async () => {
    await h.fire('2027-12-24T15:00');
    const answer = await h.notify('ian-rowley', { type: 'adult', caseRef: sarRef, awareOn: '2027-12-24', summary: 'An adult with care and support needs died after a fall; agencies had contact with them.' });
    expect(seen(answer)).toContain(`review #2, case ${sarRef}`);
    await h.drained();
    const card = received('helen-ashby', `New for the Practice Review Group: safeguarding adults review referral, case ${sarRef}.`)[0]!;
    // 5 working days from Fri 24 Dec: Wed 29, Thu 30, Fri 31 Dec, Tue 4, Wed 5 Jan. 20: Wed 26 Jan 2028.
    expect(card).toContain('Referral acknowledged: by Wed 5 Jan 2028');
    expect(card).toContain('5 working days from the referral, Fri 24 Dec 2027');
    expect(card).toContain('Decision on a SAR: by Wed 26 Jan 2028');
    // Working hours 09:00 to 17:00: 2 hours on Fri 24 Dec, then nothing until Wed 29 Dec (the weekend and two bank
    // holidays), 2 more by 11:00. Again 4 working hours on (15:00), then the independent chair: 2 hours to 17:00 and 2
    // on Thu 30 Dec, 11:00.
    expect(await h.pendingStarting(2, 'ack:')).toEqual({
      'ack:unacknowledged:4@2027-12-24': '2027-12-29T11:00:00.000Z',
      'ack:unacknowledged:4:again-1@2027-12-24': '2027-12-29T15:00:00.000Z',
      'ack:unacknowledged:4:deputy@2027-12-24': '2027-12-30T11:00:00.000Z',
    });
    const chased = (who: string) => received(who, `Nobody in the group has acknowledged review #2 (case ${sarRef}) within 4 working hours.`);
    await h.fire('2027-12-29T10:59');
    expect(chased('helen-ashby')).toEqual([]);

    await h.fire('2027-12-29T11:00');
    expect(chased('helen-ashby')).toHaveLength(1);
    expect(chased('helen-ashby')[0]).toContain('As chair, please acknowledge it and make sure the group has seen it.');
    expect(chased('helen-ashby')[0]).toContain('An adult with care and support needs died after a fall'); // the group's card: she is in the group
    expect(chased('helen-ashby')[0]).toContain('Acknowledge');
    for (const other of [...prg.filter((m) => m !== 'helen-ashby'), 'christopher-hale']) expect(received(other, 'Nobody in the group has acknowledged'), other).toEqual([]);

    await h.fire('2027-12-29T15:00');
    expect(chased('helen-ashby')).toHaveLength(2);
    expect(received('christopher-hale', sarRef)).toEqual([]);

    await h.fire('2027-12-30T11:00');
    const escalated = received('christopher-hale', `Nobody in the group has acknowledged review #2 (case ${sarRef}) within 4 working hours, nor after the chair was asked. Please make sure the group has it.`);
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).not.toContain('died after a fall');
    expect(escalated[0]).not.toContain('Acknowledge');
    expect(chased('helen-ashby')).toHaveLength(2);
    expect(await h.pendingStarting(2, 'ack:')).toEqual({});
    const history = await user('helen-ashby').ask('review status 2');
    expect(history.match(/Not acknowledged in time: escalated/g)).toHaveLength(3);
    expect(chat('ian-rowley').some((t) => t.includes('died after a fall'))).toBe(false);
  });

  it("the clocks' reminders say what they count from; an unconfirmed chronology is chased every working day, the chasers topped up as they go", async () => {
    await h.fire('2028-01-06T09:30');
    // Nobody acknowledged the SAR referral: its own 5-working-day clock ran out on Wed 5 Jan.
    expect(received('christopher-hale', `Escalation for case ${sarRef}: the deadline has passed for referral acknowledged, due by Wed 5 Jan 2028 (5 working days from the referral, Fri 24 Dec 2027), and nothing is recorded as done.`)).toHaveLength(1);

    await h.fire('2028-01-13T09:30');
    const reminder = `Reminder for case ${caseRef}: rapid review completed and sent to the Panel, due by Mon 17 Jan 2028 (2 working days left; 15 working days from the national notification, Wed 22 Dec 2027).`;
    for (const keeper of ['helen-ashby', 'sharon-mcdermott']) expect(received(keeper, reminder), keeper).toHaveLength(1);
    expect(received('sandra-mcbride', `Overdue: Walsall Healthcare NHS Trust's chronology for case ${caseRef} was due by Mon 10 Jan 2028.`)).toHaveLength(3); // Tue 11, Wed 12, Thu 13 Jan
    // Chasers are armed ten at a time: after the third, the next ten working days' are waiting (to Wed 26 Jan).
    const chasers = Object.entries(await h.pendingStarting(1, `agency:${await h.agencyId('walsall-healthcare')}:`));
    expect(chasers).toHaveLength(9);
    expect(chasers.at(-1)![0]).toMatch(/:overdue:12@2028-01-10$/);
    expect(chasers.at(-1)![1]).toBe('2028-01-26T09:30:00.000Z');

    await h.fire('2028-01-24T09:30');
    expect(received('helen-ashby', `Reminder for case ${sarRef}: decision on a SAR, due by Wed 26 Jan 2028 (2 working days left; 20 working days from the referral, Fri 24 Dec 2027).`)).toHaveLength(1);
  });
});

// Warrington works in Slack (examples/partnerships/warrington.yaml has no Teams tenant or Teams ids): this copy of
// its file adds made-up ones so that the joint case is walked through in Teams like the rest.
const warringtonTenant = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
async function warringtonInTeams(file: string): Promise<void> {
  const config = parse(await readFile(examplePartnership('warrington'), 'utf8')) as {
    partnership: Record<string, unknown>; members: Record<string, unknown>[]; plans?: Record<string, unknown>[];
  };
  config.partnership.teams = { tenantId: warringtonTenant };
  config.members.forEach((m, i) => { m.teams = `c0ffee00-0000-4000-8000-${String(i + 1).padStart(12, '0')}`; });
  config.plans = config.plans?.filter((plan) => plan.forEachGroup === undefined).map(({ recurs: _recurs, ...plan }) => plan);
  await writeFile(file, stringify(config));
}

describe('a joint case in Warrington: the chairs of both boards agree which process leads; a DHR goes to the Community Safety Partnership', () => {
  let setup: Walk;
  const h = helpers(() => setup);
  const { user, current, received, seen, raw } = h;
  const caseRef = 'CSPR-WA-2027-07';
  const file = path.join(tmpdir(), `pbot-reviews-warrington-${process.pid}.yaml`);
  const summary = 'A child died at home; the mother had reported domestic abuse to the police earlier in the year.';

  beforeAll(async () => {
    await warringtonInTeams(file);
    setup = await walk({ partnership: null, config: file, startsAt: '2027-08-02T10:00', tenant: warringtonTenant }); // Monday 2 August 2027, BST
  });
  afterAll(async () => {
    await setup?.bot.stop();
    await rm(file, { force: true });
  });

  it('both chairs get the choice; they choose differently and the card says so; then they agree and the group card records it', async () => {
    const answer = await h.notify('janet-corbishley', { type: 'child', caseRef, awareOn: '2027-07-30', jointWith: 'dhr', summary });
    expect(seen(answer)).toContain(`Sent privately to the Warrington Safeguarding Children Board (WSCB) (13 members): review #1, case ${caseRef}.`);
    await h.drained();
    const ask = `Case ${caseRef} may need both a Child safeguarding practice review and a Domestic Homicide Review. Agree at the outset which process leads: each chair chooses below.`;
    expectValidAdaptiveCard(h.cardReading('patricia-holroyd', ask));
    for (const chair of ['patricia-holroyd', 'councillor-ann-buckley']) {
      const card = received(chair, ask);
      expect(card, chair).toHaveLength(1);
      expect(card[0]).toContain('Child safeguarding practice review leads');
      expect(card[0]).toContain('Domestic Homicide Review leads');
      expect(card[0]).not.toContain(summary);
    }
    // The Community Safety Partnership's chair is not on the children's board: the choice, never the details.
    expect(received('councillor-ann-buckley', summary)).toEqual([]);
    expect(received('steven-ashcroft', summary)).toHaveLength(1);
    for (const other of ['steven-ashcroft', 'michelle-garside', 'owen-pickering']) expect(received(other, 'Agree at the outset'), other).toEqual([]);

    const id = await h.reviewId(1);
    const first = await user('patricia-holroyd').press('reviews.lead', { value: `${id}:child` });
    expect(seen(first)).toContain('You chose the Child safeguarding practice review. Waiting for 1 more chair to choose.');
    const notAChair = await user('steven-ashcroft').press('reviews.lead', { value: `${id}:dhr` });
    expect(raw(notAChair)).toContain('That review is not one you can see.');
    const differ = await user('councillor-ann-buckley').press('reviews.lead', { value: `${id}:dhr` });
    expect(seen(differ)).toContain('You chose the Domestic Homicide Review, but the chairs chose differently: talk it through, then choose again.');
    expect(seen(differ)).toContain('Chosen so far\nPatricia Holroyd: Child safeguarding practice review; Cllr Ann Buckley: Domestic Homicide Review');
    await h.drained();
    expect(current('patricia-holroyd').find((t) => t.includes(ask) || t.includes('Which process leads this joint case?'))).toContain('Cllr Ann Buckley: Domestic Homicide Review');
    expect(current('steven-ashcroft').find((t) => t.includes(`Review #1 · case ${caseRef}`))).toContain('Joint case\nMay also need a Domestic Homicide Review; the chairs have not yet agreed which process leads');

    const agreed = await user('patricia-holroyd').press('reviews.lead', { value: `${id}:dhr` });
    expect(seen(agreed)).toContain(`Agreed: the Domestic Homicide Review leads for case ${caseRef}, with a joint report to both boards.`);
    const again = await user('councillor-ann-buckley').press('reviews.lead', { value: `${id}:child` });
    expect(raw(again)).toContain(`Already agreed: the Domestic Homicide Review leads for case ${caseRef}.`);
    expect(await h.audits('reviews.lead-agreed')).toHaveLength(1);
    expect(await setup.bot.db.rapidReview.findUniqueOrThrow({ where: { id } })).toMatchObject({ leadProcess: 'dhr' });
    await h.drained();
    expect(current('steven-ashcroft').find((t) => t.includes(`Review #1 · case ${caseRef}`))).toContain('Joint case\nThe Domestic Homicide Review leads (agreed by the chairs)');
    const chairCard = current('councillor-ann-buckley').find((t) => t.includes(`Case ${caseRef}: which process leads?`))!;
    expect(chairCard).toContain('Agreed: the Domestic Homicide Review leads, with a joint report to both boards.');
    expect(chairCard).not.toContain('Child safeguarding practice review leads');
    const history = await user('steven-ashcroft').ask('review status 1');
    expect(history).toContain('Lead process agreed');
    expect(history).toContain('The Domestic Homicide Review leads');
  });

  it("a DHR notification goes to the Community Safety Partnership only; its decision is due a month after the police notification, moved back off the August bank holiday", async () => {
    const answer = await h.notify('michelle-garside', { type: 'dhr', caseRef: 'DHR-WA-2027-02', awareOn: '2027-07-30', summary: 'A woman was killed by her former partner; several agencies knew of the abuse.' });
    expect(seen(answer)).toContain('Sent privately to the Warrington Community Safety Partnership (WCSP) (9 members): review #2, case DHR-WA-2027-02.');
    await h.drained();
    const card = received('owen-pickering', 'New for the Warrington Community Safety Partnership (WCSP): domestic homicide review notification, case DHR-WA-2027-02.');
    expect(card).toHaveLength(1);
    // Fri 30 Jul 2027 + 1 month is Mon 30 Aug 2027, the summer bank holiday: back to Fri 27 Aug.
    for (const words of ['Police notification\nFri 30 Jul 2027', 'Notified to the Home Office\nNot yet recorded', 'Decision on a DHR: by Fri 27 Aug 2027', '1 month from the police notification, Fri 30 Jul 2027']) {
      expect(card[0], words).toContain(words);
    }
    for (const other of ['janet-corbishley', 'patricia-holroyd']) expect(received(other, 'DHR-WA-2027-02'), other).toEqual([]);
    expect(received('michelle-garside', 'Your receipt for case DHR-WA-2027-02')).toHaveLength(1);
    expect(await h.pendingStarting(2, 'clock:')).toEqual({
      'clock:decision:before:2@2027-08-27': '2027-08-25T08:30:00.000Z',
      'clock:decision:due@2027-08-27': '2027-08-27T08:30:00.000Z',
      'clock:decision:missed:1@2027-08-27': '2027-08-31T08:30:00.000Z', // the next working day after the bank holiday
    });
  });
});

describe('each copy of the card is its reader\'s; the decision waits for a recommendation, the recommendation for the meeting; a notification still owed after the decision', () => {
  let setup: Walk;
  const h = helpers(() => setup);
  const { user, current, received, seen } = h;
  const caseRef = 'CSPR-2027-090';
  const groupCopy = (key: string) => current(key).find((t) => t.includes(`Review #1 · case ${caseRef}`))!;

  beforeAll(async () => {
    setup = await walk({ partnership: 'walsall', startsAt: '2027-06-07T10:00', tenant: walsallTenant }); // Monday 7 June 2027
  });
  afterAll(async () => {
    await setup?.bot.stop();
  });

  it('the chair notifies from within the group: already acknowledged; a member\'s copy has Acknowledge but not the chair\'s buttons', async () => {
    const sent = await h.notify('helen-ashby', { type: 'child', caseRef, awareOn: '2027-06-04', summary: SUMMARY, agencies: await h.agencyId('west-midlands-police') });
    expect(seen(sent)).toContain(`Sent privately to the Practice Review Group (10 members): review #1, case ${caseRef}.`);
    await h.drained();
    const helen = groupCopy('helen-ashby');
    expect(helen).toContain('Acknowledged: Helen Ashby.');
    expect(helen).not.toContain('Acknowledge\n');
    for (const button of ['Record national notification', 'Set meeting date', 'Record recommendation']) expect(helen, button).toContain(button);
    const gary = groupCopy('gary-monk');
    expect(gary).toContain('Acknowledge');
    expect(gary).toContain('Record national notification');
    for (const button of ['Set meeting date', 'Record recommendation']) expect(gary, button).not.toContain(button);
    const refused = await user('gary-monk').press('reviews.meeting', { value: await h.reviewId(1) });
    expect(JSON.stringify(refused.value)).toContain("Only the group's chair, vice-chair or the business manager can set the meeting. Nothing was changed.");
    await user('gary-monk').press('reviews.ack', { value: await h.reviewId(1) });
    await h.drained();
    expect(groupCopy('gary-monk')).not.toMatch(/^Acknowledge$/m);
    expect(groupCopy('kirsty-doyle')).toMatch(/^Acknowledge$/m);
  });

  it('a decision maker pressing Record decision before the recommendation is told to wait; a recommendation before the meeting is held is refused beside the field', async () => {
    const id = await h.reviewId(1);
    const early = await user('joanne-fairweather').press('reviews.decide', { value: id });
    expect(JSON.stringify(early.value)).toContain('The group has not recorded its recommendation for review #1 yet: you will get a card to decide when it has.');
    await user('helen-ashby').press('form:reviews.meeting-form', { state: id, on: '2027-06-15' });
    const tooSoon = await user('helen-ashby').press('form:reviews.recommend-form', { state: id, recommendation: 'no-review' });
    expect(seen(tooSoon)).toContain('The meeting is set for Tue 15 Jun 2027: record the recommendation once it has been held, or change the meeting date.');
    expect((await setup.bot.db.rapidReview.findUniqueOrThrow({ where: { id } })).recommendation).toBeNull();
  });

  it('a reminder that fell due while the bot was away is not sent late: the escalation is', async () => {
    // The national notification was due Fri 11 Jun (5 working days from Fri 4 Jun); its reminders were due Wed 9 and
    // Fri 11 Jun. Everything due by Mon 14 Jun 10:00 fires at once, as after an outage.
    const back = DateTime.fromISO('2027-06-14T10:00', { zone });
    setup.clock.set(back);
    await setup.bot.runtime.reconcileNow();
    await eventually(async () => (await setup.bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: back.toJSDate() } } })) === 0, 10_000, 'the timers due during the outage');
    await h.drained();
    expect(received('helen-ashby', 'Reminder for case')).toEqual([]);
    expect(received('helen-ashby', `Escalation for case ${caseRef}: the deadline has passed for national notification to the Panel and Ofsted, due by Fri 11 Jun 2027`)).toHaveLength(1);
  });

  it('decided with the national notification still not recorded: its button stays, and recording it later stands its clock down', async () => {
    const id = await h.reviewId(1);
    await h.fire('2027-06-16T10:00');
    await user('helen-ashby').press('form:reviews.recommend-form', { state: id, recommendation: 'no-review' });
    const decided = await user('joanne-fairweather').press('form:reviews.decide-form', { state: id, decision: 'no-review', reasons: 'Single-agency learning is already under way.' });
    expect(seen(decided)).toContain('Decision recorded for review #1');
    await h.drained();
    expect(groupCopy('gary-monk')).toContain('Record national notification');
    expect(groupCopy('gary-monk')).not.toMatch(/^Acknowledge$/m);
    const recorded = await user('gary-monk').press('form:reviews.notified-form', { state: id, on: '2027-06-16' });
    expect(seen(recorded)).toContain('Recorded: the Panel and Ofsted notified on Wed 16 Jun 2027 for review #1.');
    expect(await h.pending(1)).toEqual({});
  });
});
