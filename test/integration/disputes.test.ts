import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, fireTimersUntil as fireTimersUntilIn, outboxDrained, startBot, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { teamsMessage } from '../support/teams-activities.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Warwickshire's escalation policy (examples/partnerships/warwickshire.yaml, `disputes:`): four stages of 5 working
// days, the last the Independent Chair's with a joint meeting "within 28 days" (calendar days, never extended), the
// ICB's WSEB member as deputy, the business manager last. Walked through by the fake clock, in Teams.
const zone = 'Europe/London';
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const executiveChannel = '19:d4a10a39ef223780e59a410ba90db222@thread.tacv2';
const at930 = (day: string) => DateTime.fromISO(`${day}T09:30`, { zone }).toUTC().toISO()!;

const person = {
  elizabeth: '1ddfd7fc-4c52-4391-9f84-ff2ed4342b45', // Independent Chair: decides at the last stage
  gillian: '8029eb27-7a26-47d8-9be3-e6ebecc7af1f', // deputy in the policy
  hannah: 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', // business manager
  anthony: '385f55a7-2361-4790-a2e7-8eec061a8d5c', // WSEB member the chair delegates to
  kate: '4f623fc3-7204-415f-91bd-6903278c1298', // County Council
  louise: '75f81836-865a-4a8a-81f5-0205fdd33378', // Police
  priya: '332f0bee-a12b-413a-b038-eaad91eca375', // County Council
  deborah: '44561700-a31c-45dd-b941-2bb82084f08b', // ICB
  philippa: 'e146b414-a2eb-4c7a-ac5e-f4c4ec6823da', // schools
  george: '7e81bf37-5d7e-43f5-b4c9-923e8aeab89b', // a third party: no role, no part in any dispute
  richard: '64c03ff9-1e10-48cc-ac62-7172efbcb87f', // Police
} as const;
type Person = keyof typeof person;

interface Setup { bot: BotHarness; clock: ManualClock }

async function setUp(startIso: string): Promise<Setup> {
  const clock = new ManualClock(DateTime.fromISO(startIso, { zone }).toUTC());
  const bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
  await bot.db.conversationRef.create({
    data: { conversationId: executiveChannel, scope: 'channel', tenantId: tenant, serviceUrl: bot.connector.serviceUrl, reference: { conversation: { id: executiveChannel } } },
  });
  return { bot, clock };
}

function helpers(get: () => Setup) {
  const user = (who: Person) => new TeamsUser(get().bot, person[who], tenant, who);
  /** Everything sent to someone's chat, as they read it, newest last. */
  const chat = (who: Person) => get().bot.connector.sentActivities(user(who).conversationId).map((a) => visibleCardText(a));
  const seen = (answer: { value: unknown }) => visibleCardText(answer.value);
  const drained = () => outboxDrained(get().bot, 20_000);
  /** Fires every timer due by `until` at its own instant, then drains the outbox. */
  async function fireTimersUntil(until: string): Promise<void> {
    await fireTimersUntilIn(get().bot, get().clock, until);
    await drained();
  }
  /** A dispute's pending timers: key after the dispute id -> UTC instant. */
  async function pending(number: number): Promise<Record<string, string>> {
    const { bot } = get();
    const d = await bot.db.dispute.findFirstOrThrow({ where: { number } });
    const rows = await bot.db.timer.findMany({ where: { subjectId: d.id, status: 'pending' } });
    return Object.fromEntries(rows.map((r) => [r.key.slice(`dispute:${d.id}:`.length), r.dueAt.toISOString()]));
  }
  const disputeId = async (number: number) => (await get().bot.db.dispute.findFirstOrThrow({ where: { number } })).id;
  const agencyId = async (key: string) => (await get().bot.db.agency.findFirstOrThrow({ where: { key } })).id;
  const memberId = async (key: string) => (await get().bot.db.member.findFirstOrThrow({ where: { key } })).id;
  async function raise(who: Person, values: Record<string, string>) {
    return user(who).press('form:disputes.raise', { urgency: 'standard', ...values });
  }
  return { user, chat, seen, drained, fireTimersUntil, pending, disputeId, agencyId, memberId, raise };
}

describe('a dispute walked through every stage to the Independent Chair (Warwickshire, Teams)', () => {
  let setup: Setup;
  const h = helpers(() => setup);
  const { user, chat, seen } = h;

  beforeAll(async () => {
    setup = await setUp('2027-02-02T10:00'); // Tuesday 2 February 2027
  });
  afterAll(async () => {
    await setup?.bot.stop();
  });

  it('the raise form keeps what was typed and says beside each field what is wrong; nothing is raised', async () => {
    const opened = await user('kate').ask('dispute raise');
    expect(opened).toContain('Raise a disagreement');
    expect(opened).toContain('Case references only');
    const answer = await h.raise('kate', {
      otherAgency: await h.agencyId('warwickshire-police'), otherParty: await h.memberId('kate-brennan'),
      subject: 'Threshold for a strategy discussion', tried: 'We spoke about the child, Jamie Smith, born 3/4/2019, on Monday.', outcomeSought: '',
    });
    expectValidAdaptiveCard(answer.value);
    const text = seen(answer);
    expect(text).toContain('Choose the other person, not yourself.');
    expect(text).toContain('This looks like it contains a name with a date of birth or age. Use case references only');
    expect(text).toContain('The outcome you are seeking is required.');
    expect(JSON.stringify(answer.value)).toContain('Threshold for a strategy discussion'); // what was typed is still there
    const elsewhere = await h.raise('kate', {
      otherAgency: await h.agencyId('warwickshire-police'), otherParty: await h.memberId('deborah-kaur'),
      subject: 'Threshold for a strategy discussion', tried: 'Two calls.', outcomeSought: 'A strategy discussion.',
    });
    expect(seen(elsewhere)).toContain('Deborah Kaur is with NHS Coventry and Warwickshire Integrated Care Board, not Warwickshire Police: choose someone there, or change the agency.');
    expect(await setup.bot.db.dispute.count()).toBe(0);
  });

  it('raising tells the other party with a card; the stage clock is armed: a reminder the day before, escalation after', async () => {
    const answer = await h.raise('kate', {
      otherAgency: await h.agencyId('warwickshire-police'), otherParty: await h.memberId('louise-crane'),
      subject: 'Threshold for a strategy discussion', caseRef: 'CR-2031', tried: 'Two phone calls and an email between the social worker and the police officer.',
      outcomeSought: 'A strategy discussion is held within 2 working days.',
    });
    expect(seen(answer)).toContain('Raised: dispute #1. Louise Crane has been told and can agree an outcome with you from their card. The details are in your direct chat with me.');
    await h.drained();
    expect(chat('kate').find((t) => t.includes('Raised: dispute #1.') && t.includes('Agree an outcome'))).toContain('CR-2031');
    const told = chat('louise').find((t) => t.includes('has raised a disagreement with you'));
    expect(told).toContain('Kate Brennan has raised a disagreement with you: dispute #1, at stage 1 (Practitioner to practitioner).');
    expect(told).toContain('Tue 9 Feb 2027 (5 working days left; 5 working days for this stage)');
    expect(told).toContain('CR-2031');
    expect(told).toContain('Agree an outcome');
    expect(told).toContain('Escalate now');
    expect(await h.pending(1)).toEqual({
      'stage:s0:before:1@2027-02-09': at930('2027-02-08'),
      'stage:s0:escalate:1@2027-02-09': at930('2027-02-10'),
    });
  });

  it('reminds both parties before the stage runs out, then escalates stage by stage at the right instants', async () => {
    await h.fireTimersUntil(at930('2027-02-08'));
    for (const who of ['kate', 'louise'] as const) expect(chat(who).some((t) => t.includes('Reminder: stage 1 of 4 (Practitioner to practitioner) of dispute #1 ends Tue 9 Feb 2027'))).toBe(true);
    expect(chat('kate').some((t) => t.includes('now at stage 2'))).toBe(false);

    await h.fireTimersUntil(at930('2027-02-10'));
    for (const who of ['kate', 'louise'] as const) {
      expect(chat(who).some((t) => t.includes('Dispute #1 was not resolved in time and is now at stage 2 (Line managers), due resolution by Wed 17 Feb 2027.'))).toBe(true);
    }
    expect(await h.pending(1)).toEqual({ 'stage:s1:before:1@2027-02-17': at930('2027-02-16'), 'stage:s1:escalate:1@2027-02-17': at930('2027-02-18') });

    await h.fireTimersUntil(at930('2027-02-18'));
    expect(chat('louise').some((t) => t.includes('is now at stage 3 (Senior managers), due resolution by Thu 25 Feb 2027.'))).toBe(true);
    expect(chat('elizabeth').some((t) => t.includes('Dispute #1'))).toBe(false);
  });

  it('at the last stage the chair gets the full history, the 28-day deadline (moved back off Good Friday) and the actions; the executive channel too', async () => {
    await h.fireTimersUntil(at930('2027-02-26'));
    const card = chat('elizabeth').find((t) => t.includes('has reached you as chair'));
    // Day 28 after Fri 26 Feb is Fri 26 Mar 2027, Good Friday: a calendar-day limit moves back, never on.
    expect(card).toContain('Dispute #1 has reached you as chair: convene a joint meeting by Thu 25 Mar 2027.');
    for (const words of ['Raised by kate', 'Time ran out unresolved: escalated', 'Stage 2 (Line managers)', 'Acknowledge', 'Schedule joint meeting', 'Appoint mediator', 'Record outcome', 'Delegate', 'Two phone calls and an email']) {
      expect(card, words).toContain(words.replace('Raised by kate', 'Raised by Kate Brennan'));
    }
    const channel = setup.bot.connector.sentActivities(executiveChannel).map((a) => visibleCardText(a));
    expect(channel.some((t) => t.includes('Dispute #1 has reached the chair.'))).toBe(true);
    expect(chat('louise').some((t) => t.includes('is now at stage 4 (The Independent Chair), due a joint meeting by Thu 25 Mar 2027.'))).toBe(true);
    expect(Object.keys(await h.pending(1))).toEqual(expect.arrayContaining(['stage:s3:before:1@2027-03-25', 'chair:s3:chair-ping:1@2027-02-26']));
  });

  it('the chair acknowledges (twice counts once): the pings stop; a party cannot act as chair', async () => {
    const id = await h.disputeId(1);
    const refused = await user('kate').press('disputes.chair.ack', { value: id });
    expect(JSON.stringify(refused.value)).toContain('Only the chair holding dispute #1 (Elizabeth Mortimer), the deputy or the independent chair can acknowledge it. Nothing was changed.');
    const first = await user('elizabeth').press('disputes.chair.ack', { value: id });
    const second = await user('elizabeth').press('disputes.chair.ack', { value: id });
    expect(JSON.stringify(first.value)).toContain('Acknowledged dispute #1');
    expect(JSON.stringify(second.value)).toContain('Dispute #1 was already acknowledged by Elizabeth Mortimer.');
    expect(await setup.bot.db.auditEvent.count({ where: { action: 'disputes.chair.acknowledged' } })).toBe(1);
    expect(Object.keys(await h.pending(1)).filter((k) => k.startsWith('chair:'))).toEqual([]);
    await h.fireTimersUntil(at930('2027-03-04'));
    expect(chat('gillian').some((t) => t.includes('Dispute #1'))).toBe(false);
    expect(chat('hannah').some((t) => t.includes('nobody has acknowledged'))).toBe(false);
  });

  it('the chair schedules the joint meeting (by the deadline only), appoints a mediator, and records the final outcome with learning', async () => {
    const id = await h.disputeId(1);
    const asChair = await user('elizabeth').ask('dispute status 1');
    expect(asChair).toContain('Dispute #1 is with you as chair.');
    expect(asChair).toContain('Schedule joint meeting');
    const form = await user('elizabeth').press('disputes.chair.meeting', { value: id });
    expectValidAdaptiveCard(form.value);
    expect(seen(form)).toContain('must be held by Thu 25 Mar 2027');
    expect(JSON.stringify(form.value)).not.toContain('2027-03-26'); // nothing after the deadline to pick
    const late = await user('elizabeth').press('form:disputes.meeting-form', { state: `${id}|3`, on: '2027-03-29' });
    expect(seen(late)).toContain('Choose one of the options for Meeting date.');
    const set = await user('elizabeth').press('form:disputes.meeting-form', { state: `${id}|3`, on: '2027-03-18' });
    expect(seen(set)).toContain('Joint meeting for dispute #1 set for Thu 18 Mar 2027; both parties have been told.');
    await h.drained();
    expect(chat('kate').some((t) => t.includes('Elizabeth Mortimer has set the joint meeting for dispute #1 on Thu 18 Mar 2027.'))).toBe(true);

    await user('elizabeth').press('form:disputes.mediator-form', { state: `${id}|3`, mediator: 'West Midlands Mediation Service' });
    await h.drained();
    expect(chat('louise').some((t) => t.includes('has appointed an independent mediator for dispute #1: West Midlands Mediation Service.'))).toBe(true);

    const decided = await user('elizabeth').press('form:disputes.decide-form', {
      state: `${id}|3`, outcome: 'Strategy discussions are held within 2 working days of a police referral; the threshold document is updated.',
      learning: 'Thresholds for strategy discussions need a joint briefing for practitioners.',
    });
    expect(seen(decided)).toContain('Resolved at stage 4 of 4 (The Independent Chair). Decided by Elizabeth Mortimer (final)');
    const again = await user('elizabeth').press('form:disputes.decide-form', { state: `${id}|3`, outcome: 'Something else' });
    expect(JSON.stringify(again.value)).toContain('Dispute #1 is already resolved.');
    await h.drained();
    for (const who of ['kate', 'louise'] as const) {
      expect(chat(who).some((t) => t.includes("Dispute #1 is resolved at stage 4 of 4 (The Independent Chair) by Elizabeth Mortimer's decision, which is final. The learning goes on the agenda of Quality Learning and Improvement Hubs's next meeting."))).toBe(true);
    }
    const item = await setup.bot.db.agendaItem.findFirstOrThrow({ where: { sourceKey: `dispute:${id}` }, include: { group: true } });
    expect(item).toMatchObject({ title: 'Learning from dispute #1: Thresholds for strategy discussions need a joint briefing for practitioners.', cycleId: null });
    expect(item.group.key).toBe('quality-learning-improvement-hubs');
    expect(await h.pending(1)).toEqual({});
    expect(await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 1 } })).toMatchObject({ status: 'resolved', jointMeetingOn: '2027-03-18', mediator: 'West Midlands Mediation Service' });
  });

  it('`dispute status` gives the whole timeline in order; `dispute log` exports the challenge log', async () => {
    const status = await user('louise').ask('dispute status 1');
    const order = ['Raised by Kate Brennan', 'Reminder sent', 'Time ran out unresolved: escalated', 'Acknowledged by Elizabeth Mortimer', 'Joint meeting scheduled by Elizabeth Mortimer', 'Independent mediator appointed', "The chair's decision (final) by Elizabeth Mortimer"];
    const positions = order.map((words) => status.indexOf(words));
    expect(positions.every((p) => p >= 0), status).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    expect(await user('kate').ask('dispute log 2027')).toContain('Only the chair, the business manager or an admin can export the challenge log.');
    const log = await user('hannah').ask('dispute log 2027');
    expect(log).toContain('Challenge log 2027: 1 dispute raised.');
  });
});

describe('early escalation, agreement at stage 2, an urgent dispute, a chair ping nobody answers, and who sees what', () => {
  let setup: Setup;
  const h = helpers(() => setup);
  const { user, chat, seen } = h;
  const text = (answer: { value: unknown }) => JSON.stringify(answer.value);

  beforeAll(async () => {
    setup = await setUp('2027-04-12T10:00'); // Monday 12 April 2027
  });
  afterAll(async () => {
    await setup?.bot.stop();
  });

  it('either party escalates early with a reason: both hear it, the timeline records why, and a second press changes nothing', async () => {
    await h.raise('priya', {
      otherAgency: await h.agencyId('coventry-warwickshire-icb'), otherParty: await h.memberId('deborah-kaur'),
      subject: 'Health attendance at child protection conferences', tried: 'Emails between the team managers.', outcomeSought: 'A named health attendee for each conference.',
    });
    const id = await h.disputeId(1);
    const form = await user('deborah').press('disputes.escalate', { value: id });
    expect(seen(form)).toContain('Dispute #1 goes to stage 2 (Line managers) now, before its time runs out.');
    const empty = await user('deborah').press('form:disputes.escalate-form', { state: `${id}|0`, reason: '' });
    expect(seen(empty)).toContain('Why escalate now is required.');
    const escalated = await user('deborah').press('form:disputes.escalate-form', { state: `${id}|0`, reason: 'Next conference is on Friday.' });
    expect(seen(escalated)).toContain('Escalated: dispute #1 is now at stage 2 of 4 (Line managers). Both parties have been told.');
    // The same form sent again (a double click, a retried request): the stage it was opened at has passed.
    const again = await user('deborah').press('form:disputes.escalate-form', { state: `${id}|0`, reason: 'Next conference is on Friday.' });
    expect(seen(again)).toContain('Dispute #1 has already moved on to stage 2 of 4 (Line managers).');
    expect(await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 1 } })).toMatchObject({ stage: 1, stageDueOn: '2027-04-19' });
    await h.drained();
    expect(chat('priya').some((t) => t.includes('Dispute #1 was escalated early by Deborah Kaur and is now at stage 2 (Line managers), due resolution by Mon 19 Apr 2027.'))).toBe(true);
    expect(await user('priya').ask('dispute status 1')).toContain('Escalated early by Deborah Kaur\nStage 1 (Practitioner to practitioner): Next conference is on Friday.');
  });

  it('resolution at stage 2: one party proposes, the other first declines, then confirms; a double click counts once and the clock stops', async () => {
    const id = await h.disputeId(1);
    await user('priya').press('form:disputes.propose-form', { state: `${id}|1`, outcome: 'Health sends a named attendee or a written report.' });
    await h.drained();
    const proposal = chat('deborah').find((t) => t.includes('Priya Sandhu proposes an outcome for dispute #1.'));
    expect(proposal).toContain('Health sends a named attendee or a written report.');
    expect(proposal).toContain('Confirm outcome');
    const declined = await user('deborah').press('disputes.decline', { value: id });
    expect(seen(declined)).toContain('Noted: not agreed. Priya Sandhu has been told; dispute #1 stays at stage 2 of 4 (Line managers).');
    expect(text(await user('deborah').press('disputes.confirm', { value: id }))).toContain('There is no proposed outcome on dispute #1 to confirm');

    await user('deborah').press('form:disputes.propose-form', { state: `${id}|1`, outcome: 'Health sends a named attendee to every conference from May.', learning: 'Conference invitations go to the named health attendee.' });
    expect(text(await user('deborah').press('disputes.confirm', { value: id }))).toContain('You proposed this outcome; Priya Sandhu confirms it.');
    const [first, second] = await Promise.all([user('priya').press('disputes.confirm', { value: id }), user('priya').press('disputes.confirm', { value: id })]);
    const both = `${text(first)} ${text(second)}`;
    expect(both).toContain('Confirmed: dispute #1 is resolved at stage 2 of 4 (Line managers).');
    expect(both).toContain('Dispute #1 is already resolved.');
    expect(await setup.bot.db.auditEvent.count({ where: { action: 'disputes.agreed' } })).toBe(1);
    expect(await h.pending(1)).toEqual({});
    await h.drained();
    expect(chat('deborah').some((t) => t.includes('Dispute #1 is resolved at stage 2 of 4 (Line managers), agreed by both parties. The learning goes on the agenda of Quality Learning and Improvement Hubs\'s next meeting.'))).toBe(true);
    expect(await setup.bot.db.agendaItem.findFirstOrThrow({ where: { sourceKey: `dispute:${id}` } })).toMatchObject({ title: 'Learning from dispute #1: Conference invitations go to the named health attendee.' });
  });

  it('a child at immediate risk starts at stage 3 with 1 working day, and reaches the chair the day after it runs out', async () => {
    await h.raise('philippa', {
      otherAgency: await h.agencyId('warwickshire-police'), otherParty: await h.memberId('louise-crane'),
      subject: 'Whether a section 47 enquiry starts today', caseRef: 'CR-4410', tried: 'Call between the school and the MASH.', outcomeSought: 'A strategy discussion today.', urgency: 'immediate',
    });
    const d = await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 2 } });
    expect(d).toMatchObject({ urgent: true, stage: 2, stageDueOn: '2027-04-13' });
    expect(await h.pending(2)).toEqual({ 'stage:s2:escalate:1@2027-04-13': at930('2027-04-14') }); // the day-before reminder has passed
    await h.drained();
    const told = chat('louise').find((t) => t.includes('dispute #2'));
    expect(told).toContain('A child is at immediate risk');
    expect(told).toContain('Tue 13 Apr 2027 (1 working day left; 1 working day for this stage)');

    await h.fireTimersUntil(at930('2027-04-14'));
    // 28 days from Wed 14 Apr 2027 is Wed 12 May 2027, a working day.
    expect(chat('elizabeth').some((t) => t.includes('Dispute #2 has reached you as chair: convene a joint meeting by Wed 12 May 2027.'))).toBe(true);
    expect(await h.pending(2)).toMatchObject({
      'chair:s3:chair-ping:1@2027-04-14': at930('2027-04-15'),
      'chair:s3:chair-ping:1:deputy@2027-04-14': at930('2027-04-16'),
      'chair:s3:chair-ping-manager:3@2027-04-14': at930('2027-04-19'),
    });
  });

  it('nobody acknowledges: the chair is pinged again, then the deputy, then the business manager, each at its instant', async () => {
    const pinged = (who: Person) => chat(who).filter((t) => t.includes('Dispute #2') && /waiting for you|nobody has acknowledged/.test(t)).length;
    await h.fireTimersUntil(at930('2027-04-15'));
    expect(pinged('elizabeth')).toBe(1);
    expect(pinged('gillian')).toBe(0);
    await h.fireTimersUntil(at930('2027-04-16'));
    expect(chat('gillian').some((t) => t.includes('Dispute #2 reached the chair and nobody has acknowledged it: as deputy chair, please take it or acknowledge it.'))).toBe(true);
    expect(pinged('hannah')).toBe(0);
    await h.fireTimersUntil(at930('2027-04-19'));
    const managerCard = chat('hannah').find((t) => t.includes('Dispute #2 reached the chair and nobody has acknowledged it yet. Please contact the chair or the deputy, or delegate it to someone who can take it.'));
    expect(managerCard).toContain('Delegate');
    expect(managerCard).not.toContain('Acknowledge');
    expect(managerCard).not.toContain('Record outcome');
    const timeline = await user('hannah').ask('dispute status 2');
    for (const words of ['Chair pinged again', 'No acknowledgement: the deputy chair was told', 'No acknowledgement: the business manager was told']) expect(timeline).toContain(words);
  });

  it('the chair delegates: the delegate gets the card and can act; a party cannot be the delegate', async () => {
    const id = await h.disputeId(2);
    const party = await user('elizabeth').press('form:disputes.delegate-form', { state: `${id}|3`, to: await h.memberId('louise-crane') });
    expect(seen(party)).toContain('Louise Crane is a party to dispute #2; choose someone independent of it.');
    const delegated = await user('elizabeth').press('form:disputes.delegate-form', { state: `${id}|3`, to: await h.memberId('anthony-reeve') });
    expect(seen(delegated)).toContain("Delegated dispute #2 to Anthony Reeve; they have the chair's card and its reminders.");
    await h.drained();
    expect(chat('anthony').some((t) => t.includes('Elizabeth Mortimer has delegated dispute #2 to you as chair: convene a joint meeting by Wed 12 May 2027.'))).toBe(true);
    expect(seen(await user('anthony').press('disputes.chair.ack', { value: id }))).toContain('Acknowledged dispute #2.');
  });

  it('asked in a group chat, a dispute\'s details go to the asker\'s own chat; the group hears only that', async () => {
    const groupChat = '19:dispute-group-chat@thread.v2';
    await setup.bot.db.conversationRef.create({ data: { conversationId: groupChat, scope: 'groupChat', tenantId: tenant, serviceUrl: setup.bot.connector.serviceUrl, reference: { conversation: { id: groupChat } } } });
    const before = chat('louise').length;
    const res = await fetch(`${setup.bot.url}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsMessage({ serviceUrl: setup.bot.connector.serviceUrl, conversationId: groupChat, conversationType: 'groupChat', tenantId: tenant, fromId: `29:${person.louise}`, fromName: 'Louise Crane', fromAadObjectId: person.louise, text: 'dispute status 2', mentionBot: true })),
    });
    expect(res.status).toBeLessThan(300);
    await h.drained();
    const inGroup = setup.bot.connector.sentActivities(groupChat).map((a) => visibleCardText(a)).join('\n');
    expect(inGroup).toContain('That is private, so I have sent it to you in our direct chat.');
    expect(inGroup).not.toContain('CR-4410');
    expect(inGroup).not.toContain('section 47');
    expect(chat('louise').slice(before).some((t) => t.includes('Dispute #2: Whether a section 47 enquiry starts today') && t.includes('Timeline'))).toBe(true);
  });

  it('an escalation caught up late (the bot was down) counts the next stage from when it was due, and skips the stale reminder', async () => {
    await h.raise('priya', {
      otherAgency: await h.agencyId('warwickshire-police'), otherParty: await h.memberId('richard-barlow'),
      subject: 'Police attendance at strategy meetings', tried: 'Emails.', outcomeSought: 'Attendance at every meeting.',
    });
    const d = await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 3 } });
    await user('richard').press('form:disputes.propose-form', { state: `${d.id}|0`, outcome: 'An officer attends by phone.' });
    const escalation = await setup.bot.db.timer.findFirstOrThrow({ where: { subjectId: d.id, key: { contains: ':escalate:' }, status: 'pending' } });
    const reminder = await setup.bot.db.timer.findFirstOrThrow({ where: { subjectId: d.id, key: { contains: ':before:' }, status: 'pending' } });
    // Down from before the reminder until two working days after the escalation was due.
    setup.clock.set(DateTime.fromJSDate(escalation.dueAt).plus({ days: 2 }));
    await setup.bot.runtime.reconcileNow();
    await eventually(async () => (await setup.bot.db.timer.count({ where: { id: { in: [escalation.id, reminder.id] }, status: 'pending' } })) === 0, 10_000, 'both timers fired');
    await h.drained();
    const moved = await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 3 } });
    expect(moved.stage).toBe(1);
    expect(moved.stageStartedAt.toISOString()).toBe(escalation.dueAt.toISOString());
    expect(chat('priya').some((t) => t.includes('Reminder: stage 1 of 4') && t.includes('dispute #3'))).toBe(false);
    // The proposal nobody confirmed lapsed with the stage, and both were told so.
    expect(moved.proposedOutcome).toBeNull();
    for (const who of ['priya', 'richard'] as const) {
      expect(chat(who).some((t) => t.includes('The outcome Richard Barlow proposed was not confirmed before the stage ended; propose it again if it still stands.')), who).toBe(true);
    }
  });

  it('chair pings caught up after downtime: only the latest one due is sent (the business manager), not the chair again and the deputy', async () => {
    await h.raise('philippa', {
      otherAgency: await h.agencyId('warwickshire-police'), otherParty: await h.memberId('richard-barlow'),
      subject: 'A second urgent threshold decision', caseRef: 'CR-4502', tried: 'A call.', outcomeSought: 'A decision today.', urgency: 'immediate',
    });
    const d = await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 4 } });
    const escalation = await setup.bot.db.timer.findFirstOrThrow({ where: { subjectId: d.id, key: { contains: ':escalate:' }, status: 'pending' } });
    await h.fireTimersUntil(escalation.dueAt.toISOString());
    const manager = await setup.bot.db.timer.findFirstOrThrow({ where: { subjectId: d.id, key: { contains: 'chair-ping-manager' }, status: 'pending' } });
    setup.clock.set(DateTime.fromJSDate(manager.dueAt).plus({ hours: 1 }));
    await setup.bot.runtime.reconcileNow();
    await eventually(async () => (await setup.bot.db.timer.count({ where: { subjectId: d.id, key: { contains: ':chair:' }, status: 'pending', dueAt: { lte: setup.clock.now().toJSDate() } } })) === 0, 10_000, 'the chair pings due');
    await h.drained();
    const pings = await setup.bot.db.disputeEvent.findMany({ where: { disputeId: d.id, kind: { in: ['chair-pinged', 'deputy-pinged', 'manager-pinged'] } } });
    expect(pings.map((e) => e.kind)).toEqual(['manager-pinged']);
  });

  it('a third party sees nothing, by command or by a crafted button or form; chairs and admins see every dispute', async () => {
    const id = await h.disputeId(2);
    expect(await user('george').ask('dispute status 2')).toContain('There is no dispute 2 that you can see.');
    expect(await user('george').ask('dispute status 9')).toContain('There is no dispute 9 that you can see.');
    expect(await user('george').ask('dispute list')).toContain('You have no disputes.');
    for (const verb of ['disputes.chair.ack', 'disputes.confirm', 'disputes.escalate', 'disputes.chair.decide', 'disputes.risk.add']) {
      const answer = text(await user('george').press(verb, { value: id }));
      expect(answer, verb).toContain('not one you can see');
      expect(answer, verb).not.toContain('CR-4410');
    }
    const forged = text(await user('george').press('form:disputes.decide-form', { state: `${id}|3`, outcome: 'Closed by me' }));
    expect(forged).toContain('not one you can see');
    expect(await setup.bot.db.dispute.findFirstOrThrow({ where: { number: 2 } })).toMatchObject({ status: 'open' });

    const mine = await user('louise').ask('dispute list');
    expect(mine).toContain('#2 Whether a section 47 enquiry starts today');
    expect(mine).not.toContain('#1 ');
    const all = await user('hannah').ask('dispute list all');
    expect(all).toContain('#1 Health attendance at child protection conferences');
    expect(all).toContain('#2 Whether a section 47 enquiry starts today');
  });
});
