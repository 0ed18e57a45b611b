import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { repoRoot, startBot, eventually, type BotHarness, outboxDrained, fireTimersUntil as fireTimersUntilIn } from '../support/bot-harness.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Per-agency returns inside a stage, in Teams: a Riverside quarterly dataset asks its three agencies for figures and a
// narrative. Each agency's leads get their own card; one agency answers by form, one ticks "sent by secure email", the
// third is chased on its own ladder (leads, then its board representative, then the stage owner) through the real
// BullMQ path on a fake clock, and the owner closes the stage with it missing. No bank holidays fall in Feb 2027.
const tenant = '5b0e6d1c-3f4a-4e2b-9c8d-7a6b5c4d3e2f';
const aad = {
  alex: '0a1b2c3d-0000-4000-8000-000000000001', // business manager and admin
  chloe: '0a1b2c3d-0000-4000-8000-000000000002', // chairs PQA, which owns the stage
  lena: '0a1b2c3d-0000-4000-8000-000000000003', // council lead
  sam: '0a1b2c3d-0000-4000-8000-000000000004', // council signatory
  paul: '0a1b2c3d-0000-4000-8000-000000000005', // police lead
  pat: '0a1b2c3d-0000-4000-8000-000000000006', // police partner lead (its representative: no signatory)
  hana: '0a1b2c3d-0000-4000-8000-000000000007', // health lead
  harry: '0a1b2c3d-0000-4000-8000-000000000008', // health lead
  diana: '0a1b2c3d-0000-4000-8000-000000000009', // health signatory
} as const;
type Person = keyof typeof aad;
const agencies = { council: 'Riverside Council', police: 'Riverside Police', health: 'Riverside Health NHS Trust' } as const;
const stageName = 'Quarterly dataset with narrative';
const narrative = 'Referrals rose by 12% after the schools campaign; Child A and Child B were stepped down to early help.';

const clock = new ManualClock(DateTime.fromISO('2027-02-01T09:00:00Z')); // Monday 09:00 GMT
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBot({
    partnership: null, clock, slack: false,
    env: { PARTNERSHIP_CONFIG: `${repoRoot}/test/support/partnerships/riverside-returns.yaml`, DELIVERY_RATE_PER_SECOND: '500' },
  });
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterAll(async () => {
  await bot?.stop();
});

const user = (who: Person) => new TeamsUser(bot, aad[who], tenant, who);
const cardsOf = (who: Person, containing: string) => user(who).cards().filter((c) => c.includes(containing));
const text = (answer: { value: unknown }) => JSON.stringify(answer.value);
const drained = () => outboxDrained(bot, 20_000);

async function returnOf(agency: keyof typeof agencies) {
  return bot.db.stageReturn.findFirstOrThrow({ where: { agency: { name: agencies[agency] } }, include: { agency: true } });
}

interface AdaptiveElement { type?: string; id?: string; text?: string; value?: string; color?: string; items?: AdaptiveElement[] }
/** The input with this id and the error shown in the same container, right beside it. */
function field(card: unknown, id: string): { input: AdaptiveElement; error?: string } {
  for (const c of ((card as { body: AdaptiveElement[] }).body ?? []).filter((e) => e.type === 'Container')) {
    const input = c.items?.find((i) => i.id === id);
    if (input) return { input, error: c.items?.find((i) => i.type === 'TextBlock' && i.color === 'Attention')?.text };
  }
  throw new Error(`no field ${id} in ${JSON.stringify(card)}`);
}

const fireTimersUntil = (until: string) => fireTimersUntilIn(bot, clock, until);

/** [reminder, audience, recipients, at] of every return reminder sent about one agency's return. */
async function remindersAbout(returnId: string) {
  const events = await bot.db.auditEvent.findMany({ where: { action: 'cycle.return.reminder.sent', subjectId: returnId }, orderBy: { id: 'asc' } });
  return events.map((e) => {
    const d = e.data as { reminder: string; audience: string; recipients: number; at: string };
    return [d.reminder, d.audience, d.recipients, d.at];
  });
}

describe('a quarterly dataset with a return from each of three agencies, in Teams', () => {
  it('asks every agency when the stage opens: each agency lead gets its own card with Submit return and Sent by secure email', async () => {
    await user('alex').say('cycle start quarterly-dataset "Dataset Q3 2026-27" 2027-02-01');
    const stage = await eventually(async () => (await bot.db.cycleStage.findFirst({ where: { key: 'dataset', status: 'open' } })) ?? undefined, 5000, 'stage open');
    expect(stage.dueOn).toBe('2027-02-15');
    const rows = await bot.db.stageReturn.findMany({ include: { agency: true } });
    expect(rows.map((r) => [r.agency.name, r.status]).sort()).toEqual([[agencies.council, 'awaited'], [agencies.health, 'awaited'], [agencies.police, 'awaited']]);
    await drained();

    const askFor = (agency: string) => `Return needed: ${stageName} from ${agency}`;
    for (const [who, agency] of [['lena', agencies.council], ['paul', agencies.police], ['hana', agencies.health], ['harry', agencies.health]] as const) {
      const asks = cardsOf(who, 'Return needed:');
      expect(asks, who).toHaveLength(1);
      expect(asks[0], who).toContain(askFor(agency));
      expect(asks[0], who).toContain('Submit return');
      expect(asks[0], who).toContain('Sent by secure email');
    }
    const card = (JSON.parse(cardsOf('lena', 'Return needed:')[0]!) as { attachments: { contentType: string; content: unknown }[] }).attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(card.content);
    // Representatives and the owner hear nothing yet.
    for (const who of ['sam', 'pat', 'diana', 'chloe'] as const) expect(cardsOf(who, 'Return needed:'), who).toHaveLength(0);
  }, 60_000);

  it('rejects an email address or a postcode in the narrative beside the field, keeping everything typed', async () => {
    const council = await returnOf('council');
    const form = await user('lena').press('return.submit', { value: council.id });
    expect(form.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(field(form.value, 'figure-referrals').input.type).toBe('Input.Number');
    expect(field(form.value, 'figure-open-cases').input.type).toBe('Input.Number');
    expect(field(form.value, 'narrative').input.type).toBe('Input.Text');
    const state = (JSON.stringify(form.value).match(/"state":"((?:[^"\\]|\\.)*)"/) ?? [])[1];
    expect(state).toBeDefined();
    const formState = JSON.parse(`"${state}"`) as string;

    for (const [typed, what] of [
      [`${narrative} Contact lena@example.org for more.`, 'an email address'],
      [`${narrative} One family moved to RV1 4AB.`, 'a postcode'],
    ] as const) {
      const answer = await user('lena').press('form:return.submit', { state: formState, 'figure-referrals': '42', 'figure-open-cases': '17', narrative: typed });
      expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(field(answer.value, 'narrative').error).toContain(`This looks like it contains ${what}. Use case references only`);
      expect(field(answer.value, 'narrative').input.value).toBe(typed);
      expect(String(field(answer.value, 'figure-referrals').input.value)).toBe('42');
      expect(field(answer.value, 'figure-referrals').error).toBeUndefined();
    }
    expect((await returnOf('council')).status).toBe('awaited');
    // Nothing typed reached the audit log.
    const audit = JSON.stringify((await bot.db.auditEvent.findMany()).map((e) => e.data));
    expect(audit).not.toContain('lena@example.org');
    expect(audit).not.toContain('RV1 4AB');
  }, 30_000);

  it("refuses a lead of one agency who sends another agency's return, even by a hand-made payload", async () => {
    const council = await returnOf('council');
    for (const verb of ['return.submit', 'return.secure-email']) {
      const answer = await user('paul').press(verb, { value: council.id });
      expect(text(answer), verb).toContain("Sorry, only Riverside Council's safeguarding leads or its board representative can send its return. Nothing was changed.");
    }
    const forged = JSON.stringify({ returnId: council.id, figures: [{ key: 'referrals', label: 'Referrals' }], narrative: true });
    const submitted = await user('paul').press('form:return.submit', { state: forged, 'figure-referrals': '1', narrative: 'Made up' });
    expect(text(submitted)).toContain("only Riverside Council's safeguarding leads");
    const junk = await user('paul').press('return.secure-email', { value: '00000000-0000-4000-8000-000000000000' });
    expect(text(junk)).toContain('That return no longer exists.');
    expect((await returnOf('council')).status).toBe('awaited');
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.return.received' } })).toBe(0);
  }, 30_000);

  it('records a return by form and one by secure email; the stage cards and `cycle status` show 2 of 3 and name the missing agency', async () => {
    const council = await returnOf('council');
    const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'dataset' } });
    const stageCopies = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${stage.id}`, operation: 'post', status: 'sent' } });
    expect(stageCopies.length).toBeGreaterThan(0);

    clock.set(DateTime.fromISO('2027-02-02T10:00:00Z'));
    const form = await user('lena').press('return.submit', { value: council.id });
    const formState = JSON.parse(`"${(JSON.stringify(form.value).match(/"state":"((?:[^"\\]|\\.)*)"/) ?? [])[1]}"`) as string;
    const sent = await user('lena').press('form:return.submit', { state: formState, 'figure-referrals': '42', 'figure-open-cases': '17', narrative });
    expect(text(sent)).toContain(`Thank you: Riverside Council's return for \\"${stageName}\\" is recorded. ${stageName}: 1 of 3 returned; waiting for Riverside Health NHS Trust, Riverside Police.`);
    expect(await returnOf('council')).toMatchObject({ status: 'returned', method: 'form', figures: { referrals: 42, 'open-cases': 17 }, narrative });

    const police = await returnOf('police');
    const ticked = await user('paul').press('return.secure-email', { value: police.id });
    expect(text(ticked)).toContain('Returned by secure email by Paul Lead');
    expect(text(ticked)).toContain("Riverside Police's return for \\\"Quarterly dataset with narrative\\\" is recorded as sent by secure email. Quarterly dataset with narrative: 2 of 3 returned; waiting for Riverside Health NHS Trust.");
    expect(await returnOf('police')).toMatchObject({ status: 'returned', method: 'secure-email' });
    const again = await user('paul').press('return.secure-email', { value: police.id });
    expect(text(again)).toContain("Riverside Police's return for \\\"Quarterly dataset with narrative\\\" is already in. Nothing was changed.");

    const status = await user('chloe').ask('cycle status');
    expect(status).toContain('2 of 3 returned; waiting for Riverside Health NHS Trust');
    expect(status).toContain(`Returns for ${stageName}: 2 of 3`);
    expect(status).toContain('Riverside Council\nby form\nReturned');
    expect(status).toContain('Riverside Police\nby secure email\nReturned');
    expect(status).toContain('Riverside Health NHS Trust\nnot returned yet\nMissing');

    await drained();
    // Every copy of the stage's cards now reads 2 of 3; every copy of the council's and police's asks reads Returned.
    const updates = bot.connector.requestsFor('updateActivity').map((r) => JSON.stringify(r.body));
    expect(updates.filter((u) => u.includes(`${stageName}: 2 of 3 returned; waiting for Riverside Health NHS Trust`)).length).toBe(stageCopies.length);
    expect(updates.some((u) => u.includes('Returned by Lena Lead'))).toBe(true);
    expect(updates.some((u) => u.includes('Returned by secure email by Paul Lead'))).toBe(true);
  }, 60_000);

  it('chases the missing agency on its own: its leads, then its board representative, then the stage owner', async () => {
    const [council, police, health] = [await returnOf('council'), await returnOf('police'), await returnOf('health')];
    // The two agencies that returned have no reminders left.
    expect(await bot.db.timer.count({ where: { subjectId: { in: [council.id, police.id] }, status: 'pending' } })).toBe(0);

    await fireTimersUntil('2027-02-19T09:30:00Z');
    expect(await remindersAbout(health.id)).toEqual([
      ['opened@2027-02-15', 'leads', 2, '2027-02-01T09:00:00.000Z'],
      ['before:2@2027-02-15', 'leads', 2, '2027-02-11T09:30:00.000Z'],
      ['due@2027-02-15', 'leads', 2, '2027-02-15T09:30:00.000Z'],
      ['overdue:1@2027-02-15', 'leads', 2, '2027-02-16T09:30:00.000Z'],
      ['escalate-representative:2@2027-02-15', 'representative', 1, '2027-02-17T09:30:00.000Z'],
      ['overdue:3@2027-02-15', 'leads', 2, '2027-02-18T09:30:00.000Z'],
      ['escalate-owner:4@2027-02-15', 'owner', 1, '2027-02-19T09:30:00.000Z'],
    ]);
    expect((await remindersAbout(council.id)).map((r) => r[0])).toEqual(['opened@2027-02-15']);
    expect((await remindersAbout(police.id)).map((r) => r[0])).toEqual(['opened@2027-02-15']);

    await drained();
    const about = "Riverside Health NHS Trust's return for Quarterly dataset with narrative";
    for (const who of ['hana', 'harry'] as const) {
      expect(cardsOf(who, `Due today: ${about}`), who).toHaveLength(1);
      expect(cardsOf(who, `Overdue: ${about}`), who).toHaveLength(2);
    }
    expect(cardsOf('diana', `Escalation: ${about} is 2 working days overdue`)).toHaveLength(1);
    expect(cardsOf('chloe', `Escalation to the stage owner: ${about} is 4 working days overdue`)).toHaveLength(1);
    for (const who of ['lena', 'paul', 'sam', 'pat'] as const) expect(cardsOf(who, about), who).toHaveLength(0);
    // The stage as a whole is chased per agency: PQA's members get no stage-wide chasers, its chair no stage-wide escalation.
    for (const who of ['lena', 'paul', 'hana', 'chloe'] as const) expect(cardsOf(who, `Overdue: ${stageName}`), who).toHaveLength(0);
    expect(cardsOf('chloe', `Escalation: ${stageName}`)).toHaveLength(0);
  }, 120_000);

  it('lets the owner close the stage with the missing agency recorded in the audit log; the next stage opens', async () => {
    const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'dataset' } });
    const health = await returnOf('health');
    clock.set(DateTime.fromISO('2027-02-19T11:00:00Z'));

    const asked = await user('chloe').press('stage.done', { value: stage.id });
    expect(text(asked)).toContain('Close \\"Quarterly dataset with narrative\\" with returns missing?: sent to this chat.');
    const prompt = await eventually(() => cardsOf('chloe', 'with returns missing?')[0], 10_000, 'the question in the chat');
    expect(prompt).toContain('2 of 3 returned; waiting for Riverside Health NHS Trust. Close it anyway?');
    expect(prompt).toContain('Close with 1 missing');
    expect(prompt).toContain('return.close-stage');
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: stage.id } })).status).toBe('open');
    // A lead who is not an owner of the stage cannot close it.
    expect(text(await user('diana').press('return.close-stage', { value: stage.id }))).toContain("Sorry, only the stage's owners");

    const closed = await user('chloe').press('return.close-stage', { value: stage.id });
    expect(text(closed)).toContain('Closed \\"Quarterly dataset with narrative\\". Recorded as missing in the audit log: Riverside Health NHS Trust.');
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: stage.id } })).status).toBe('done');
    expect((await returnOf('health')).status).toBe('missing');
    const missing = await bot.db.auditEvent.findFirstOrThrow({ where: { action: 'cycle.returns.missing', subjectId: stage.id } });
    expect(missing.data).toEqual({ missing: ['riverside-health'], returned: 2, asked: 3 });
    expect(await bot.db.timer.count({ where: { subjectId: health.id, status: 'pending' } })).toBe(0);
    expect((await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'review' } })).status).toBe('open');

    await drained();
    const updates = bot.connector.requestsFor('updateActivity').map((r) => JSON.stringify(r.body));
    expect(updates.some((u) => u.includes('Not returned: recorded as missing when the stage was closed'))).toBe(true);
  }, 60_000);
});
