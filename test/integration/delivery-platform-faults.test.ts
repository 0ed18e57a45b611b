// Issue 12, fault test 4: each way Slack and the Bot Connector can fail a send, as they answer on the wire. Passing
// faults (429, 5xx, no answer) are retried: a 429 waits its Retry-After without spending an attempt, the others back
// off and stop at the cap. Refusals no retry can fix fail at once as dead letters, with an audit row. Never sent twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import type { OutboundTarget } from '../../src/messaging/outbound.js';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';

const ATTEMPTS = 3;
const TEAM = 'T0SWIND01';
const TENANT = '5ce40424-6cfb-47ba-9b27-f32ed2392389';

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBot({
    env: { DELIVERY_ATTEMPTS: String(ATTEMPTS), DELIVERY_BACKOFF_MS: '100', PLATFORM_CALL_TIMEOUT_MS: '500', DELIVERY_RATE_PER_SECOND: '500', RECONCILE_EVERY_SECONDS: '3600' },
  });
});
afterAll(async () => {
  await bot?.stop();
});

interface Case {
  name: string;
  /** Queues the fault and returns where the message goes. */
  arrange(): OutboundTarget;
  /** Calls that reached the fake for this message, and how many of them succeeded. */
  calls(target: OutboundTarget): { status: number; at: number; response: unknown }[];
  status: 'sent' | 'failed';
  /** Platform calls made (= attempts spent, plus the free 429 retries). */
  callCount: number;
  /** The row's attempt count when it is done. */
  attempts: number;
  reason?: string;
  /** Least time between the first and the last call (Retry-After honoured). */
  atLeastMs?: number;
}

const slackChannel = (channel: string): OutboundTarget => ({ platform: 'slack', kind: 'channel', channel, teamId: TEAM });
const slackPosts = (target: OutboundTarget) => {
  if (target.platform !== 'slack') return [];
  if (target.kind === 'response_url') return bot.slackApi.calls.filter((c) => c.method === 'response_url' && target.url.endsWith(c.path));
  return bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === (target.kind === 'channel' ? target.channel : ''));
};
const teamsChat = (): OutboundTarget => ({ platform: 'teams', kind: 'conversation', conversationId: `a:1fault-${randomUUID().slice(0, 8)}`, serviceUrl: bot.connector.serviceUrl, tenantId: TENANT });
const teamsSends = (target: OutboundTarget) =>
  bot.connector.requestsFor('sendToConversation').filter((r) => target.platform === 'teams' && r.conversationId === target.conversationId);

function slackFault(name: string, fault: Parameters<BotHarness['slackApi']['failNext']>[1], expected: Omit<Case, 'name' | 'arrange' | 'calls'>): Case {
  return {
    name: `Slack: ${name}`,
    arrange: () => {
      const channel = `C0FAULT${randomUUID().slice(0, 6).toUpperCase()}`;
      bot.slackApi.failNext('chat.postMessage', { ...fault, channel });
      return slackChannel(channel);
    },
    calls: slackPosts,
    ...expected,
  };
}

function teamsFault(name: string, fault: Parameters<BotHarness['connector']['failNext']>[1], expected: Omit<Case, 'name' | 'arrange' | 'calls'>): Case {
  return {
    name: `Teams: ${name}`,
    arrange: () => {
      const target = teamsChat();
      if (target.platform === 'teams') bot.connector.failNext('sendToConversation', { ...fault, conversationId: target.conversationId });
      return target;
    },
    calls: teamsSends,
    ...expected,
  };
}

const cases: Case[] = [
  slackFault('429 with Retry-After, more times than the attempts', { status: 429, retryAfterSeconds: 1, times: ATTEMPTS }, { status: 'sent', callCount: ATTEMPTS + 1, attempts: ATTEMPTS + 1, atLeastMs: ATTEMPTS * 1_000 - 100 }),
  slackFault('500 twice, then fine', { status: 500, times: 2 }, { status: 'sent', callCount: 3, attempts: 3 }),
  slackFault('503 every time', { status: 503, times: ATTEMPTS }, { status: 'failed', callCount: ATTEMPTS, attempts: ATTEMPTS, reason: 'retries_exhausted' }),
  {
    name: 'Slack: a response_url that never answers',
    arrange: () => {
      const id = `fault-hang-${randomUUID().slice(0, 8)}`;
      bot.slackApi.hangResponseUrl(id);
      return { platform: 'slack', kind: 'response_url', url: bot.slackApi.responseUrl(id), teamId: TEAM };
    },
    calls: slackPosts,
    status: 'failed',
    callCount: ATTEMPTS,
    attempts: ATTEMPTS,
    reason: 'retries_exhausted',
  },
  slackFault('channel_not_found', { error: 'channel_not_found' }, { status: 'failed', callCount: 1, attempts: 1, reason: 'channel_not_found' }),
  slackFault('user_not_found', { error: 'user_not_found' }, { status: 'failed', callCount: 1, attempts: 1, reason: 'user_not_found' }),
  slackFault('token_revoked', { error: 'token_revoked' }, { status: 'failed', callCount: 1, attempts: 1, reason: 'access_revoked' }),
  slackFault('invalid_auth', { error: 'invalid_auth' }, { status: 'failed', callCount: 1, attempts: 1, reason: 'access_revoked' }),
  slackFault('account_inactive', { error: 'account_inactive' }, { status: 'failed', callCount: 1, attempts: 1, reason: 'access_revoked' }),
  teamsFault('429 with Retry-After, more times than the attempts', { status: 429, retryAfterSeconds: 1, times: ATTEMPTS }, { status: 'sent', callCount: ATTEMPTS + 1, attempts: ATTEMPTS + 1, atLeastMs: ATTEMPTS * 1_000 - 100 }),
  teamsFault('500 twice, then fine', { status: 500, times: 2 }, { status: 'sent', callCount: 3, attempts: 3 }),
  teamsFault('502 every time', { status: 502, times: ATTEMPTS }, { status: 'failed', callCount: ATTEMPTS, attempts: ATTEMPTS, reason: 'retries_exhausted' }),
  {
    name: 'Teams: a Bot Connector call that never answers',
    arrange: () => {
      const target = teamsChat();
      if (target.platform === 'teams') bot.connector.hangConversation(target.conversationId);
      return target;
    },
    calls: teamsSends,
    status: 'failed',
    callCount: ATTEMPTS,
    attempts: ATTEMPTS,
    reason: 'retries_exhausted',
  },
  teamsFault('403 BotDisabledByAdmin (the app was removed or blocked)', { status: 403, code: 'BotDisabledByAdmin' }, { status: 'failed', callCount: 1, attempts: 1, reason: 'app_removed' }),
  teamsFault('403 BotNotInConversationRoster', { status: 403 }, { status: 'failed', callCount: 1, attempts: 1, reason: 'app_removed' }),
  teamsFault('404 ConversationNotFound', { status: 404 }, { status: 'failed', callCount: 1, attempts: 1, reason: 'conversation_not_found' }),
];

describe('platform faults on delivery (both platforms)', () => {
  // Each case has its own channel or chat (and its faults only apply there), so they run side by side.
  it.for(cases)('$name', { concurrent: true, timeout: 20_000 }, async (fault, { expect }) => {
    const target = fault.arrange();
    const id = await enqueueOutbound(bot.db, { key: `fault:${randomUUID()}`, target, message: { title: 'Reply', text: 'a reply', sections: [] } });
    await bot.runtime.services.deliveryJobs.push([id]);

    const row = await eventually(async () => {
      const r = await bot.db.outboxMessage.findUniqueOrThrow({ where: { id } });
      return r.status !== 'pending' ? r : undefined;
    }, 15_000, `${fault.name}: the row to be done`);
    // Let any (wrong) further attempt show up before counting.
    await new Promise((r) => setTimeout(r, 400));

    const calls = fault.calls(target);
    expect(row.status).toBe(fault.status);
    expect(calls).toHaveLength(fault.callCount);
    // Slack refuses with HTTP 200 and ok:false.
    const accepted = calls.filter((c) => c.status >= 200 && c.status < 300 && (c.response as { ok?: boolean } | undefined)?.ok !== false);
    expect(accepted).toHaveLength(fault.status === 'sent' ? 1 : 0);
    expect(row.attempts).toBe(fault.attempts);
    if (fault.atLeastMs) expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThanOrEqual(fault.atLeastMs);

    const audits = await bot.db.auditEvent.findMany({ where: { action: 'delivery.failed', subjectId: id } });
    if (fault.status === 'sent') {
      expect(audits).toEqual([]);
    } else {
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ subjectType: 'outbox', data: { platform: target.platform, reason: fault.reason } });
      expect(JSON.stringify(audits[0]!.data)).not.toContain('a reply');
    }
  });
});
