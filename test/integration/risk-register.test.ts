import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, examplePartnership, outboxDrained, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText, actionData } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { captureLog } from '../support/log-capture.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Swindon's risk register (domain.md, "Resolving professional disagreements": a risk register reviewed by the
// Executive, summarised in the annual report). Any member adds a risk through the form; `risks` shows the register
// to everyone, scored and banded in words; owners are reminded before and on the review date and chased once after;
// closing or reviewing silences the old reminders; the register exports to CSV for the annual report; and the
// Executive has it as a standing agenda item. In Teams, on fixed dates.
const zone = 'Europe/London';
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const monday = DateTime.fromISO('2027-03-01T09:00', { zone }); // Monday 1 March 2027, 09:00 GMT
const at930 = (day: string) => DateTime.fromISO(`${day}T09:30`, { zone }).toUTC().toISO()!;
const EXEC = 'Swindon Safeguarding Executive';

const person = {
  rachel: '8108105a-1981-43ce-bbdc-73e877fb8cf8', // business manager and admin; on the Executive
  margaret: '8c366179-e510-44e4-99e0-41545576021f', // independent chair
  daniel: '74b59e19-1a93-4fca-abd0-fe0a458f556e', // DCS, on the Executive
  claire: 'fa477b6e-165a-4162-8681-2e9ce85bf1e1', // a member, not on the Executive
  tom: 'f644390f-ecef-40bd-a2f6-7448099fcda7', // business support team: neither admin nor on the Executive
} as const;
type Person = keyof typeof person;

const clock = new ManualClock(monday.toUTC());
const { lines, logger } = captureLog('trace');
let bot: BotHarness;
let dir: string;

const user = (who: Person) => new TeamsUser(bot, person[who], tenant, who);
const chat = (who: Person) => bot.connector.sentActivities(user(who).conversationId).map((a) => visibleCardText(a));
const memberId = async (who: Person) => (await bot.db.member.findFirstOrThrow({ where: { teamsAadObjectId: person[who] } })).id;
const riskId = async (number: number) => (await bot.db.riskEntry.findFirstOrThrow({ where: { number } })).id;
const seen = (answer: { value: unknown }) => visibleCardText(answer.value);


/** The value an input of a form card shows. */
function inputValue(card: unknown, id: string): unknown {
  const walk = (node: unknown): Record<string, unknown> | undefined => {
    if (Array.isArray(node)) return node.map(walk).find(Boolean);
    if (typeof node !== 'object' || node === null) return undefined;
    const n = node as Record<string, unknown>;
    if (n.id === id && typeof n.type === 'string' && n.type.startsWith('Input.')) return n;
    return Object.values(n).map(walk).find(Boolean);
  };
  return walk(card)?.value;
}

/** Swindon's file with the Executive reviewing the register, reminders 3 working days ahead, and no plan starting by itself. */
async function swindonWithRiskRegister(): Promise<string> {
  const config = parse(await readFile(examplePartnership('swindon'), 'utf8')) as { plans: Record<string, unknown>[]; disputes?: unknown };
  for (const plan of config.plans) delete plan.recurs;
  config.plans = config.plans.filter((plan) => plan.forEachGroup === undefined);
  config.disputes = { riskRegister: { reviewGroup: 'executive', remindBefore: 3 } };
  dir = await mkdtemp(path.join(tmpdir(), 'risk-register-'));
  const file = path.join(dir, 'swindon.yaml');
  await writeFile(file, stringify(config));
  return file;
}

async function advanceTo(iso: string): Promise<void> {
  clock.set(DateTime.fromISO(iso));
  await bot.runtime.reconcileNow();
  await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now().toJSDate() } } })) === 0, 10_000, `timers due by ${iso}`);
  await outboxDrained(bot, 20_000);
}

/** A risk's pending reminder timers: step key -> UTC instant. */
async function pendingTimers(number: number): Promise<Record<string, string>> {
  const id = await riskId(number);
  const rows = await bot.db.timer.findMany({ where: { subjectId: id, status: 'pending' } });
  return Object.fromEntries(rows.map((r) => [r.key.slice(`risk:${id}:`.length), r.dueAt.toISOString()]));
}

/** Sends the add form as a Teams user fills it in (the card's Add risk button). */
const submitAdd = (who: Person, values: Record<string, string>, state = '') => user(who).press('form:disputes.risk-add', { state, ...values });

beforeAll(async () => {
  const file = await swindonWithRiskRegister();
  bot = await startBot({ partnership: 'swindon', clock, slack: false, logger, env: { DELIVERY_RATE_PER_SECOND: '500', PARTNERSHIP_CONFIG: file } });
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterAll(async () => {
  await bot?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Swindon's risk register in Teams", () => {
  it('the Executive has the register as a standing agenda item, once, however often the bot starts', async () => {
    const items = async () => bot.db.agendaItem.findMany({ where: { sourceKey: 'risk-register' }, include: { group: true } });
    expect((await items()).map((i) => [i.group.key, i.title, i.standing])).toEqual([['executive', 'Review the risk register (type `risks`)', true]]);
    await bot.restart();
    expect(await items()).toHaveLength(1);
  });

  it('a member opens the form; a bad entry comes back with every answer kept and each problem beside its field', async () => {
    const form = await user('claire').ask('risks add');
    for (const words of ['Add to the risk register', 'Risk', 'Impact if it happens', '4 – Major', 'Likelihood', '5 – Almost certain', 'Owner', 'Mitigation', 'Review date', 'Add risk']) {
      expect(form).toContain(words);
    }

    const bad = await submitAdd('claire', {
      risk: 'Jane Smith, born 2015, is not seen by health visitors',
      likelihood: '3',
      ownerId: await memberId('daniel'),
      mitigation: 'Ring the health visiting lead on 01793 123456 every week',
      reviewOn: '2027-02-26',
    });
    expect(bad.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(bad.value);
    const text = seen(bad);
    expect(text).toContain('Jane Smith, born 2015, is not seen by health visitors'); // what was typed, kept
    expect(text).toContain('Ring the health visiting lead on 01793 123456 every week');
    expect(text).toContain('This looks like it contains a name with a date of birth or age. Use case references only: take it out and send again.');
    expect(text).toContain('This looks like it contains a phone number.');
    expect(text).toContain('Impact if it happens is required.');
    expect(text).toContain('Fri 26 Feb 2027 has passed; give today or a later date.');
    expect(text).toContain('4 answers need changing');
    expect(inputValue(bad.value, 'ownerId')).toBe(await memberId('daniel')); // the owner picked stays picked
    expect(inputValue(bad.value, 'likelihood')).toBe('3');
    expect(await user('claire').ask('risks')).toContain('The risk register has no open risks.');
    expect(await bot.db.riskEntry.count()).toBe(0);
  });

  it('a good entry is added: a confirmation card, the owner told with Record review and Close, reminders armed', async () => {
    const added = await submitAdd('claire', {
      risk: 'Health partners cannot staff strategy meetings from April',
      impact: '4',
      likelihood: '3',
      ownerId: await memberId('daniel'),
      mitigation: 'Rota agreed with the ICB; gaps escalated to the DCS weekly',
      reviewOn: '2027-03-15',
    });
    expectValidAdaptiveCard(added.value);
    expect(seen(added)).toContain('Added risk #1 to the register, scored 12 High. Daniel Hughes has been told and will be reminded before its review on Mon 15 Mar 2027.');
    expect(seen(added)).not.toContain('Add risk');

    const told = await eventually(() => chat('daniel').find((t) => t.includes('Risk #1 on the register is yours')), 10_000, 'the owner is told');
    expect(told).toContain('Claire Donovan added it to the risk register with you as its owner.');
    expect(told).toContain('12 High (impact 4 Major × likelihood 3 Possible)');
    expect(told).toContain('Record review');
    expect(told).toContain('Close risk');

    expect(await pendingTimers(1)).toEqual({
      'before:3@2027-03-15': at930('2027-03-10'),
      'due@2027-03-15': at930('2027-03-15'),
      'chase:1@2027-03-15': at930('2027-03-16'),
    });

    // Two more: one whose text a spreadsheet would run as a formula, one the adder owns (nobody else is told).
    expect(seen(await submitAdd('rachel', { risk: '=SUM(A1:A9) agencies without a named safeguarding lead', impact: '5', likelihood: '4', ownerId: await memberId('tom'), mitigation: 'Named leads confirmed at each Executive', reviewOn: '2027-03-12' })))
      .toContain('Added risk #2 to the register, scored 20 Very high. Tom Ashdown has been told');
    expect(seen(await submitAdd('margaret', { risk: 'Annual report late to the Panel', impact: '1', likelihood: '2', ownerId: await memberId('margaret'), mitigation: 'Draft by May', reviewOn: '2027-06-01' })))
      .toContain('Added risk #3 to the register, scored 2 Low. You will be reminded before its review on Tue 1 Jun 2027.');
  });

  it('`risks` shows any member the open register as a table, highest score first, each score with its band in words', async () => {
    const table = await user('tom').ask('risks');
    expect(table).toContain('Risk register');
    expect(table).not.toContain('risks export'); // Tom may not export: the footer does not offer it
    expect(await user('rachel').ask('risks')).toContain('risks export for the annual report');
    expect(table).toContain('3 open risks, 2 high or very high.');
    const rows = ['20 Very high', '12 High', '2 Low'].map((score) => table.indexOf(score));
    expect(rows.every((at) => at > -1), table).toBe(true);
    expect([...rows].sort((a, b) => a - b)).toEqual(rows);
    // Five columns: number, risk, owner, the score with its band in words and how it was reached, and the review date.
    expect(table).toContain('#\nRisk\nOwner\nScore (impact × likelihood)\nReview\n');
    expect(table).toContain('1\nHealth partners cannot staff strategy meetings from April\nDaniel Hughes\n❗ 12 High (4 × 3)\nMon 15 Mar 2027');
    expect(table).toContain('2\n=SUM(A1:A9) agencies without a named safeguarding lead\nTom Ashdown\n❗ 20 Very high (5 × 4)\nFri 12 Mar 2027');
    expect(table).toContain('3\nAnnual report late to the Panel\nMargaret Okafor\n✅ 2 Low (1 × 2)\nTue 1 Jun 2027');
    const typo = await user('tom').ask('risks exprot');
    expect(typo).toContain('"exprot" is not a risks command. Did you mean risks export? Type risks help for the list. You typed: risks exprot');
  });

  it('closing is for the owner or an admin; it stops the reminders, and Undo brings them back', async () => {
    expect(await user('claire').ask('risks close 1'))
      .toContain("Only the risk's owner (Daniel Hughes), the business manager or an admin can close risk #1. Nothing was changed.");
    expect(await user('tom').ask('risks close')).toContain('Say which risk, e.g. risks close 3. Type risks to see the numbers.');
    expect(await user('tom').ask('risks close 9')).toContain('There is no risk 9.');

    const closed = await user('tom').ask('risks close 2');
    expect(closed).toContain('Closed risk #2');
    expect(closed).toContain('Undo');
    expect(await pendingTimers(2)).toEqual({});
    const undone = await user('tom').press('disputes.risk.reopen', { value: await riskId(2) });
    expect(JSON.stringify(undone.value)).toContain('Undone: risk #2 is back on the register and its review reminders are on again.');
    expect(Object.keys(await pendingTimers(2))).toEqual(expect.arrayContaining(['due@2027-03-12']));

    // Close risk on the owner's card: the card reads closed (with Undo for him alone) and the reminders stop again.
    const pressed = await user('tom').press('disputes.risk.close', { value: await riskId(2) });
    expectValidAdaptiveCard(pressed.value);
    expect(seen(pressed)).toContain('Closed by Tom Ashdown, Mon 1 Mar, 09:00. No more review reminders.');
    expect(await pendingTimers(2)).toEqual({});
    expect(await user('tom').ask('risks close 2')).toContain('Risk #2 was already closed.');
  });

  it('reminds the owner 3 working days before the review date, on it, and once after; a closed risk says nothing', async () => {
    await advanceTo(at930('2027-03-09'));
    await advanceTo(at930('2027-03-10'));
    expect(chat('daniel').filter((t) => t.includes('Risk #1 is due for review in 3 working days'))).toHaveLength(1);
    await advanceTo(at930('2027-03-12'));
    await advanceTo(at930('2027-03-15'));
    expect(chat('daniel').filter((t) => t.includes('Risk #1 is due for review today'))).toHaveLength(1);
    expect(await user('claire').ask('risks')).toContain('Mon 15 Mar 2027 (today)');
    await advanceTo(at930('2027-03-16'));
    expect(chat('daniel').filter((t) => t.includes('Risk #1 is overdue for review'))).toHaveLength(1);
    expect(await user('claire').ask('risks')).toContain('❗ Mon 15 Mar 2027 (overdue)');

    expect(chat('tom').some((t) => /Risk #2 is (due|overdue)/.test(t))).toBe(false);
    const sent = await bot.db.auditEvent.findMany({ where: { action: 'disputes.risk.reminder.sent' }, orderBy: { id: 'asc' } });
    expect(sent.map((e) => (e.data as { reminder: string }).reminder)).toEqual(['before:3@2027-03-15', 'due@2027-03-15', 'chase:1@2027-03-15']);
  });

  it('a review moves the review date: the cards say so and the reminders count down to the new date', async () => {
    const refused = await user('claire').ask('risks review 1');
    expect(refused).toContain(`Only the risk's owner (Daniel Hughes), members of ${EXEC}, the independent chair, the business manager or an admin can record a review of risk #1.`);
    const form = await user('daniel').ask('risks review 1');
    expect(form).toContain('Review risk #1');
    expect(form).toContain('Health partners cannot staff strategy meetings from April');
    // Record review on the chaser card opens the same form, the score as it stands picked.
    const fromCard = await user('daniel').press('disputes.risk.review', { value: await riskId(1) });
    expectValidAdaptiveCard(fromCard.value);
    expect(seen(fromCard)).toContain('Next review date');
    expect([inputValue(fromCard.value, 'impact'), inputValue(fromCard.value, 'likelihood')]).toEqual(['4', '3']);

    const reviewed = await user('daniel').press('form:disputes.risk-review', {
      state: await riskId(1), impact: '4', likelihood: '2', mitigation: 'Rota agreed with the ICB; gaps escalated to the DCS weekly', reviewOn: '2027-06-14',
    });
    expectValidAdaptiveCard(reviewed.value);
    expect(seen(reviewed)).toContain('Reviewed by Daniel Hughes, Tue 16 Mar, 09:30. Next review Mon 14 Jun 2027.');
    expect(seen(reviewed)).toContain('8 Medium (impact 4 Major × likelihood 2 Unlikely)');
    expect(await pendingTimers(1)).toEqual({
      'before:3@2027-06-14': DateTime.fromISO('2027-06-09T09:30', { zone }).toUTC().toISO(),
      'due@2027-06-14': DateTime.fromISO('2027-06-14T09:30', { zone }).toUTC().toISO(),
      'chase:1@2027-06-14': DateTime.fromISO('2027-06-15T09:30', { zone }).toUTC().toISO(),
    });

    await outboxDrained(bot, 20_000);
    const copies = await bot.db.outboxMessage.findMany({ where: { subjectKey: `risk:${await riskId(1)}`, operation: 'post', status: 'sent' } });
    expect(copies.length).toBe(4); // told, before, due, chase
    for (const copy of copies) {
      const updates = bot.connector.requestsFor('updateActivity').filter((r) => r.activityId === copy.platformMessageId);
      expect(visibleCardText(updates.at(-1)?.body), `copy ${copy.platformMessageId}`).toContain('Reviewed by Daniel Hughes');
    }
    expect(await user('tom').ask('risks')).toContain('⚠️ 8 Medium');
  });

  it('exports every entry, open and closed, as a CSV for the annual report; a member outside the Executive is refused', async () => {
    expect(await user('tom').ask('risks export'))
      .toContain(`Only the business manager, an admin, the independent chair or members of ${EXEC} can export the whole risk register.`);
    expect(await user('daniel').ask('risks export')).toContain('Risk register export');

    const answer = await user('rachel').ask('risks export');
    expect(answer).toContain('The risk register as a CSV file for the annual report: 3 entries, 2 open and 1 closed.');
    const replies = await bot.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `teams:activity:${user('rachel').conversationId}:`, endsWith: ':reply' } }, orderBy: { createdAt: 'desc' } });
    const file = (replies[0]!.payload as { message: { sections: { kind: string; name?: string; data?: string }[] } }).message.sections.find((s) => s.kind === 'file')!;
    expect(file.name).toBe('risk-register-swindon-2027-03-16.csv');
    const csv = Buffer.from(file.data!, 'base64').toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = csv.slice(1).trim().split('\n');
    expect(rows[0]).toBe('Number,Risk,Impact,Likelihood,Score,Band,Owner,Mitigation,Review date,Status,Dispute,Added on,Added by,Closed on');
    expect(rows[1]).toBe('1,Health partners cannot staff strategy meetings from April,4,2,8,Medium,Daniel Hughes,Rota agreed with the ICB; gaps escalated to the DCS weekly,2027-06-14,Open,,2027-03-01,Claire Donovan,');
    expect(rows[2]).toBe("2,'=SUM(A1:A9) agencies without a named safeguarding lead,5,4,20,Very high,Tom Ashdown,Named leads confirmed at each Executive,2027-03-12,Closed,,2027-03-01,Rachel Whitmore,2027-03-01");
    expect(rows).toHaveLength(4);
  });

  it("a dispute card's Add to risk register opens the form linked to the dispute; the register says where the risk came from to those who see every dispute", async () => {
    // The dispute itself is the disputes side's business: here it is only a row to link to.
    const partnershipId = (await bot.db.partnership.findFirstOrThrow()).id;
    const dispute = await bot.db.dispute.create({
      data: {
        partnershipId, number: 7, subject: 'Threshold for early help', tried: 'Talked it through', outcomeSought: 'A shared threshold', raisedById: await memberId('claire'),
        otherPartyId: await memberId('daniel'), stages: [], stage: 0, stageStartedAt: clock.now().toJSDate(), stageDueOn: '2027-03-23',
      },
    });
    const form = await user('claire').press('disputes.risk.add', { value: dispute.id });
    expectValidAdaptiveCard(form.value);
    expect(seen(form)).toContain('It will be linked to dispute #7.');
    expect(JSON.stringify(form.value)).toContain('Unresolved disagreement: Threshold for early help'); // the risk's words, started for her
    const state = actionData(form.value, 'form:disputes.risk-add').state!;
    const answers = { risk: 'Partners read the early help threshold differently', impact: '3', likelihood: '4', ownerId: await memberId('rachel'), mitigation: 'Threshold workshop for all partners', reviewOn: '2027-04-30' };
    const added = seen(await submitAdd('claire', answers, state));
    expect(added).toContain('Added risk #4 to the register, scored 12 High.');
    expect(added).toContain('From\nDispute #7'); // the risk's own card still says where it came from

    // The register names the dispute only to those who see every dispute: the business manager (an admin) does; a
    // member who does not (even one of its parties) has the risk without it, so the register never reveals a dispute.
    const forManager = await user('rachel').ask('risks');
    expect(forManager).toContain('Partners read the early help threshold differently (from dispute #7)\nRachel Whitmore\n❗ 12 High (3 × 4)');
    for (const who of ['claire', 'tom'] as const) {
      const forMember = await user(who).ask('risks');
      expect(forMember, who).toContain('Partners read the early help threshold differently\nRachel Whitmore\n❗ 12 High (3 × 4)');
      expect(forMember, who).not.toContain('from dispute');
      expect(forMember, who).not.toContain('#7');
    }

    // A dispute id that is not this partnership's, on the button or in the form's state, links nothing.
    const forged = JSON.stringify({ d: '9b2f3a52-0c4e-4f55-9d7e-2f1b0a6c8e11', n: 7 });
    expect(JSON.stringify((await user('claire').press('disputes.risk.add', { value: '9b2f3a52-0c4e-4f55-9d7e-2f1b0a6c8e11' })).value)).toContain('That dispute is not one you can see.');
    expect(JSON.stringify((await submitAdd('claire', answers, forged)).value)).toContain('That dispute is not one you can see.');
    expect(await bot.db.riskEntry.count()).toBe(4);
  });

  it('keeps typed text out of the audit trail and the logs', async () => {
    const events = await bot.db.auditEvent.findMany({ where: { action: { startsWith: 'disputes.risk.' } } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['disputes.risk.added', 'disputes.risk.closed', 'disputes.risk.reopened', 'disputes.risk.reviewed', 'disputes.risk.exported']));
    const data = JSON.stringify(events.map((e) => e.data));
    for (const typed of ['Health partners', 'SUM(A1', 'Rota agreed', 'Jane Smith', '01793']) {
      expect(data).not.toContain(typed);
      expect(lines.filter((l) => l.includes(typed))).toEqual([]);
    }
  });
});
