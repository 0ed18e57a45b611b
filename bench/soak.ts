// `npm run soak [-- --minutes 30 --rate 10 --timers 40]`: the bot as separate web and worker processes under
// steady mixed traffic for a long stretch, with its Redis restarted (losing everything) at 1/2 of the run and the
// worker killed with SIGKILL at 2/3. Counts what was asked and answered, what was lost or arrived twice, timers
// armed and fired, error lines, and the memory of both processes. Exit 1 if anything was lost.
import { appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { systemClock } from '../src/core/clock.js';
import { commandUnavailableText } from '../src/interactions/inbound-port.js';
import { createQueueKit } from '../src/scheduler/queue-kit.js';
import { TimerJobs } from '../src/scheduler/timer-jobs.js';
import { armTimer } from '../src/scheduler/timers.js';
import { createDb } from '../src/store/db.js';
import { transact } from '../src/store/unit-of-work.js';
import { examplePartnership, repoRoot, slackBotToken, slackSigningSecret, withoutRecurrence } from '../test/support/bot-harness.js';
import { BotProcess, botProcessEnv, residentBytes, type LogLine } from '../test/support/bot-process.js';
import { migratedDatabase } from '../test/support/database.js';
import { FakeBotConnector } from '../test/support/fake-bot-connector.js';
import { FakeSlackApi } from '../test/support/fake-slack-api.js';
import { blockActionsBody, eventCallbackBody, signedRequestInit, slashCommandBody, type SlackRequest } from '../test/support/slack-requests.js';
import { teamsMessage } from '../test/support/teams-activities.js';
import { OwnRedis } from '../test/support/own-redis.js';
import { sleep, waitUntil } from './support.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '10' },
    timers: { type: 'string', default: '40' },
  },
});
const minutes = Number(args.minutes);
const ratePerSecond = Number(args.rate);
const timersToArm = Number(args.timers);
if (!(minutes > 0) || !(ratePerSecond > 0) || !(timersToArm >= 0)) throw new Error('--minutes and --rate must be positive numbers, --timers a count');
const runMs = minutes * 60_000;

const team = 'T0SWIND01';
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const slackUser = 'U0DEMOUSER'; // a Swindon admin in examples/partnerships/swindon.yaml
const teamsAad = '00000000-0000-0000-0000-0000000000d0';
const auditPlan = 'multi-agency-audit';
const resendWarning = 'resending a message whose earlier send may have reached the platform';

type Kind = 'help' | 'tasks' | 'cycle status' | 'whoami' | 'mistake' | 'cycle start' | 'dm' | 'button' | 'teams' | 'teams chat';
/** One round of the traffic mix; `cycle start` is added every `cycleStartEvery` requests. */
const mix: Kind[] = ['help', 'teams', 'tasks', 'dm', 'cycle status', 'button', 'whoami', 'teams chat', 'mistake', 'dm', 'help', 'teams'];
/**
 * Teams people each have one personal chat with the bot: `teams chat` messages go to one of this many chats, so only
 * the first message in each opens it (greeting and catch-up cards). They type an unknown word that the answer
 * quotes back, which tells the answers in one chat apart.
 */
const teamsChats = 25;
const teamsChannel = '19:soak-safeguarding-general@thread.tacv2';
/** The word a `teams chat` message types, quoted back in its answer. */
const chatToken = (n: number) => `soakq${n}`;
const cycleStartEvery = 400;

interface Expected {
  kind: Kind;
  sentAt: number;
  /** Only an acknowledged request is owed a reply. */
  acked: boolean;
  replies: number;
  /** Of those, "I can't reach my records right now…" (the load was shed: nothing was done). */
  refused: number;
  /** The first words of each reply, to tell what a duplicate was. */
  texts: string[];
  /** A hash of each reply's whole content: the same content twice at one address is a duplicate. */
  contents: string[];
}

/** Children to SIGKILL if the soak dies early, so no redis-server or bot process outlives it. */
const leftBehind = new Set<() => number | undefined>();
process.on('exit', () => {
  for (const pidOf of leftBehind) {
    const pid = pidOf();
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

function noteReply(entry: Expected, text: string, content: unknown = text): void {
  entry.replies += 1;
  if (text.includes(commandUnavailableText.slice(0, 30))) entry.refused += 1;
  entry.texts.push(text.slice(0, 60));
  entry.contents.push(createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16));
}

const teamsInit = (activity: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

/** Replies beyond the first with the same content (a catch-up card beside the answer is not a duplicate). */
const duplicatesOf = (entry: Expected): number => entry.contents.length - new Set(entry.contents).size;

const log = (text: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${text}`);




/** Least-squares slope of (minutes, MB) points, in MB per 10 minutes. */
function slopePer10Minutes(points: { atMs: number; bytes: number }[]): number | undefined {
  if (points.length < 3) return undefined;
  const xs = points.map((p) => p.atMs / 60_000);
  const ys = points.map((p) => p.bytes / 1024 / 1024);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  return (sxy / sxx) * 10;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const tag = `soak${Date.now().toString(36)}`;
  const redis = await OwnRedis.start();
  leftBehind.add(() => redis.pid);
  const database = await migratedDatabase('soak');
  const db = createDb(database.url);
  const slackApi = new FakeSlackApi({ token: slackBotToken, teamId: team });
  slackApi.latencyMs = 10;
  const slackApiUrl = await slackApi.start();
  const connector = new FakeBotConnector();
  await connector.start();
  const partnership = await withoutRecurrence(examplePartnership('swindon'), `soak-${tag}`);
  const env = botProcessEnv({
    databaseUrl: database.url,
    redisUrl: redis.url,
    queuePrefix: 'pbot',
    slackApiUrl,
    slackSigningSecret,
    slackBotToken,
    teams: true,
    partnershipConfig: partnership,
    // The shipped Slack policy (1 message a second per workspace after a burst of 20) cannot keep up with 15 DMs
    // a second; the soak is about staying up, not about the limiter (bench scenario 3 checks that).
    extra: { DELIVERY_RATE_PER_SECOND: '200', RECONCILE_EVERY_SECONDS: '60' },
  });

  const errors = new Map<string, number>();
  /** The first line of each error message (the bot logs ids and codes, never what users typed). */
  const errorExamples = new Map<string, Record<string, unknown>>();
  let resends = 0;
  // SOAK_LOG=<file>: every log line of both processes, for finding out what went wrong.
  const logFile = process.env.SOAK_LOG;
  const onLog = (role: string) => (line: LogLine) => {
    if (logFile) appendFileSync(logFile, `${role} ${JSON.stringify(line)}\n`);
    if (line.level >= 50) {
      const key = `${role}: ${line.msg ?? '(no message)'}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
      if (!errorExamples.has(key)) {
        const { time: _time, pid: _pid, hostname: _hostname, service: _service, ...fields } = line;
        errorExamples.set(key, fields);
      }
    }
    if (line.msg === resendWarning) resends += 1;
  };
  const web = new BotProcess({ role: 'web', env, keepLogs: false, onLog: onLog('web'), startTimeoutMs: 180_000 });
  const worker = new BotProcess({ role: 'worker', env, keepLogs: false, onLog: onLog('worker'), startTimeoutMs: 180_000 });
  leftBehind.add(() => web.pid);
  leftBehind.add(() => worker.pid);
  await worker.start();
  await web.start();
  log(`web ${web.url} (pid ${web.pid}), worker pid ${worker.pid}, redis :${redis.port}, ${minutes} min at ${ratePerSecond} requests/s`);

  // Replies by the id the request carried: a response_url id, a DM channel, a Teams conversation.
  const expected = new Map<string, Expected>();
  let otherSlackPosts = 0;
  let otherTeamsSends = 0;
  const collect = () => {
    const calls = slackApi.calls.splice(0);
    for (const call of calls) {
      if (call.status !== 200) continue;
      const id = call.method === 'response_url' ? decodeURIComponent(call.path.slice(call.path.lastIndexOf('/') + 1)) : call.method === 'chat.postMessage' ? String(call.body.channel ?? '') : undefined;
      const entry = id === undefined ? undefined : expected.get(id);
      if (entry) noteReply(entry, String(call.body.text ?? ''), { text: call.body.text, blocks: call.body.blocks });
      else if (call.method === 'chat.postMessage' || call.method === 'chat.update') otherSlackPosts += 1;
    }
    const requests = connector.requests.splice(0);
    for (const request of requests) {
      if ((request.operation !== 'sendToConversation' && request.operation !== 'replyToActivity') || request.status >= 300) continue;
      if ((request.body as { type?: string } | undefined)?.type !== 'message') continue;
      // A chat answer by the word it quotes; a channel answer by the activity it replies to.
      const token = /soakq\d+/.exec(JSON.stringify(request.body))?.[0];
      const key = token ?? (request.operation === 'replyToActivity' ? request.activityId : request.conversationId);
      const entry = key ? expected.get(key) : undefined;
      const activity = request.body as { text?: string; attachments?: unknown } | undefined;
      if (entry) noteReply(entry, String(activity?.text ?? '(card)'), { text: activity?.text, attachments: activity?.attachments });
      else otherTeamsSends += 1;
    }
  };
  const collector = setInterval(collect, 1000);

  // RSS of both processes every 30 s.
  const rss: Record<'web' | 'worker', { atMs: number; bytes: number; pid: number }[]> = { web: [], worker: [] };
  const sampleRss = async () => {
    for (const [role, proc] of [['web', web], ['worker', worker]] as const) {
      const pid = proc.pid;
      const bytes = pid === undefined ? undefined : await residentBytes(pid);
      if (pid !== undefined && bytes !== undefined) rss[role].push({ atMs: Date.now() - trafficStart, bytes, pid });
    }
  };

  let sent = 0;
  let acked = 0;
  let notAcked = 0;
  let inFlight = 0;
  const notAckedStatuses = new Map<string, number>();
  const request = async (kind: Kind, n: number): Promise<void> => {
    const id = `${tag}-${n}`;
    let init: RequestInit;
    const slack = (body: SlackRequest<unknown>) => signedRequestInit(body, slackSigningSecret);
    const command = (text: string) => slack(slashCommandBody({ text, userId: slackUser, teamId: team, responseUrl: slackApi.responseUrl(id), triggerId: `${id}.trigger` }));
    let replyId = id;
    switch (kind) {
      case 'mistake':
        init = command('frobnicate the widgets');
        break;
      case 'cycle start':
        init = command(`cycle start ${auditPlan} "Soak audit ${n}"`);
        break;
      case 'dm':
        replyId = `D0${id.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
        init = slack(eventCallbackBody({ teamId: team, event: { type: 'message', channel_type: 'im', channel: replyId, user: slackUser, text: 'help', ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}` } }));
        break;
      case 'button':
        init = slack(blockActionsBody({ actions: [{ actionId: 'soak-retired-button', value: 'x' }], userId: slackUser, teamId: team, responseUrl: slackApi.responseUrl(id), triggerId: `${id}.trigger` }));
        break;
      case 'teams':
        // A mention in a team channel: the answer is a reply to this activity.
        replyId = `${id}.activity`;
        init = teamsInit(teamsMessage({ serviceUrl: connector.serviceUrl, conversationType: 'channel', conversationId: teamsChannel, teamId: teamsChannel, mentionBot: true, id: replyId, tenantId: tenant, fromAadObjectId: teamsAad, fromId: `29:${teamsAad}`, text: 'help' }));
        break;
      case 'teams chat':
        replyId = chatToken(n);
        init = teamsInit(teamsMessage({ serviceUrl: connector.serviceUrl, conversationId: `a:${tag}-chat-${n % teamsChats}`, tenantId: tenant, fromAadObjectId: teamsAad, fromId: `29:${teamsAad}`, text: replyId }));
        break;
      default:
        init = command(kind);
    }
    const url = kind.startsWith('teams') ? `${web.url}/api/messages` : `${web.url}/slack/events`;
    sent += 1;
    inFlight += 1;
    // Registered before sending: a Teams reply can arrive before the HTTP answer does.
    const entry: Expected = { kind, sentAt: Date.now(), acked: false, replies: 0, refused: 0, texts: [], contents: [] };
    expected.set(replyId, entry);
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      const answer = await res.text();
      if (res.status === 200) {
        acked += 1;
        entry.acked = true;
        // A slash command refused under load is answered in the acknowledgement itself.
        if (answer.includes(commandUnavailableText.slice(0, 30))) noteReply(entry, commandUnavailableText);
      } else {
        notAcked += 1;
        notAckedStatuses.set(`${kind} ${res.status}`, (notAckedStatuses.get(`${kind} ${res.status}`) ?? 0) + 1);
      }
    } catch (error) {
      notAcked += 1;
      const why = `${kind} ${(error as Error).name}`;
      notAckedStatuses.set(why, (notAckedStatuses.get(why) ?? 0) + 1);
    } finally {
      inFlight -= 1;
    }
  };

  // A few cycles first, so their timers exist; then some of those timers are moved (with the scheduler's own
  // armTimer, as a changed due date would) to fall due during the run, spread over it.
  const trafficStart = Date.now();
  await sampleRss();
  for (let i = 0; i < 3; i += 1) await request('cycle start', 900_000 + i);
  // The commands are answered after the ack: wait for their cycles (and timers) to exist.
  await waitUntil(async () => (await db.cycle.count()) >= 3, 60_000, 500);
  const queues = createQueueKit({ kind: 'redis', url: redis.url, prefix: 'pbot' });
  const timerJobs = new TimerJobs(queues.timers, db, systemClock);
  // One timer per stage: when a stage's timer fires the bot plans that stage's other timers again from its dates,
  // which would undo any other move made here.
  const candidates = await db.timer.findMany({ where: { status: 'pending' }, orderBy: { dueAt: 'asc' }, distinct: ['subjectId'], take: timersToArm, select: { id: true, key: true, kind: true, subjectId: true } });
  const armed: string[] = [];
  await transact(db, async (tx) => {
    for (const [i, timer] of candidates.entries()) {
      const dueAt = DateTime.fromMillis(trafficStart + runMs * (0.1 + (0.8 * (i + 0.5)) / Math.max(1, candidates.length)));
      armed.push(await armTimer(tx, { key: timer.key, kind: timer.kind, subjectId: timer.subjectId, dueAt, rule: 'soak: due during the run' }));
    }
  });
  await timerJobs.sync(armed);
  await queues.close();
  log(`${candidates.length} timers armed to fall due between ${(minutes * 0.1).toFixed(1)} and ${(minutes * 0.9).toFixed(1)} min`);
  const firstFiredAt = new Map<string, number>();
  let firedTwice = 0;
  const watchTimers = async () => {
    const rows = await db.timer.findMany({ where: { id: { in: armed } }, select: { id: true, status: true, firedAt: true } });
    for (const row of rows) {
      if (!row.firedAt) continue;
      const seen = firstFiredAt.get(row.id);
      if (seen === undefined) firstFiredAt.set(row.id, row.firedAt.getTime());
      else if (seen !== row.firedAt.getTime()) {
        firedTwice += 1;
        firstFiredAt.set(row.id, row.firedAt.getTime());
      }
    }
  };

  // The paced loop, with the two faults on the way.
  let redisRestartedAt: number | undefined;
  let workerKilledAt: number | undefined;
  let nextRssAt = Date.now() + 30_000;
  let nextTimerWatch = Date.now() + 5_000;
  const pending = new Set<Promise<void>>();
  let n = 0;
  const intervalMs = 1000 / ratePerSecond;
  const faults: Promise<void>[] = [];
  const faultErrors: string[] = [];
  let workerRestartMs: number | undefined;
  let lastMinuteLogged = 0;
  while (Date.now() - trafficStart < runMs) {
    const elapsed = Date.now() - trafficStart;
    if (redisRestartedAt === undefined && elapsed >= runMs / 2) {
      redisRestartedAt = elapsed;
      faults.push((async () => {
        log('restarting Redis (everything in it is lost)');
        await redis.stop();
        await sleep(3_000);
        await redis.start();
        log('Redis is back');
      })().catch((error: unknown) => void faultErrors.push(`Redis restart: ${(error as Error).message}`)));
    }
    if (workerKilledAt === undefined && elapsed >= (runMs * 2) / 3) {
      workerKilledAt = elapsed;
      faults.push((async () => {
        log(`SIGKILL to the worker (pid ${worker.pid})`);
        await worker.kill();
        const restartedAt = Date.now();
        await worker.start();
        workerRestartMs = Date.now() - restartedAt;
        log(`worker started again in ${(workerRestartMs / 1000).toFixed(1)} s (pid ${worker.pid})`);
      })().catch((error: unknown) => void faultErrors.push(`worker restart: ${(error as Error).message}`)));
    }
    if (Date.now() >= nextRssAt) {
      nextRssAt += 30_000;
      void sampleRss();
    }
    if (Date.now() >= nextTimerWatch) {
      nextTimerWatch += 5_000;
      void watchTimers().catch(() => undefined);
    }
    if (Math.floor(elapsed / 60_000) > lastMinuteLogged) {
      lastMinuteLogged = Math.floor(elapsed / 60_000);
      log(`${lastMinuteLogged} min: ${sent} sent, ${acked} acked, ${inFlight} in flight, ${firstFiredAt.size}/${armed.length} timers fired`);
    }
    if (inFlight < 100) {
      n += 1;
      const kind: Kind = n % cycleStartEvery === 0 ? 'cycle start' : mix[n % mix.length]!;
      const p = request(kind, n);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    const nextAt = trafficStart + n * intervalMs;
    await sleep(Math.max(0, nextAt - Date.now()));
  }
  await Promise.all(pending);
  await Promise.all(faults);
  await sampleRss();
  log(`traffic stopped after ${sent} requests; waiting for the outbox to drain`);

  // Drained: every acknowledged command answered (its receipt no longer holds it), no outbox row pending, and no
  // reply arriving any more. Recovery answers a command left unfinished for 2 minutes, so allow for that.
  const unfinishedCommands = async () => Number((await db.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM "InboundReceipt" WHERE "pendingCommand" IS NOT NULL'))[0]?.n ?? 0);
  const delivered = () => [...expected.values()].filter((e) => e.acked && e.replies > 0).length;
  let lastDelivered = -1;
  let quietSince = Date.now();
  const drained = await waitUntil(async () => {
    collect();
    const now = delivered();
    if (now !== lastDelivered) {
      lastDelivered = now;
      quietSince = Date.now();
    }
    const idle = (await unfinishedCommands()) === 0 && (await db.outboxMessage.count({ where: { status: 'pending' } })) === 0;
    return idle && Date.now() - quietSince > 10_000;
  }, 600_000, 2000);
  log(`drained: ${drained}, ${await unfinishedCommands()} commands unfinished`);
  await waitUntil(async () => (await db.timer.count({ where: { id: { in: armed }, status: 'pending' } })) === 0, 120_000, 1000);
  collect();
  await watchTimers();
  await sampleRss();
  clearInterval(collector);

  const entries = [...expected.values()].filter((e) => e.acked);
  const lost = entries.filter((e) => e.replies === 0);
  const duplicates = entries.reduce((a, e) => a + duplicatesOf(e), 0);
  const outbox = await db.outboxMessage.groupBy({ by: ['status'], _count: true });
  const outboxCounts = Object.fromEntries(outbox.map((o) => [o.status, o._count]));
  const timersFired = (await db.timer.count({ where: { id: { in: armed }, status: 'fired' } })) as number;
  // Where the jobs of timers that never fired are, to tell a lost job from one that sat in Redis.
  const notFiredJobs: Record<string, number> = {};
  const unfired = await db.timer.findMany({ where: { id: { in: armed }, status: { not: 'fired' } }, select: { id: true, status: true } });
  if (unfired.length > 0) {
    const look = createQueueKit({ kind: 'redis', url: redis.url, prefix: 'pbot' });
    for (const t of unfired) {
      const job = await look.timers.getJob(t.id);
      const where = `${t.status}: ${job ? await job.getState() : 'no job'}${job?.failedReason ? ` (${job.failedReason.slice(0, 80)})` : ''}`;
      notFiredJobs[where] = (notFiredJobs[where] ?? 0) + 1;
    }
    await look.close();
  }
  const byKind: Record<string, { expected: number; delivered: number; refusedAsBusy: number; duplicates: number; moreThanOneMessage: number }> = {};
  const duplicateExamples: string[][] = [];
  for (const e of entries) {
    const k = (byKind[e.kind] ??= { expected: 0, delivered: 0, refusedAsBusy: 0, duplicates: 0, moreThanOneMessage: 0 });
    k.expected += 1;
    if (e.replies > 0) k.delivered += 1;
    if (e.refused > 0) k.refusedAsBusy += 1;
    if (duplicatesOf(e) > 0) {
      k.duplicates += duplicatesOf(e);
      if (duplicateExamples.filter((d) => d[0] === e.kind).length < 2) duplicateExamples.push([e.kind, ...e.texts]);
    }
    if (e.replies > 1) k.moreThanOneMessage += 1;
  }
  const refusedAsBusy = entries.filter((e) => e.refused > 0).length;
  const memory = Object.fromEntries(
    (['web', 'worker'] as const).map((role) => {
      const samples = rss[role];
      const current = samples.filter((s) => s.pid === samples.at(-1)?.pid);
      const fitFrom = Math.max(samples.length > 0 ? samples[0]!.atMs : 0, runMs / 3);
      const fitted = current.filter((s) => s.atMs >= fitFrom);
      const mbOf = (s: { bytes: number } | undefined) => (s ? Math.round((s.bytes / 1024 / 1024) * 10) / 10 : undefined);
      const slope = slopePer10Minutes(fitted);
      return [role, {
        startMb: mbOf(samples[0]),
        middleMb: mbOf(samples[Math.floor(samples.length / 2)]),
        endMb: mbOf(samples.at(-1)),
        samples: samples.length,
        trendMbPer10Min: slope === undefined ? undefined : Math.round(slope * 100) / 100,
        trendOver: `${fitted.length} samples from ${(fitFrom / 60_000).toFixed(1)} min${current.length < samples.length ? ' (since the worker restart)' : ''}`,
        /** Every sample: [minutes into the run, MB]. */
        samplesMb: samples.map((s) => [Math.round((s.atMs / 60_000) * 10) / 10, mbOf(s)]),
      }];
    }),
  );
  const result = {
    startedAt: new Date(startedAt).toISOString(),
    minutes,
    ratePerSecond,
    redisRestartedAtMin: redisRestartedAt === undefined ? undefined : Math.round((redisRestartedAt / 60_000) * 10) / 10,
    workerKilledAtMin: workerKilledAt === undefined ? undefined : Math.round((workerKilledAt / 60_000) * 10) / 10,
    workerRestartSeconds: workerRestartMs === undefined ? undefined : Math.round(workerRestartMs / 100) / 10,
    faultErrors,
    requests: { sent, acked, notAcked, notAckedBy: Object.fromEntries(notAckedStatuses) },
    replies: { expected: entries.length, delivered: entries.length - lost.length, refusedAsBusy, lost: lost.length, duplicates, byKind, duplicateExamples },
    otherMessages: { slackPostsAndUpdates: otherSlackPosts, teamsSends: otherTeamsSends },
    outbox: { drained, ...outboxCounts },
    resendsInDoubt: resends,
    timers: { armed: armed.length, fired: timersFired, firedTwice, notFired: armed.length - timersFired, notFiredJobs },
    errors: Object.fromEntries([...errors].sort((a, b) => b[1] - a[1])),
    errorExamples: Object.fromEntries(errorExamples),
    memory,
    elapsedMinutes: Math.round(((Date.now() - startedAt) / 60_000) * 10) / 10,
  };

  const table: [string, string][] = [
    ...(faultErrors.length > 0 ? [['faults that went wrong', faultErrors.join('; ')] as [string, string]] : []),
    ['requests sent / acked (200)', `${sent} / ${acked}${notAcked ? ` (${notAcked} not: ${JSON.stringify(result.requests.notAckedBy)})` : ''}`],
    ['replies expected / delivered', `${entries.length} / ${entries.length - lost.length}`],
    ['  of which "can\'t reach my records, try again" (load shed)', String(refusedAsBusy)],
    ['lost', String(lost.length)],
    ['duplicate replies (same content twice at one address)', String(duplicates)],
    ['resends of in-doubt messages (worker log)', String(resends)],
    ['other messages (cards, reminders): Slack / Teams', `${otherSlackPosts} / ${otherTeamsSends}`],
    ['outbox at the end', JSON.stringify(outboxCounts)],
    ['timers armed / fired / fired twice', `${armed.length} / ${timersFired} / ${firedTwice}`],
    ['error-level log lines', errors.size === 0 ? '0' : [...errors].map(([m, c]) => `${c}× ${m}`).join('; ')],
    ...(['web', 'worker'] as const).map((role): [string, string] => {
      const m = memory[role]!;
      return [`${role} RSS start / middle / end; trend`, `${m.startMb} / ${m.middleMb} / ${m.endMb} MB; ${m.trendMbPer10Min ?? 'n/a'} MB per 10 min (${m.trendOver})`];
    }),
  ];
  const width = Math.max(...table.map(([k]) => k.length));
  console.log('\n' + table.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
  const resultsDir = path.join(repoRoot, 'bench/results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `soak-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(result, null, 2) + '\n');
  log(`written ${path.relative(repoRoot, file)}`);

  await web.stop();
  await worker.stop();
  await db.$disconnect();
  await slackApi.stop();
  await connector.stop();
  await redis.stop();
  await database.drop();
  await rm(partnership, { force: true });
  const lostAnything = lost.length > 0 || faultErrors.length > 0 || !drained || (outboxCounts.failed ?? 0) > 0 || armed.length - timersFired > 0;
  process.exit(lostAnything ? 1 : 0);
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
