// Scenario 1: signed `/safeguarding help` slash commands against a running bot. Slack gives an app 3 s to answer
// the HTTP request; the help text then goes through the outbox and the delivery worker to the response_url.
import { performance } from 'node:perf_hooks';
import { slackSigningSecret, type BotHarness } from '../test/support/bot-harness.js';
import { signedRequestInit, slashCommandBody } from '../test/support/slack-requests.js';
import { ackBurst, withBareBolt } from './bare-bolt.js';
import { check, cpuMeter, cpuRow, info, ms, perSecond, pool, summary, waitForCount, type Row, type ScenarioResult } from './support.js';

const swindonTeam = 'T0SWIND01';
const demoUser = 'U0DEMOUSER'; // a Swindon member in examples/partnerships/swindon.yaml

export const slackAckTargets = { requests: 300, concurrency: 20, ackP95Ms: 400, defaultPolicyBurst: 30, p99VersusFloor: 1.5, throughputVersusFloor: 0.5 } as const;

interface BurstMeasure {
  ackMs: number[];
  non200: number;
  /** Reply arrival at the fake response_url minus the moment the request was sent, per request. */
  replyMs: number[];
  firstSentAt: number;
  lastReplyAt: number;
  missingReplies: number;
  helpTextSeen: boolean;
}

/** Sends `count` signed `/safeguarding help` commands, `concurrency` at a time, and waits for every reply. */
async function burst(bot: BotHarness, tag: string, count: number, concurrency: number, replyTimeoutMs: number): Promise<BurstMeasure> {
  const endpoint = `${bot.url}/slack/events`;
  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  let non200 = 0;
  const firstSentAt = Date.now();
  await pool(count, concurrency, async (i) => {
    const id = `${tag}-${i}`;
    const request = slashCommandBody({ text: 'help', userId: demoUser, teamId: swindonTeam, responseUrl: bot.slackApi.responseUrl(id), triggerId: id });
    const init = signedRequestInit(request, slackSigningSecret);
    sentAt.set(encodeURIComponent(id), Date.now());
    const started = performance.now();
    const res = await fetch(endpoint, init);
    await res.arrayBuffer();
    ackMs.push(performance.now() - started);
    if (res.status !== 200) non200 += 1;
  });

  // Scans only calls recorded since the last poll, so waiting costs the bot (same process) next to nothing.
  const got: typeof bot.slackApi.calls = [];
  let scanned = 0;
  const replies = () => {
    const calls = bot.slackApi.calls;
    for (; scanned < calls.length; scanned += 1) {
      const c = calls[scanned];
      if (c && c.method === 'response_url' && sentAt.has(c.path.slice(c.path.lastIndexOf('/') + 1))) got.push(c);
    }
    return got.length;
  };
  await waitForCount(replies, count, 10_000, replyTimeoutMs, 50);
  const replyMs = got.map((c) => c.at - (sentAt.get(c.path.slice(c.path.lastIndexOf('/') + 1)) ?? c.at));
  return {
    ackMs,
    non200,
    replyMs,
    firstSentAt,
    lastReplyAt: Math.max(...got.map((c) => c.at)),
    missingReplies: count - new Set(got.map((c) => c.path)).size,
    helpTextSeen: got.length > 0 && JSON.stringify(got[0]?.body).includes('what I can do'),
  };
}

/**
 * `fast`: a bot with DELIVERY_RATE_PER_SECOND high, so the pipeline itself is measured.
 * `defaultPolicy`: a bot on the shipped Slack policy (20 burst, 1/s per workspace), for the informational burst.
 */
export async function slackAckScenario(fast: BotHarness, defaultPolicy: BotHarness): Promise<ScenarioResult> {
  const started = Date.now();
  const { requests, concurrency, ackP95Ms, defaultPolicyBurst } = slackAckTargets;
  const meter = cpuMeter();
  const m = await burst(fast, 'bench-s1', requests, concurrency, 60_000);
  const cpu = meter.stop();
  const ack = summary(m.ackMs);
  const reply = summary(m.replyMs);
  const allRepliesMs = m.lastReplyAt - m.firstSentAt;

  const d = await burst(defaultPolicy, 'bench-s1-default', defaultPolicyBurst, concurrency, 40_000);
  const dReply = summary(d.replyMs);

  // The floor, in the same run and process: a bare Bolt app that only acks, under the same load; then the bot's acks
  // alone (no replies to wait for) right after it, so the two are minutes apart at most.
  const floor = await withBareBolt((endpoint) => ackBurst(endpoint, 'bench-s1-floor', requests, concurrency));
  const botAgain = await ackBurst(`${fast.url}/slack/events`, 'bench-s1-again', requests, concurrency, (id) => fast.slackApi.responseUrl(id));
  // Its replies go out before the next scenario starts, so they do not queue in front of its messages.
  await waitForCount(() => fast.slackApi.calls.filter((c) => c.method === 'response_url' && c.path.includes('bench-s1-again')).length, requests, 10_000, 60_000, 100);
  const floorAck = summary(floor.ackMs);
  const botAck = summary(botAgain.ackMs);
  const p99Ratio = botAck.p99 / Math.max(0.001, floorAck.p99);
  const floorRate = (requests * 1000) / floor.wallMs;
  const botRate = (requests * 1000) / botAgain.wallMs;

  const rows: Row[] = [
    check('HTTP 200 acks', `${requests - m.non200} / ${requests}`, `all ${requests}`, m.non200 === 0),
    info('ack p50', ms(ack.p50)),
    check('ack p95', ms(ack.p95), `< ${ackP95Ms} ms`, ack.p95 < ackP95Ms),
    info('ack p99', ms(ack.p99)),
    check('ack max', ms(ack.max), '< 3000 ms (Slack gives up after 3 s)', ack.max < 3000),
    check('help replies at the response_url', `${requests - m.missingReplies} / ${requests}`, `all ${requests}, with the help text`, m.missingReplies === 0 && m.helpTextSeen),
    info('reply latency p50 / p95 / max (send → response_url)', `${ms(reply.p50)} / ${ms(reply.p95)} / ${ms(reply.max)}`),
    info(`time until all ${requests} replies arrived`, ms(allRepliesMs)),
    info('end-to-end throughput (replies/s)', perSecond((requests * 1000) / Math.max(1, allRepliesMs))),
    cpuRow('command (request to reply sent)', requests, cpu),
    info(`bare Bolt app that only acks (same load, same run): ack p50 / p95 / p99`, `${ms(floorAck.p50)} / ${ms(floorAck.p95)} / ${ms(floorAck.p99)} (${requests - floor.non200} acked 200)`),
    info('the bot again, acks only, right after: ack p50 / p95 / p99', `${ms(botAck.p50)} / ${ms(botAck.p95)} / ${ms(botAck.p99)}`),
    check('bot ack p99 as a multiple of the bare app\'s', `${p99Ratio.toFixed(2)}×`, `≤ ${slackAckTargets.p99VersusFloor}×`, p99Ratio <= slackAckTargets.p99VersusFloor),
    check(
      `bot acks per second at ${concurrency} in flight, as a share of the bare app's`,
      `${Math.round((100 * botRate) / floorRate)} % (${perSecond(botRate)} against ${perSecond(floorRate)})`,
      `≥ ${slackAckTargets.throughputVersusFloor * 100} %`,
      botRate >= slackAckTargets.throughputVersusFloor * floorRate,
    ),
    info(
      `default Slack policy: ${defaultPolicyBurst} simultaneous help commands, reply p50 / max`,
      `${ms(dReply.p50)} / ${ms(dReply.max)} (${defaultPolicyBurst - d.missingReplies} delivered; acks p95 ${ms(summary(d.ackMs).p95)})`,
    ),
  ];
  return {
    id: '1',
    title: 'Slack slash command ack latency',
    setup:
      `${requests} signed \`/safeguarding help\` requests (Swindon demo user, workspace ${swindonTeam}), ${concurrency} in flight, POSTed to /slack/events of a bot ` +
      'started in-process by `startBot()` with DELIVERY_RATE_PER_SECOND=1000. Ack = time to the HTTP 200 response body; reply latency = from sending ' +
      `the request to the help text arriving at the fake response_url (outbox → BullMQ → delivery worker). The last row is informational: ${defaultPolicyBurst} ` +
      'commands at once on a second bot with the shipped rate policy (each response_url has a bucket of its own).',
    rows,
    elapsedMs: Date.now() - started,
  };
}
