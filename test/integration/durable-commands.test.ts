import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUnfinishedCommands } from '../../src/app/unfinished-commands.js';
import { startBot, slackSigningSecret, eventually, type BotHarness } from '../support/bot-harness.js';
import { allowConnections, cutOffWaitingWrites, lockTable as lockTableOf, withDatabaseDown as withDatabaseDownOf } from '../support/database-faults.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { teamsMessage } from '../support/teams-activities.js';

// Slash commands are stored before Slack hears 200 (a crash after the acknowledgement cannot lose them), and when
// PostgreSQL cannot take them the acknowledgement itself says so instead of leaving the person unanswered.

const withDatabaseDown = <T>(run: () => Promise<T>) => withDatabaseDownOf(bot.database.url, run);
const lockTable = (table: string) => lockTableOf(bot.database.url, table);
const friendly = "I can't reach my records right now, so nothing was done. Please try again in a minute.";
let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await allowConnections(bot.database.url).catch(() => undefined);
  await bot?.stop();
});

async function sayOnTeams(conversationId: string, text: string, id: string): Promise<number> {
  const activity = teamsMessage({ serviceUrl: bot.connector.serviceUrl, conversationId, conversationType: 'personal', tenantId: '5ce40424-6cfb-47ba-9b27-f32ed2392389', fromId: '29:1alex-demo', fromName: 'Alex Demo', fromAadObjectId: '00000000-0000-0000-0000-0000000000d0', text, id });
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  return res.status;
}

async function sendCommand(text: string) {
  trigger += 1;
  const id = `durable-${Date.now()}-${trigger}`;
  const request = slashCommandBody({ text, userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(id), triggerId: id });
  const started = Date.now();
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
  return { id, status: res.status, body: await res.text(), tookMs: Date.now() - started };
}

const repliesTo = (id: string) => bot.slackApi.calls.filter((c) => c.method === 'response_url' && c.path.endsWith(id));
const receiptsFor = (id: string) => bot.db.inboundReceipt.findMany({ where: { key: { contains: id } } });
const outboxFor = (id: string) => bot.db.outboxMessage.count({ where: { idempotencyKey: { contains: id } } });

describe('durable slash commands', () => {
  it('answers "try again" in the acknowledgement while PostgreSQL is unreachable, and stores nothing', async () => {
    const down = await withDatabaseDown(() => sendCommand('whoami'));
    expect(down.status).toBe(200);
    expect(down.tookMs).toBeLessThan(3000);
    expect(JSON.parse(down.body)).toMatchObject({ response_type: 'ephemeral', text: friendly });

    // Back up: the refused command left nothing behind to run later, and the next command is answered as usual.
    const up = await eventually(async () => {
      const attempt = await sendCommand('whoami');
      return attempt.body === '' ? attempt : undefined;
    }, 10_000, 'a command accepted after recovery');
    expect((await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(up.id))).body).toBeDefined();
    expect(await answerUnfinishedCommands({ db: bot.db, port: bot.runtime.services.inbound, logger: bot.runtime.services.logger }, { graceMs: 0 })).toMatchObject({ answered: 0 });
    expect(await receiptsFor(down.id)).toHaveLength(0);
    expect(await outboxFor(down.id)).toBe(0);
    expect(repliesTo(down.id)).toHaveLength(0);
  }, 30_000);

  it('never acknowledges a command it could not store in time, and takes back a write that lands late', async () => {
    const lock = await lockTable('InboundReceipt');
    let stuck: Awaited<ReturnType<typeof sendCommand>>;
    try {
      stuck = await sendCommand('whoami');
    } finally {
      await lock.release();
    }
    expect(stuck.status).toBe(200);
    expect(stuck.tookMs).toBeLessThan(3000);
    expect(JSON.parse(stuck.body)).toMatchObject({ text: friendly });
    // The insert waiting behind the lock goes through once it is released; the bot removes it again.
    await eventually(async () => (await receiptsFor(stuck.id)).length === 0, 5000, 'the late receipt to be dropped');
    await new Promise((r) => setTimeout(r, 300));
    expect(await receiptsFor(stuck.id)).toHaveLength(0);
    expect(repliesTo(stuck.id)).toHaveLength(0);
  }, 20_000);

  it('has an acknowledged command in PostgreSQL, and answers it exactly once after the answering failed', async () => {
    const lock = await lockTable('OutboxMessage');
    let sent: Awaited<ReturnType<typeof sendCommand>>;
    try {
      sent = await sendCommand('whoami');
      expect(sent.status).toBe(200);
      expect(sent.body).toBe('');
      // At the moment Slack hears 200, the command and where to answer it are stored.
      const [receipt] = await receiptsFor(sent.id);
      expect(receipt?.pendingCommand).toMatchObject({ text: 'whoami', identity: { userId: 'U0DEMOUSER' } });
      // The database goes away while the bot is answering: its reply write (waiting on the lock) fails.
      await cutOffWaitingWrites(bot.database.url, 'INSERT INTO%"OutboxMessage"%');
    } finally {
      await lock.release();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(sent.id)).toHaveLength(0);

    const recover = () => answerUnfinishedCommands({ db: bot.db, port: bot.runtime.services.inbound, logger: bot.runtime.services.logger }, { graceMs: 0 });
    expect(await recover()).toMatchObject({ answered: 1, failed: 0 });
    const reply = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(sent.id));
    expect(JSON.stringify(reply.body)).toContain('Alex Demo');
    expect(await recover()).toMatchObject({ answered: 0, alreadyAnswered: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect(repliesTo(sent.id)).toHaveLength(1);
    expect(await outboxFor(sent.id)).toBe(1);
    expect((await receiptsFor(sent.id))[0]?.pendingCommand).toBeNull();
  }, 20_000);

  it('only marks finished, without running it again, a command whose reply was written before a crash', async () => {
    const sent = await sendCommand('whoami');
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(sent.id));
    // As if the process died between writing the reply and marking the command finished.
    await bot.db.inboundReceipt.update({ where: { key: `slack:command:${sent.id}` }, data: { pendingCommand: { text: 'whoami', identity: { platform: 'slack', userId: 'U0DEMOUSER', teamId: 'T0SWIND01' }, reply: { key: `slack:command:${sent.id}:reply`, target: { platform: 'slack', kind: 'response_url', url: bot.slackApi.responseUrl(sent.id) } }, acceptedAt: new Date().toISOString() } } });
    const report = await answerUnfinishedCommands({ db: bot.db, port: bot.runtime.services.inbound, logger: bot.runtime.services.logger }, { graceMs: 0 });
    expect(report).toMatchObject({ answered: 0, alreadyAnswered: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(sent.id)).toHaveLength(1);
  }, 20_000);
});

describe('durable Teams messages', () => {
  const conversationId = `a:1personal-durable-${Date.now()}`;
  const sent = () => bot.connector.sentActivities(conversationId);

  it('tells the person in the chat to try again while PostgreSQL is unreachable, and stores nothing', async () => {
    const status = await withDatabaseDown(() => sayOnTeams(conversationId, 'whoami', 'down-1'));
    expect(status).toBe(200);
    const notice = await eventually(() => sent().find((a) => a.text === friendly), 5000, 'the try-again message');
    expect(notice).toBeDefined();
    expect(await receiptsFor(':down-1')).toHaveLength(0);
    expect(await outboxFor(':down-1')).toBe(0);
  }, 20_000);

  it('answers a message whose answering failed exactly once, through recovery', async () => {
    const lock = await lockTable('OutboxMessage');
    let status: Promise<number>;
    try {
      status = sayOnTeams(conversationId, 'whoami', 'stuck-1');
      await eventually(async () => ((await receiptsFor(':stuck-1'))[0]?.pendingCommand ? true : undefined), 5000, 'the stored command');
      await cutOffWaitingWrites(bot.database.url, 'INSERT INTO%"OutboxMessage"%');
    } finally {
      await lock.release();
    }
    await status;
    const before = sent().length;
    expect(sent().some((a) => JSON.stringify(a).includes('Swindon Borough Council'))).toBe(false);
    const recover = () => answerUnfinishedCommands({ db: bot.db, port: bot.runtime.services.inbound, logger: bot.runtime.services.logger }, { graceMs: 0 });
    expect(await recover()).toMatchObject({ answered: 1 });
    await eventually(() => sent().length > before, 5000, 'the recovered answer');
    expect(await recover()).toMatchObject({ answered: 0, alreadyAnswered: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect(sent().length).toBe(before + 1);
    expect(JSON.stringify(sent().at(-1))).toContain('Swindon Borough Council');
    expect(await outboxFor(':stuck-1:reply')).toBe(1);
  }, 20_000);
});
