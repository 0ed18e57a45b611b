import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { repoRoot, startBot, eventually, type BotHarness, outboxDrained, fireTimersUntil as fireTimersUntilIn } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { teamsInstallUpdate, teamsMessage, type TeamsInboundActivity } from '../support/teams-activities.js';
import { TeamsUser } from '../support/teams-chat.js';

// Per-agency returns in Teams, the loose ends: `tasks` lists an agency lead's awaited returns with the stages, soonest
// first; a lead who installs the app (or opens a new chat) after the ask went out is sent it there, once per chat;
// pausing, resuming and cancelling the cycle update every copy of the asks still awaited. No bank holidays in Feb 2027.
const tenant = '5b0e6d1c-3f4a-4e2b-9c8d-7a6b5c4d3e2f';
const aad = {
  alex: '0a1b2c3d-0000-4000-8000-000000000001', // business manager and admin
  lena: '0a1b2c3d-0000-4000-8000-000000000003', // council lead, PQA member
  paul: '0a1b2c3d-0000-4000-8000-000000000005', // police lead, PQA member
  pat: '0a1b2c3d-0000-4000-8000-000000000006', // police partner lead: not a lead, not in PQA
  hana: '0a1b2c3d-0000-4000-8000-000000000007', // health lead, PQA member
  harry: '0a1b2c3d-0000-4000-8000-000000000008', // health lead, has not installed the app yet
} as const;
type Person = keyof typeof aad;
const first = `a:personal-${aad.harry}`; // Harry's chat once he installs the app
const second = 'a:harry-new-chat'; // and a new one he opens later
const stageName = 'Quarterly dataset with narrative';
const clock = new ManualClock(DateTime.fromISO('2027-02-01T09:00:00Z')); // Monday 09:00 GMT
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBot({
    partnership: null, clock, slack: false,
    env: { PARTNERSHIP_CONFIG: `${repoRoot}/test/support/partnerships/riverside-returns.yaml`, DELIVERY_RATE_PER_SECOND: '500' },
  });
  // Everyone but Harry has opened a chat with the bot.
  const members = await bot.db.member.findMany({ where: { teamsAadObjectId: { not: null } } });
  for (const m of members.filter((m) => m.teamsAadObjectId !== aad.harry)) {
    const conversationId = `a:personal-${m.teamsAadObjectId}`;
    await bot.db.conversationRef.create({
      data: { conversationId, scope: 'personal', tenantId: tenant, serviceUrl: bot.connector.serviceUrl, aadObjectId: m.teamsAadObjectId, memberId: m.id, reference: { conversation: { id: conversationId } } },
    });
  }
});
afterAll(async () => {
  await bot?.stop();
});

const user = (who: Person) => new TeamsUser(bot, aad[who], tenant, who);
const text = (answer: { value: unknown }) => JSON.stringify(answer.value);
const drained = async () => {
  await new Promise((r) => setTimeout(r, 300));
  await outboxDrained(bot, 20_000);
};
const asksIn = (conversationId: string) => bot.connector.sentActivities(conversationId).map((a) => visibleCardText(a)).filter((t) => t.includes('Return needed:'));

async function returnOf(cycle: number, agency: string) {
  return bot.db.stageReturn.findFirstOrThrow({ where: { agency: { name: agency }, stage: { key: 'dataset', cycle: { number: cycle } } } });
}

/** Every posted copy of an agency's return cards, with the updates sent to it since. */
async function copiesOf(returnId: string) {
  const rows = await bot.db.outboxMessage.findMany({ where: { subjectKey: `return:${returnId}`, operation: 'post', status: 'sent' } });
  return rows.map((r) => ({
    conversationId: (r.target as { conversationId: string }).conversationId,
    updates: () => bot.connector.requestsFor('updateActivity').filter((u) => u.activityId === r.platformMessageId).map((u) => JSON.stringify(u.body)),
  }));
}

const harry = (conversationId: string) => ({
  serviceUrl: bot.connector.serviceUrl, conversationId, conversationType: 'personal' as const, tenantId: tenant,
  fromAadObjectId: aad.harry, fromId: `29:${aad.harry}`, fromName: 'Harry Lead',
});
async function post(activity: TeamsInboundActivity): Promise<void> {
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  expect(res.status).toBeLessThan(300);
}

describe('returns in `tasks`, in Teams', () => {
  it("lists a lead's agency return with how to send it, soonest first among their stages", async () => {
    await user('alex').say('cycle start quarterly-dataset "Dataset Q3 2026-27" 2027-02-01');
    await eventually(async () => (await bot.db.stageReturn.count()) === 3, 5000, 'cycle #1 asks');
    // A back-dated second cycle whose dataset is due a week earlier.
    await user('alex').say('cycle start quarterly-dataset "Dataset Q2 catch-up" 2027-01-25');
    await eventually(async () => (await bot.db.stageReturn.count()) === 6, 5000, 'cycle #2 asks');
    await drained();

    const reply = await user('lena').ask('tasks');
    const order = [
      `${stageName}\n#2 Dataset Q2 catch-up · due Mon 8 Feb 2027 (due in 5 working days)`,
      `${stageName}: your agency's return (Riverside Council)\n#2 Dataset Q2 catch-up · due Mon 8 Feb 2027 (due in 5 working days) · send it with Submit return on its card, or Sent by secure email\nReturn needed`,
      `${stageName}\n#1 Dataset Q3 2026-27 · due Mon 15 Feb 2027 (due in 10 working days)`,
      `${stageName}: your agency's return (Riverside Council)\n#1 Dataset Q3 2026-27 · due Mon 15 Feb 2027 (due in 10 working days)`,
    ].map((line) => reply.indexOf(line));
    expect(order.every((i) => i > -1), reply).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(reply).not.toContain('Riverside Police');
    // Pat leads no agency and owns no stage: nothing.
    expect(await user('pat').ask('tasks')).toContain('Nothing is due for you right now.');
  }, 60_000);

  it('drops a return from `tasks` once it is in', async () => {
    const council = await returnOf(2, 'Riverside Council');
    expect(text(await user('lena').press('return.secure-email', { value: council.id }))).toContain('Returned by secure email by Lena Lead');
    const reply = await user('lena').ask('tasks');
    expect(reply).not.toContain("your agency's return (Riverside Council)\n#2");
    expect(reply).toContain("your agency's return (Riverside Council)\n#1");
  }, 30_000);
});

describe('a lead who becomes reachable after the ask went out, in Teams', () => {

  it("sends Harry his agency's awaited asks when he installs the app, once", async () => {
    expect(asksIn(first)).toHaveLength(0); // he could not be reached when the asks went out
    const install = teamsInstallUpdate(harry(first));
    for (const activity of install) await post(activity);
    await drained();
    const asks = asksIn(first);
    expect(asks).toHaveLength(2);
    for (const cycle of ['#1 Dataset Q3 2026-27', '#2 Dataset Q2 catch-up']) {
      const ask = asks.find((a) => a.includes(cycle));
      expect(ask, cycle).toContain(`Return needed: ${stageName} from Riverside Health NHS Trust`);
      expect(ask, cycle).toContain('Submit return');
      expect(ask, cycle).toContain('Sent by secure email');
    }
    const card = bot.connector.sentActivities(first).find((a) => visibleCardText(a).includes('Return needed:'))!;
    expectValidAdaptiveCard(card.attachments!.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!.content);

    // The same chat again (Teams retrying the install events, a message): nothing is sent twice. A later install event
    // is the chat opened again (a Playground reload) and does resend: new-conversation.test.ts.
    for (const activity of install) await post(activity);
    // Harry leads Health but owns no stage: his agency's returns are his tasks.
    const tasks = await user('harry').ask('tasks');
    expect(tasks.match(/: your agency's return \(Riverside Health NHS Trust\)\n/g)).toHaveLength(2);
    await drained();
    expect(asksIn(first)).toHaveLength(2);
  }, 60_000);

  it('sends them again into a new chat, but not a return already in', async () => {
    const health = await returnOf(2, 'Riverside Health NHS Trust');
    await user('hana').press('return.secure-email', { value: health.id });
    await post(teamsMessage({ ...harry(second), text: 'help' }));
    await drained();
    const asks = asksIn(second);
    expect(asks).toHaveLength(1);
    expect(asks[0]).toContain('#1 Dataset Q3 2026-27');
    expect(asksIn(first)).toHaveLength(2);
  }, 60_000);
});

const fireTimersUntil = (until: string) => fireTimersUntilIn(bot, clock, until);

describe("pausing, resuming and cancelling a cycle update the agencies' asks, in Teams", () => {
  it('says paused on every copy of an awaited ask, buttons kept (the return can still be sent); resuming brings the ask back', async () => {
    const police = await returnOf(1, 'Riverside Police');
    const copies = await copiesOf(police.id);
    expect(copies.map((c) => c.conversationId)).toEqual([`a:personal-${aad.paul}`]);

    expect(await user('alex').ask('cycle pause 1')).toContain('Paused cycle #1');
    await drained();
    const paused = copies[0]!.updates().at(-1)!;
    expect(paused).toContain("Paused: Riverside Police's return for Quarterly dataset with narrative");
    expect(paused).toContain('Cycle paused: no reminders until it resumes. The return can still be sent.');
    expect(paused).toContain('return.submit');

    expect(await user('alex').ask('cycle resume 1')).toContain('State\nActive');
    await drained();
    const resumed = copies[0]!.updates().at(-1)!;
    expect(resumed).toContain("Resumed: Riverside Police's return for Quarterly dataset with narrative is due in 10 working days");
    expect(resumed).toContain('return.secure-email');
  }, 60_000);

  it('shows a moved due date on every copy of an awaited ask', async () => {
    const copies = await copiesOf((await returnOf(1, 'Riverside Police')).id);
    expect(await user('alex').ask('cycle move 1 dataset 2027-02-17')).toContain('now due Wed 17 Feb 2027');
    await drained();
    const moved = copies[0]!.updates().at(-1)!;
    expect(moved).toContain("Due date changed: Riverside Police's return for Quarterly dataset with narrative is now due Wed 17 Feb 2027");
    expect(moved).toContain('return.submit');
  }, 30_000);

  it('says cancelled, without buttons, on every copy of the asks still awaited; those already in keep saying so', async () => {
    const cycle = await bot.db.cycle.findFirstOrThrow({ where: { number: 1 } });
    const council = await returnOf(1, 'Riverside Council');
    await user('lena').press('return.secure-email', { value: council.id });
    const health = await returnOf(1, 'Riverside Health NHS Trust');
    const police = await returnOf(1, 'Riverside Police');
    const awaitedCopies = [...(await copiesOf(health.id)), ...(await copiesOf(police.id))];
    // Hana's and Paul's asks, and Harry's in each of his two chats.
    expect(awaitedCopies.map((c) => c.conversationId).sort()).toEqual([`a:personal-${aad.hana}`, `a:personal-${aad.harry}`, `a:personal-${aad.paul}`, second].sort());
    const councilCopies = await copiesOf(council.id);
    await drained();
    const councilUpdates = councilCopies.map((c) => c.updates().length);

    expect(text(await user('alex').press('cycle.cancel', { value: cycle.id }))).toContain('Cancelled cycle #1.');
    await drained();
    for (const copy of awaitedCopies) {
      const last = copy.updates().at(-1)!;
      expect(last, copy.conversationId).toContain('Cycle cancelled: no return needed');
      expect(last, copy.conversationId).not.toContain('return.submit');
      expect(last, copy.conversationId).not.toContain('return.secure-email');
    }
    expect(councilCopies.map((c) => c.updates().length)).toEqual(councilUpdates);

    const late = await user('paul').press('return.secure-email', { value: police.id });
    expect(text(late)).toContain('was cancelled with its cycle, so no return is needed. Nothing was changed.');
    expect((await returnOf(1, 'Riverside Police')).status).toBe('awaited');
    expect(await user('paul').ask('tasks')).not.toContain('#1 Dataset Q3');
  }, 60_000);
});

describe('an ask held back for working hours, in Teams', () => {
  it('is not sent early to a lead who opens a new chat on a Friday evening; it arrives there once on Monday', async () => {
    clock.set(DateTime.fromISO('2027-03-05T19:00:00Z')); // Friday 19:00 GMT
    await user('alex').say('cycle start quarterly-dataset "Dataset Q4 2026-27" 2027-03-05');
    await eventually(async () => (await bot.db.stageReturn.count({ where: { stage: { cycle: { number: 3 } } } })) === 3, 5000, 'cycle #3 asks held');
    const third = 'a:harry-friday-chat';
    await post(teamsMessage({ ...harry(third), text: 'help' }));
    await drained();
    expect(asksIn(third).filter((a) => a.includes('Dataset Q4'))).toHaveLength(0);

    await fireTimersUntil('2027-03-08T09:30:00Z');
    await drained();
    expect(asksIn(third).filter((a) => a.includes('Dataset Q4'))).toHaveLength(1);
  }, 120_000);
});
