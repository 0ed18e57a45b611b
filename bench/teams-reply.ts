// Scenario 2: `help` typed in Teams personal chats → the bot's reply reaching the (fake) Bot Connector.
import { performance } from 'node:perf_hooks';
import type { BotHarness } from '../test/support/bot-harness.js';
import { teamsMessage } from '../test/support/teams-activities.js';
import { check, cpuMeter, cpuRow, info, ms, perSecond, pool, summary, waitForCount, type ScenarioResult } from './support.js';

const swindonTenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const demoAad = '00000000-0000-0000-0000-0000000000d0'; // the Swindon demo member's Teams identity

export const teamsReplyTargets = { messages: 200, concurrency: 20, replyP95Ms: 1000 } as const;

export async function teamsReplyScenario(bot: BotHarness): Promise<ScenarioResult> {
  const started = Date.now();
  const { messages, concurrency, replyP95Ms } = teamsReplyTargets;
  const endpoint = `${bot.url}/api/messages`;
  // One personal chat per message, so each reply can be matched to the message that caused it.
  const conversation = (i: number) => `a:1bench-${started}-${i}`;
  const sentAt = new Map<string, number>();
  const httpMs: number[] = [];
  let notOk = 0;
  const firstSentAt = Date.now();
  const meter = cpuMeter();
  await pool(messages, concurrency, async (i) => {
    const conversationId = conversation(i);
    const body = JSON.stringify(
      teamsMessage({ serviceUrl: bot.connector.serviceUrl, conversationId, tenantId: swindonTenant, fromAadObjectId: demoAad, fromName: 'Alex Demo', fromId: '29:1alex-demo', text: 'help' }),
    );
    sentAt.set(conversationId, Date.now());
    const t = performance.now();
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    httpMs.push(performance.now() - t);
    if (res.status >= 300) notOk += 1;
  });

  // Scans only requests recorded since the last poll, so waiting costs the bot (same process) next to nothing. A new
  // chat also gets the greeting and the cards waiting for Alex: the reply measured is the help card in each chat.
  const helpAt = new Map<string, number>();
  let delivered = 0;
  let scanned = 0;
  const replies = () => {
    const requests = bot.connector.requests;
    for (; scanned < requests.length; scanned += 1) {
      const r = requests[scanned];
      if (!r || (r.operation !== 'sendToConversation' && r.operation !== 'replyToActivity') || r.status >= 300 || r.conversationId === undefined || !sentAt.has(r.conversationId)) continue;
      delivered += 1;
      if (!helpAt.has(r.conversationId) && JSON.stringify(r.body).includes('what I can do')) helpAt.set(r.conversationId, r.at);
    }
    return helpAt.size;
  };
  await waitForCount(replies, messages, 10_000, 60_000, 50);
  const cpu = meter.stop();
  const replyMs = [...helpAt].map(([chat, at]) => at - (sentAt.get(chat) ?? at));
  const reply = summary(replyMs);
  const http = summary(httpMs);
  const allMs = Math.max(...helpAt.values()) - firstSentAt;

  return {
    id: '2',
    title: 'Teams message → reply latency',
    setup:
      `${messages} \`help\` message activities from the Swindon demo user, each in its own personal chat, ${concurrency} in flight, POSTed to /api/messages ` +
      '(TEAMS_ALLOW_UNAUTHENTICATED, same bot as scenario 1, DELIVERY_RATE_PER_SECOND=1000). Reply latency = from sending the activity to the ' +
      "help card arriving at the fake Bot Connector (each new chat also gets the greeting and Alex's waiting cards) (the bot answers through the outbox and the delivery worker, not in the HTTP turn).",
    rows: [
      check('HTTP 2xx', `${messages - notOk} / ${messages}`, `all ${messages}`, notOk === 0),
      info('HTTP turn p50 / p95 / max', `${ms(http.p50)} / ${ms(http.p95)} / ${ms(http.max)}`),
      check('help replies at the connector', `${helpAt.size} / ${messages}`, `all ${messages}, one in each chat`, helpAt.size === messages),
      info('messages delivered to those chats (greeting and waiting cards included)', String(delivered)),
      info('reply latency p50', ms(reply.p50)),
      check('reply latency p95', ms(reply.p95), `< ${replyP95Ms} ms`, reply.p95 < replyP95Ms),
      info('reply latency p99 / max', `${ms(reply.p99)} / ${ms(reply.max)}`),
      info(`time until all ${messages} replies arrived`, ms(allMs)),
      info('end-to-end throughput (replies/s)', perSecond((messages * 1000) / Math.max(1, allMs))),
      cpuRow('message (request to reply sent)', messages, cpu),
    ],
    elapsedMs: Date.now() - started,
  };
}
