import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandCatalogOf } from '../../src/app/install-features.js';
import { features } from '../../src/app/features.js';
import { tokenize } from '../../src/commands/parse.js';
import { ManualClock } from '../../src/core/clock.js';
import { failureMessage } from '../../src/messaging/failure-message.js';
import { eventually, startBot, slackSigningSecret, type BotHarness } from '../support/bot-harness.js';
import { captureLog } from '../support/log-capture.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';

// Whatever follows a command word (control characters, 4,000-character words, open quotes, impossible dates, SQL,
// HTML, Slack mention syntax), the bot answers once, in time, with a message of its own rather than "something went
// wrong", does not parrot long words back, logs no error and changes nothing.
const team = 'T0SWIND01';
const admin = 'U0DEMOUSER'; // Alex Demo: business manager and admin, so most code paths run
const member = 'U0SWGLLOY'; // Gareth Lloyd: a member with no role
const SLACK_TEXT_LIMIT = 4000;
// A word may be said back (an action's "You typed", which may hold a 300-character title), but no more of it than that.
const MAX_ECHO = 300;
const { lines, logger } = captureLog('info');
let bot: BotHarness;
let trigger = 0;

// Command words and their subcommands. Left out on purpose: bare `calendar` and `calendar <anything>`, which make a
// calendar link whatever follows (a valid change), and real plan, group and cycle keys, so no text is a valid change.
const commandHeads = [
  'help', 'whoami', 'tasks', 'requests',
  'calendar group', 'calendar revoke',
  'cycle', 'cycle status', 'cycle list', 'cycle schedule', 'cycle start', 'cycle skip', 'cycle unskip', 'cycle reschedule',
  'cycle move', 'cycle pause', 'cycle resume', 'cycle cancel',
  'actions', 'actions add', 'actions done', 'actions help',
  'admin', 'admin failed', 'admin failed retry',
  // `dispute raise` and `risks add` open a form rather than answer; `risks review` with a real number does too.
  'dispute', 'dispute list', 'dispute status', 'dispute escalate', 'dispute resolve', 'dispute log', 'dispute help',
  'risks', 'risks review', 'risks close', 'risks export', 'risks help',
  // `review notify` opens a form.
  'review', 'review list', 'review status', 'review ack', 'review help',
  // `s11 open` opens a form.
  's11', 's11 launch', 's11 status', 's11 report', 's11 actions', 's11 rounds', 's11 close', 's11 help',
];

const nastyWords = [
  '2026-02-30', '31/31/2026', '2026-13-01', '0000-00-00', '29/02/2027', 'yesterday', 'next tuesday', '9999-12-31',
  '-1', '-999999999999', '0', '#0', '#-3', '1e309', 'NaN', 'Infinity', '99999999999999999999999',
  `'; DROP TABLE "Cycle"; --`, `' OR '1'='1`, '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '&amp;&lt;&gt;',
  '<@U123>', '<@U0DEMOUSER|alex>', '<@W0NOBODY>', '<!channel>', '<!here>', '<#C0SWEXEC01|exec>', '<mailto:a@b.c|a@b.c>',
  '"', '"unbalanced', 'un"balanced', '\u201Ccurly', '\'', '``', '```code```', '*bold*', '_it_', '~s~',
  '\u0000', '\u0007\u001b[31m', '\r\n', '\u202Eevil', '\u200B', '\uFEFF', '😀😀😀', 'ﷺ', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '${process.env}', '{{7*7}}', '%s%n%x', '../../etc/passwd', '__proto__', 'constructor', 'null', 'undefined', 'group',
];

const longWord = fc
  .tuple(fc.constantFrom('x', 'é', 'Ab', '😀', 'ab cd'), fc.integer({ min: MAX_ECHO + 1, max: SLACK_TEXT_LIMIT }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const hostileWord = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyWords) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: longWord },
  { weight: 1, arbitrary: longWord.map((w) => `"${w}"`) },
);
const hostileText = fc
  .tuple(fc.constantFrom(...commandHeads), fc.array(hostileWord, { minLength: 1, maxLength: 5 }))
  .map(([head, words]) => `${head} ${words.join(' ')}`.slice(0, SLACK_TEXT_LIMIT));

const handWritten = [
  `cycle start "${'A'.repeat(3980)}`,
  'cycle start executive-meeting "" 2026-02-30',
  'cycle start executive-meeting "Title" 31/31/2026 nobody',
  'cycle start executive-meeting "Title" 2026-10-05 <@U123>',
  'cycle start executive-meeting "Title" 2026-10-05 <!channel>',
  'cycle move 1 agenda 2026-02-30',
  'cycle move 1 no-such-stage 2026-10-01',
  `cycle status 1 ${'<b>'.repeat(1000)}`,
  'cycle skip executive-meeting 31/31/2026',
  'cycle reschedule executive-meeting 2026-10-05 -1',
  'actions add executive "" <@U123> 2026-02-30',
  `actions add "${'g'.repeat(500)}" "what" demo-user 2026-10-01`,
  'actions done -1',
  's11 launch "Section 11 audit" due 2026-02-30',
  's11 launch "Section 11 audit" due 2026-09-07',
  's11 launch "Section 11 audit" due 2026-12-25',
  `s11 launch "Section 11 audit" due 2026-12-01 agencies ${'x'.repeat(3900)}`,
  's11 launch "Section 11 audit" due 2026-12-01 variant nope',
  's11 launch "Section 11 audit" due',
  's11 status 99999999999',
  `actions ${'"'.repeat(3999)}`,
  `${'\u0000'.repeat(50)}`,
  `whoami ${'<!channel> '.repeat(300)}`,
  `${'q'.repeat(3000)} help`,
  `cycle pause \u0000${'9'.repeat(20)}`,
  `cycle status #${'9'.repeat(12)}`,
  `actions done ${'9'.repeat(20)}`,
  `admin failed retry ${'9'.repeat(20)}`,
  `dispute escalate 1 "${'r'.repeat(3000)}"`,
  'dispute escalate 1 "ring 07700 900123"',
  `dispute log ${'9'.repeat(20)}`,
  `risks close #${'9'.repeat(12)}`,
];

const texts = [...fc.sample(hostileText, { seed: 20261129, numRuns: 50 }), ...handWritten];

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), teams: false, logger, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  // Cycle #1 exists, so texts naming it (`cycle move 1 …`, `cycle status 1 …`) reach the code that reads and changes it.
  const started = await send('cycle start executive-meeting "Executive, October 2026" 2026-10-05', admin);
  const answer = await eventually(() => bot.slackApi.responseUrlPosts(started.id)[0], 10_000, 'cycle started');
  expect(readable(answer.body)).toContain('Started cycle #1');
});
afterAll(async () => {
  await bot?.stop();
});

/** Every table a feature or the scheduler writes (the directory, the outbox and the audit trail are not changes). */
const changeTables = [...new Set([...features.flatMap((f) => f.models), 'Timer', 'FormDraft', 'RuntimeSetting'])];

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of changeTables) {
    const delegate = (bot.db as unknown as Record<string, { count(): Promise<number> }>)[model[0]!.toLowerCase() + model.slice(1)]!;
    counts[model] = await delegate.count();
  }
  return counts;
}

/** Every string in a Slack message body, joined: what the person can read. */
function readable(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(readable).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(readable).join('\n');
  return '';
}

/** A stretch longer than MAX_ECHO of one word typed that the answer says back, or '' when there is none. */
function longEcho(typed: string, shown: string): string {
  for (const word of tokenize(typed).filter((w) => w.length > MAX_ECHO)) {
    for (let start = 0; start + MAX_ECHO < word.length; start += 1) {
      const piece = word.slice(start, start + MAX_ECHO + 1);
      if (shown.includes(piece)) return piece;
    }
  }
  return '';
}

interface Sent { text: string; userId: string; id: string; status: number; ms: number }

async function send(text: string, userId: string): Promise<Sent> {
  const id = `hostile-${++trigger}`;
  const started = Date.now();
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  return { text, userId, id, status: res.status, ms: Date.now() - started };
}

describe('hostile command texts through the bot', () => {
  it('covers every command the bot lists', () => {
    const words = new Set(commandHeads.map((h) => h.split(' ')[0]));
    for (const spec of commandCatalogOf(features).filter((c) => !c.demoOnly)) expect(words, spec.name).toContain(spec.name);
  });

  it('are each answered once, in time, by a message of the bot, with no echo, no error logged and nothing changed', async () => {
    const before = await rowCounts();
    const sent: Sent[] = [];
    const jobs = texts.flatMap((text) => [admin, member].map((userId) => () => send(text, userId)));
    for (let i = 0; i < jobs.length; i += 4) sent.push(...(await Promise.all(jobs.slice(i, i + 4).map((job) => job()))));

    const generic = failureMessage(new Error('x')).text;
    const problems: string[] = [];
    await eventually(() => sent.every((s) => bot.slackApi.responseUrlPosts(s.id).length > 0), 10_000, 'every command answered').catch(() => undefined);
    for (const s of sent) {
      const label = `${s.userId}: ${JSON.stringify(s.text.slice(0, 80))}`;
      if (s.status !== 200) problems.push(`${label}: HTTP ${s.status}`);
      if (s.ms >= 3000) problems.push(`${label}: answered in ${s.ms} ms`);
      const answer = bot.slackApi.responseUrlPosts(s.id)[0];
      if (!answer) {
        problems.push(`${label}: no answer`);
        continue;
      }
      const shown = readable(answer.body);
      if (shown.includes(generic)) problems.push(`${label}: "something went wrong"`);
      if (shown.trim().length === 0) problems.push(`${label}: an empty answer`);
      const echo = longEcho(s.text, shown);
      if (echo) problems.push(`${label}: echoes ${JSON.stringify(echo.slice(0, 40))}… in ${JSON.stringify(shown.replace(/(.)\1{20,}/gu, '$1…').slice(0, 300))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second answer would have arrived by now
    for (const s of sent) {
      const answers = bot.slackApi.responseUrlPosts(s.id).length;
      if (answers > 1) problems.push(`${s.userId}: ${JSON.stringify(s.text.slice(0, 80))}: ${answers} answers`);
    }
    expect(problems).toEqual([]);

    expect(await rowCounts()).toEqual(before);
    const typedWords = texts.flatMap((text) => tokenize(text)).filter((word) => word.trim().length >= 20);
    expect(typedWords.filter((word) => lines.some((line) => line.includes(word))), 'typed words in the log').toEqual([]);
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg?: string }).filter((l) => l.level >= 50);
    expect(errors, 'error log lines').toEqual([]);
  }, 60_000);
});
