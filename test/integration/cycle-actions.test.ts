import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Card actions on a Warwickshire strategic focus review in Teams: snooze, more time (approve / decline), done
// early, pause / resume, cancel, refusals, a double click and the overdue escalations. After each, the pending
// reminders are checked in both places they live: the Timer table and BullMQ's delayed jobs.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const zone = 'Europe/London';
const aad = {
  hannah: 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', // business manager and admin; starts the cycle, so also its lead
  priya: '332f0bee-a12b-413a-b038-eaad91eca375', // hubs member
  george: '7e81bf37-5d7e-43f5-b4c9-923e8aeab89b', // hubs member
  amy: '687e20fb-5088-4eb3-a078-c26429cd2ddb', // hubs member
  kate: '4f623fc3-7204-415f-91bd-6903278c1298', // hubs member
  gillian: '8029eb27-7a26-47d8-9be3-e6ebecc7af1f', // chairs the hubs
  steve: '989dfeb3-bc1b-4cb4-ba1c-f812bd9bca78', // fire service: a member, but not in the hubs and not an admin
  stranger: '0badc0de-0000-4000-8000-000000000000', // nobody the partnership knows
} as const;
type Person = keyof typeof aad;

const start = DateTime.fromISO('2026-09-07T08:00:00Z'); // Monday 09:00 BST
const scopingDue = '2026-10-07';
const reasonText = 'Two agencies have not yet returned their audits';

let bot: BotHarness;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(start);
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  // Every member has opened a chat with the bot once, so reminders reach them in Teams.
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterEach(async () => {
  await bot?.stop();
});

const user = (who: Person) => new TeamsUser(bot, aad[who], tenant, who);
const memberId = async (who: Person) => (await bot.db.member.findFirstOrThrow({ where: { teamsAadObjectId: aad[who] } })).id;

// ---- dates: an oracle independent of the bot's scheduler (no bank holidays fall in Sept–Dec 2026) ----

function addWorkingDays(day: string, n: number): string {
  let d = DateTime.fromISO(day, { zone });
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    d = d.plus({ days: step });
    if (d.weekday <= 5) left -= 1;
  }
  return d.toISODate()!;
}

/** 09:30 London time on a day, as the UTC ISO string the Timer table holds. */
const at930 = (day: string) => DateTime.fromISO(`${day}T09:30`, { zone }).toUTC().toISO()!;

/** Every reminder an open focus-review stage due on `dueOn` has still to send (before: [5, 1], due day, chasers every 2, escalations at 3 and 8). */
function openStageTimers(stageKey: string, dueOn: string): Record<string, string> {
  const timers: Record<string, string> = {
    [`${stageKey}:before:5@${dueOn}`]: at930(addWorkingDays(dueOn, -5)),
    [`${stageKey}:before:1@${dueOn}`]: at930(addWorkingDays(dueOn, -1)),
    [`${stageKey}:due@${dueOn}`]: at930(dueOn),
    [`${stageKey}:escalate-chair:3@${dueOn}`]: at930(addWorkingDays(dueOn, 3)),
    [`${stageKey}:escalate-manager:8@${dueOn}`]: at930(addWorkingDays(dueOn, 8)),
  };
  for (let n = 1; n <= 19; n += 2) timers[`${stageKey}:overdue:${n}@${dueOn}`] = at930(addWorkingDays(dueOn, n));
  return timers;
}

/** The opening timers of the stages still waiting, as planned when the cycle started on 7 Sept 2026. */
const plannedOpenings: Record<string, string> = {
  'audits:open@2026-10-07': '2026-10-07T08:30:00.000Z',
  'feedback:open@2026-11-09': '2026-11-09T09:30:00.000Z',
  'recommendations:open@2026-12-07': '2026-12-07T09:30:00.000Z',
  'impact-check-6-months:open@2027-07-07': '2027-07-07T08:30:00.000Z',
  'impact-check-12-months:open@2028-01-07': '2028-01-07T09:30:00.000Z',
};
const initialTimers = () => ({ ...openStageTimers('scoping', scopingDue), ...plannedOpenings });

// ---- the cycle under test ----

async function startFocusReview(): Promise<{ cycleId: string; scopingId: string }> {
  await user('hannah').say('cycle start focus-review "Neglect focus review" 2026-09-07');
  const cycle = await eventually(async () => (await bot.db.cycle.findFirst({ include: { stages: true } })) ?? undefined, 5000, 'cycle started');
  const scoping = cycle.stages.find((s) => s.key === 'scoping')!;
  expect(scoping.status).toBe('open');
  await drained();
  return { cycleId: cycle.id, scopingId: scoping.id };
}

async function drained(): Promise<void> {
  await outboxDrained(bot, 20_000);
}

async function stageId(cycleId: string, key: string): Promise<string> {
  return (await bot.db.cycleStage.findFirstOrThrow({ where: { cycleId, key } })).id;
}

interface TimerRow { id: string; label: string; status: string; dueAt: string }

async function cycleTimers(cycleId: string): Promise<TimerRow[]> {
  const stages = await bot.db.cycleStage.findMany({ where: { cycleId } });
  const keyOf = new Map(stages.map((s) => [s.id, s.key]));
  const rows = await bot.db.timer.findMany({ where: { subjectId: { in: [...keyOf.keys()] } }, orderBy: { key: 'asc' } });
  return rows.map((r) => ({ id: r.id, label: `${keyOf.get(r.subjectId)}:${r.key.slice(`stage:${r.subjectId}:`.length)}`, status: r.status, dueAt: r.dueAt.toISOString() }));
}

/**
 * The cycle's pending timers are exactly `expected` (label → due instant) in PostgreSQL, each has its BullMQ delayed
 * job set to fire at that instant (±2 s, on the test's clock), and no timer that is not pending has a job waiting.
 */
async function expectPendingTimers(cycleId: string, expected: Record<string, string>): Promise<void> {
  const rows = await cycleTimers(cycleId);
  const pending = rows.filter((r) => r.status === 'pending');
  expect(Object.fromEntries(pending.map((r) => [r.label, r.dueAt]))).toEqual(expected);
  const queue = bot.runtime.services.queues.timers;
  for (const row of rows) {
    const job = await queue.getJob(row.id);
    const state = job ? await job.getState() : 'none';
    if (row.status === 'pending') {
      expect(state, `job for ${row.label}`).toBe('delayed');
      // The test's clock stands still between moves, so a job armed for dueAt waits dueAt − now from when it was (re)synced.
      const firesAt = clock.now().toMillis() + (job!.delay ?? 0);
      expect(Math.abs(firesAt - Date.parse(row.dueAt)), `job for ${row.label} fires at its row's dueAt`).toBeLessThanOrEqual(2000);
    } else {
      expect(['delayed', 'waiting', 'prioritized'], `no job waiting for ${row.status} ${row.label}`).not.toContain(state);
    }
  }
}

/** Moves the clock to `to`, lets every timer due by then fire, and waits for them and their messages. */
async function advanceTo(iso: string): Promise<void> {
  clock.set(DateTime.fromISO(iso));
  await bot.runtime.reconcileNow();
  await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now().toJSDate() } } })) === 0, 10_000, `timers due by ${iso}`);
  await drained();
}

/** The Teams activities (conversation + id) holding a copy of a stage's cards. */
async function stageCardCopies(id: string): Promise<{ conversationId: string; activityId: string }[]> {
  const rows = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${id}`, operation: 'post', status: 'sent' } });
  return rows.map((r) => ({ conversationId: (r.target as { conversationId: string }).conversationId, activityId: r.platformMessageId! }));
}

const updatesOf = (activityId: string) => bot.connector.requestsFor('updateActivity').filter((r) => r.activityId === activityId);
const cardsOf = (who: Person, containing: string) => user(who).cards().filter((c) => c.includes(containing));
const text = (answer: { value: unknown }) => JSON.stringify(answer.value);

interface AdaptiveElement { type?: string; id?: string; text?: string; value?: string; color?: string; items?: AdaptiveElement[] }

/** The input with this id and the error shown in the same container, right beside it. */
function field(card: unknown, id: string): { input: AdaptiveElement; error?: string } {
  const containers = ((card as { body: AdaptiveElement[] }).body ?? []).filter((e) => e.type === 'Container');
  for (const c of containers) {
    const input = c.items?.find((i) => i.id === id);
    if (input) return { input, error: c.items?.find((i) => i.type === 'TextBlock' && i.color === 'Attention')?.text };
  }
  throw new Error(`no field ${id} in ${JSON.stringify(card)}`);
}

async function snapshot(cycleId: string) {
  return {
    timers: await cycleTimers(cycleId),
    stages: (await bot.db.cycleStage.findMany({ where: { cycleId }, orderBy: { seq: 'asc' } })).map((s) => ({ key: s.key, status: s.status, dueOn: s.dueOn, opensOn: s.opensOn })),
    // Refusals add only their own access.refused rows (test/integration/authorisation-matrix.test.ts checks those).
    audit: await bot.db.auditEvent.count({ where: { action: { not: 'access.refused' } } }),
    outbox: await bot.db.outboxMessage.count(),
  };
}

describe('snooze', () => {
  it('quiets reminders to the snoozer only, for 1 day, 3 days or 1 week, and never moves the deadline', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    await expectPendingTimers(cycleId, initialTimers());
    await advanceTo('2026-09-29T09:00:00Z'); // Tuesday 10:00 BST, the day before the 5-day reminder
    const before = await cycleTimers(cycleId);

    const priya = await user('priya').press('stage.snooze.1d', { value: scopingId });
    const george = await user('george').press('stage.snooze.3d', { value: scopingId });
    const amy = await user('amy').press('stage.snooze.1w', { value: scopingId });
    expect(text(priya)).toMatch(/Snoozed: no reminders about this stage to you until Wed 30 Sept?, 10:00\. The due date stays Wed 7 Oct 2026\./);
    expect(text(george)).toMatch(/until Fri 2 Oct, 10:00\. The due date stays Wed 7 Oct 2026\./);
    expect(text(amy)).toMatch(/until Tue 6 Oct, 10:00\. The due date stays Wed 7 Oct 2026\./);

    const snoozes = await bot.db.stageSnooze.findMany({ where: { stageId: scopingId } });
    const until = Object.fromEntries(snoozes.map((s) => [s.memberId, s.until.toISOString()]));
    expect(until).toEqual({
      [await memberId('priya')]: '2026-09-30T09:00:00.000Z',
      [await memberId('george')]: '2026-10-02T09:00:00.000Z',
      [await memberId('amy')]: '2026-10-06T09:00:00.000Z',
    });
    expect(await cycleTimers(cycleId)).toEqual(before);
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: scopingId } })).dueOn).toBe(scopingDue);
    await expectPendingTimers(cycleId, initialTimers());

    const reminded = async (key: string) => {
      const prefix = `stage:${scopingId}:${key}:`;
      const rows = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${scopingId}`, idempotencyKey: { startsWith: prefix } } });
      const ids = new Set(rows.map((r) => r.idempotencyKey.slice(prefix.length).split(':')[0]));
      const who = async (p: Person) => ids.has(await memberId(p));
      return { priya: await who('priya'), george: await who('george'), amy: await who('amy'), kate: await who('kate'), gillian: await who('gillian') };
    };

    // 5 days before (Wed 30 Sept 09:30): all three are snoozed; the other owners are reminded.
    await advanceTo('2026-09-30T08:30:00Z');
    expect(await reminded('before:5@2026-10-07')).toEqual({ priya: false, george: false, amy: false, kate: true, gillian: true });
    expect(cardsOf('kate', 'Reminder: Month 1: initial scoping is due in 5 working days')).toHaveLength(1);
    expect(cardsOf('priya', 'Reminder: Month 1: initial scoping')).toHaveLength(0);
    expect(cardsOf('amy', 'Reminder: Month 1: initial scoping')).toHaveLength(0);

    // 1 day before (Tue 6 Oct 09:30): Priya's day and George's three days are over; Amy's week is not.
    await advanceTo('2026-10-06T08:30:00Z');
    expect(await reminded('before:1@2026-10-07')).toEqual({ priya: true, george: true, amy: false, kate: true, gillian: true });
    expect(cardsOf('priya', 'Reminder: Month 1: initial scoping is due in 1 working day')).toHaveLength(1);
    expect(cardsOf('george', 'Reminder: Month 1: initial scoping is due in 1 working day')).toHaveLength(1);
    expect(cardsOf('amy', 'Reminder: Month 1: initial scoping')).toHaveLength(0);

    // Due day: everyone again.
    await advanceTo('2026-10-07T08:30:00Z');
    expect(await reminded('due@2026-10-07')).toEqual({ priya: true, george: true, amy: true, kate: true, gillian: true });
    expect(cardsOf('amy', 'Due today: Month 1: initial scoping')).toHaveLength(1);
  }, 60_000);
});

describe('ask for more time', () => {
  async function askForMoreTime(scopingId: string, proposed: string) {
    return user('priya').press('form:stage.more-time', { state: scopingId, proposedDueOn: proposed, reason: reasonText });
  }

  it('checks the date beside the field, sends a valid request to the chair, and approval moves the date and re-arms every reminder', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    const copies = await stageCardCopies(scopingId);
    expect(copies.length).toBeGreaterThanOrEqual(10); // the opening card to each of the ten hub members

    const form = await user('priya').press('stage.more-time', { value: scopingId });
    expect(form.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(field(form.value, 'proposedDueOn').input.type).toBe('Input.ChoiceSet'); // working days, written en-GB
    expect(field(form.value, 'reason').input.type).toBe('Input.Text');

    const weekend = await askForMoreTime(scopingId, '2026-10-10');
    expect(weekend.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(field(weekend.value, 'proposedDueOn').error).toBe('Sat 10 Oct 2026 is not a working day; the next is Mon 12 Oct 2026.');
    expect(field(weekend.value, 'reason').input.value).toBe(reasonText);
    expect(field(weekend.value, 'reason').error).toBeUndefined();

    const earlier = await askForMoreTime(scopingId, '2026-10-05');
    expect(field(earlier.value, 'proposedDueOn').error).toBe('Pick a date after the current due date, Wed 7 Oct 2026.');
    expect(field(earlier.value, 'reason').input.value).toBe(reasonText);
    expect(await bot.db.extensionRequest.count()).toBe(0);

    const sent = await askForMoreTime(scopingId, '2026-10-21');
    expect(sent.type).toBe('application/vnd.microsoft.card.adaptive'); // the reminder card comes back, with the confirmation
    expect(text(sent)).toContain('Request sent: move \\"Month 1: initial scoping\\" from Wed 7 Oct 2026 to Wed 21 Oct 2026. Sent to Gillian Ashworth (chair of Quality Learning and Improvement Hubs) to decide. The current due date stands until then.');
    const request = await bot.db.extensionRequest.findFirstOrThrow();
    expect(request).toMatchObject({ stageId: scopingId, proposedDueOn: '2026-10-21', reason: reasonText, status: 'pending', requestedById: await memberId('priya'), approverId: await memberId('gillian') });
    await expectPendingTimers(cycleId, initialTimers()); // nothing moves until the chair decides
    await eventually(() => cardsOf('gillian', 'More time requested: Month 1: initial scoping').length === 1, 10_000, 'the chair is asked');
    const ask = cardsOf('gillian', 'More time requested')[0]!;
    expect(ask).toContain('extension.approve');
    expect(ask).toContain('extension.decline');
    expect(ask).toContain(reasonText);

    const approved = await user('gillian').press('extension.approve', { value: request.id });
    expect(text(approved)).toContain('Approved: \\"Month 1: initial scoping\\" has its new due date, and its reminders now count down to the new date.');

    // Only the stage moves: the plan's later stages keep their rhythm (none is measured from month 1 by name).
    const stages = await bot.db.cycleStage.findMany({ where: { cycleId }, orderBy: { seq: 'asc' } });
    expect(stages.map((s) => s.dueOn)).toEqual(['2026-10-21', '2026-11-06', '2026-12-07', '2027-01-07', '2027-08-06', '2028-02-07']);
    const moved = { ...openStageTimers('scoping', '2026-10-21'), ...plannedOpenings };
    await expectPendingTimers(cycleId, moved);
    const stale = (await cycleTimers(cycleId)).filter((t) => t.label.startsWith('scoping:') && t.label.endsWith(`@${scopingDue}`));
    expect(stale.map((t) => t.label).sort()).toEqual(Object.keys(openStageTimers('scoping', scopingDue)).sort());
    expect(stale.every((t) => t.status === 'cancelled')).toBe(true);

    // Every copy of the opening card now shows the new date, once each; the requester is told.
    await drained();
    for (const copy of copies) {
      const updates = updatesOf(copy.activityId);
      expect(updates, `copy in ${copy.conversationId}`).toHaveLength(1);
      expect(JSON.stringify(updates[0]!.body)).toContain('Wed 21 Oct 2026');
    }
    expect(cardsOf('priya', 'More time approved: Month 1: initial scoping')).toHaveLength(1);
    expect(cardsOf('priya', 'Approved by Gillian Ashworth')).toHaveLength(1);

    // A second press of Approve changes nothing.
    const after = await snapshot(cycleId);
    const updateCount = bot.connector.requestsFor('updateActivity').length;
    const again = await user('gillian').press('extension.approve', { value: request.id });
    expect(text(again)).toContain('already decided');
    expect(await snapshot(cycleId)).toEqual(after);
    await drained();
    expect(bot.connector.requestsFor('updateActivity').length).toBe(updateCount);
    await expectPendingTimers(cycleId, moved);
  }, 60_000);

  it('declined: the due date and every reminder stay as they were, and the requester is told', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    await askForMoreTime(scopingId, '2026-10-21');
    const request = await bot.db.extensionRequest.findFirstOrThrow();
    const before = await cycleTimers(cycleId);

    const declined = await user('gillian').press('extension.decline', { value: request.id });
    expect(text(declined)).toContain('Declined: \\"Month 1: initial scoping\\" keeps its due date.');
    expect((await bot.db.extensionRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('declined');
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: scopingId } })).dueOn).toBe(scopingDue);
    expect(await cycleTimers(cycleId)).toEqual(before);
    await expectPendingTimers(cycleId, initialTimers());
    await eventually(() => cardsOf('priya', 'More time declined: Month 1: initial scoping').length === 1, 10_000, 'requester told');
    expect(cardsOf('priya', 'The due date stays as it was.')).toHaveLength(1);
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.moved' } })).toBe(0);
  }, 60_000);
});

describe('done early', () => {
  it('stops the stage’s reminders, opens the next stage with its opening message and arms its reminders', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    await advanceTo('2026-09-14T09:00:00Z');
    const copies = await stageCardCopies(scopingId);

    const answer = await user('priya').press('stage.done', { value: scopingId });
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(text(answer)).toContain('Done by Priya Sandhu');

    const stages = await bot.db.cycleStage.findMany({ where: { cycleId }, orderBy: { seq: 'asc' } });
    expect(stages.map((s) => s.status)).toEqual(['done', 'open', 'pending', 'pending', 'pending', 'pending']);
    expect(stages[1]!.dueOn).toBe('2026-11-06'); // a month on is Saturday 7 Nov: due the Friday before
    const stillWaiting = Object.fromEntries(Object.entries(plannedOpenings).filter(([label]) => !label.startsWith('audits:')));
    await expectPendingTimers(cycleId, { ...openStageTimers('audits', '2026-11-06'), ...stillWaiting });
    const scopingTimers = (await cycleTimers(cycleId)).filter((t) => t.label.startsWith('scoping:'));
    expect(scopingTimers.filter((t) => t.status === 'pending')).toHaveLength(0);
    expect((await cycleTimers(cycleId)).find((t) => t.label === 'audits:open@2026-10-07')!.status).toBe('cancelled');

    const opened = await bot.db.auditEvent.findFirstOrThrow({ where: { action: 'cycle.stage.opened', subjectId: stages[1]!.id } });
    expect(opened.data).toMatchObject({ reason: 'previous done' });
    await drained();
    expect(cardsOf('george', 'Now open: Month 2: single- and multi-agency audits')).toHaveLength(1);
    for (const copy of copies) expect(JSON.stringify(updatesOf(copy.activityId)[0]?.body)).toContain('Done by Priya Sandhu');
    const done = await bot.db.auditEvent.findFirstOrThrow({ where: { action: 'cycle.stage.done' } });
    expect(done.data).toMatchObject({ early: true });
  }, 60_000);
});

describe('pause and resume', () => {
  it('pausing leaves no reminder pending and keeps the dates; resuming (by command or by the Undo button) re-arms exactly the same ones', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    const armed = await cycleTimers(cycleId);
    const dates = (await snapshot(cycleId)).stages;

    await user('hannah').say('cycle pause 1');
    await eventually(async () => (await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status === 'paused', 5000, 'paused');
    await expectPendingTimers(cycleId, {});
    expect((await snapshot(cycleId)).stages).toEqual(dates);
    await drained();
    const pauseReply = cardsOf('hannah', 'Paused cycle #1');
    expect(pauseReply).toHaveLength(1);
    expect(pauseReply[0]).toContain('Undo: resume now');
    const copies = await stageCardCopies(scopingId);
    for (const copy of copies) expect(JSON.stringify(updatesOf(copy.activityId).at(-1)?.body)).toContain('Cycle paused');

    await user('hannah').say('cycle resume 1');
    await eventually(async () => (await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status === 'active', 5000, 'resumed');
    await expectPendingTimers(cycleId, initialTimers());
    expect((await cycleTimers(cycleId)).filter((t) => t.status === 'pending').map((t) => t.id).sort()).toEqual(armed.map((t) => t.id).sort());
    // The cards come back to life with their buttons, saying the cycle resumed (the due date did not change).
    await drained();
    for (const copy of copies) {
      const card = JSON.stringify(updatesOf(copy.activityId).at(-1)?.body);
      expect(card).toContain('Resumed: Month 1: initial scoping');
      expect(card).toContain('stage.done');
      expect(card).not.toContain('Due date changed');
    }

    await user('hannah').say('cycle pause 1');
    await eventually(async () => (await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status === 'paused', 5000, 'paused again');
    await expectPendingTimers(cycleId, {});
    const undo = await user('hannah').press('cycle.resume', { value: cycleId });
    expect(text(undo)).toContain('Resumed cycle #1: reminders are back on.');
    await expectPendingTimers(cycleId, initialTimers());
    expect((await snapshot(cycleId)).stages).toEqual(dates);
  }, 60_000);
});

describe('cancel', () => {
  it('asks first; confirming cancels every stage and reminder and updates the cards; a later Mark done changes nothing', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    const copies = await stageCardCopies(scopingId);

    await user('hannah').say('cycle cancel 1');
    await eventually(() => cardsOf('hannah', 'Cancel cycle 1?').length === 1, 10_000, 'confirmation card');
    expect(cardsOf('hannah', 'Cancel cycle 1?')[0]).toContain('Yes, cancel the cycle');
    expect((await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status).toBe('active'); // asking is not cancelling
    await expectPendingTimers(cycleId, initialTimers());

    const confirmed = await user('hannah').press('cycle.cancel', { value: cycleId });
    expect(text(confirmed)).toContain('Cancelled cycle #1. No more reminders will be sent for it.');
    expect((await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status).toBe('cancelled');
    expect((await bot.db.cycleStage.findMany({ where: { cycleId } })).every((s) => s.status === 'cancelled')).toBe(true);
    await expectPendingTimers(cycleId, {});
    await drained();
    for (const copy of copies) {
      const updates = updatesOf(copy.activityId);
      expect(updates).toHaveLength(1);
      expect(JSON.stringify(updates[0]!.body)).toContain('Cycle cancelled: no further reminders');
    }

    const before = await snapshot(cycleId);
    const updateCount = bot.connector.requestsFor('updateActivity').length;
    const late = await user('priya').press('stage.done', { value: scopingId });
    expect(text(late)).toContain('Cycle cancelled');
    expect(text(late)).not.toContain('Done by');
    expect(await snapshot(cycleId)).toEqual(before);
    await drained();
    expect(bot.connector.requestsFor('updateActivity').length).toBe(updateCount);
  }, 60_000);
});

describe('permissions', () => {
  it('refuses card actions and commands from people who may not use them, politely, and changes nothing', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    const before = await snapshot(cycleId);

    for (const verb of ['stage.done', 'stage.snooze.1d', 'stage.snooze.1w', 'stage.more-time']) {
      const answer = await user('steve').press(verb, { value: scopingId });
      expect(answer.type, verb).toBe('application/vnd.microsoft.activity.message');
      expect(text(answer), verb).toMatch(/Sorry, only the stage's owners, the cycle's lead or an admin can .+\. Nothing was changed\./);
    }
    // Even a hand-made submission of the more-time form is refused.
    const submitted = await user('steve').press('form:stage.more-time', { state: scopingId, proposedDueOn: '2026-10-21', reason: reasonText });
    expect(text(submitted)).toContain("only the stage's owners");

    const stranger = await user('stranger').press('stage.done', { value: scopingId });
    expect(text(stranger)).toContain('Only members of the partnership can use these buttons');

    expect(await snapshot(cycleId)).toEqual(before);
    expect(await bot.db.stageSnooze.count()).toBe(0);
    expect(await bot.db.extensionRequest.count()).toBe(0);
    expect(await bot.db.auditEvent.count({ where: { action: 'access.refused' } })).toBe(6);
    await expectPendingTimers(cycleId, initialTimers());

    await user('steve').say('cycle pause 1');
    await user('steve').say('cycle start focus-review "Another review" 2026-09-07');
    await eventually(() => cardsOf('steve', 'can pause cycle #1').length === 1 && cardsOf('steve', 'can start a cycle').length === 1, 10_000, 'refusals');
    expect(cardsOf('steve', "Only an admin or the cycle's lead can pause cycle #1.")).toHaveLength(1);
    expect(cardsOf('steve', 'Only the partnership business manager or an admin can start a cycle.')).toHaveLength(1);
    expect(await bot.db.cycle.count()).toBe(1);
    expect((await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status).toBe('active');
    await expectPendingTimers(cycleId, initialTimers());
  }, 60_000);
});

describe('double click', () => {
  it('two Mark done presses at once complete the stage once and update each copy of its card once', async () => {
    const { cycleId, scopingId } = await startFocusReview();
    const copies = await stageCardCopies(scopingId);
    expect(new Set(copies.map((c) => c.activityId)).size).toBe(copies.length);

    const [first, second] = await Promise.all([
      user('priya').press('stage.done', { value: scopingId }),
      user('priya').press('stage.done', { value: scopingId }),
    ]);
    expect(text(first)).toContain('Done by Priya Sandhu');
    expect(text(second)).toContain('Done by Priya Sandhu');
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.done', subjectId: scopingId } })).toBe(1);
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.opened', data: { path: ['reason'], equals: 'previous done' } } })).toBe(1);

    await drained();
    await new Promise((r) => setTimeout(r, 300));
    for (const copy of copies) expect(updatesOf(copy.activityId), `copy in ${copy.conversationId}`).toHaveLength(1);
    const auditsId = await stageId(cycleId, 'audits');
    expect(await bot.db.outboxMessage.count({ where: { subjectKey: `stage:${auditsId}`, idempotencyKey: { contains: ':opened@2026-11-06:' }, target: { path: ['kind'], equals: 'conversation' } } })).toBeGreaterThanOrEqual(10);
    expect(cardsOf('priya', 'Now open: Month 2')).toHaveLength(1);
  }, 60_000);
});

describe('overdue escalation', () => {
  it('with nobody acting, the hubs chair gets an Escalation card at 3 working days overdue and the business manager at 8', async () => {
    const { scopingId } = await startFocusReview();
    const escalations = async () =>
      (await bot.db.auditEvent.findMany({ where: { action: 'cycle.reminder.sent', subjectId: scopingId }, orderBy: { id: 'asc' } }))
        .map((e) => e.data as { reminder: string; at: string })
        .filter((d) => d.reminder.startsWith('escalate'));

    // Fire everything up to just before the chair's escalation: overdue chasers go out, no escalation yet.
    await advanceTo('2026-10-12T08:29:00Z');
    expect(await escalations()).toEqual([]);
    expect(cardsOf('gillian', 'Escalation')).toHaveLength(0);

    await advanceTo('2026-10-12T08:30:00Z'); // Monday 12 Oct, 09:30 BST: 3 working days after Wed 7 Oct
    expect(await escalations()).toEqual([expect.objectContaining({ reminder: 'escalate-chair:3@2026-10-07', at: '2026-10-12T08:30:00.000Z', recipients: 1 })]);
    expect(cardsOf('gillian', 'Escalation: Month 1: initial scoping is 3 working days overdue')).toHaveLength(1);
    expect(cardsOf('hannah', 'Escalation')).toHaveLength(0);

    await advanceTo('2026-10-19T08:29:00Z');
    expect(await escalations()).toHaveLength(1);
    await advanceTo('2026-10-19T08:30:00Z'); // Monday 19 Oct: 8 working days overdue
    expect(await escalations()).toHaveLength(2);
    expect((await escalations()).at(-1)).toEqual(expect.objectContaining({ reminder: 'escalate-manager:8@2026-10-07', at: '2026-10-19T08:30:00.000Z', recipients: 1 }));
    expect(cardsOf('hannah', 'Escalation to the business manager: Month 1: initial scoping is 8 working days overdue')).toHaveLength(1);
    expect(cardsOf('gillian', 'Escalation')).toHaveLength(1);
    // Escalation cards offer Mark done but no snooze.
    expect(cardsOf('hannah', 'Escalation to the business manager')[0]).not.toContain('stage.snooze');
  }, 60_000);
});
