import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, slackSigningSecret, type BotHarness } from '../support/bot-harness.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { TeamsUser } from '../support/teams-chat.js';
import { captureLog } from '../support/log-capture.js';

// A mistake someone types (an unknown plan, a date that is not one, a cycle that does not exist) is answered in chat
// and is not an error of the bot: it is logged at info level, by error code and command name, and nothing typed
// reaches the log (titles and names are often case details).
const team = 'T0SWIND01';
const slackAdmin = 'U0DEMOUSER';
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const teamsAdmin = '00000000-0000-0000-0000-0000000000d0';

interface LogLine { level: number; msg?: string; code?: string; command?: string; [key: string]: unknown }
const { lines, logger } = captureLog('trace');
let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), logger, env: { DELIVERY_RATE_PER_SECOND: '500' } });
});
afterAll(async () => {
  await bot?.stop();
});

async function slack(text: string): Promise<string> {
  const id = `trigger-${Date.now()}-${++trigger}`;
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId: slackAdmin, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  expect(res.status).toBe(200);
  return JSON.stringify((await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 })).body);
}

const mistakes = [
  { typed: 'cycle start no-such-plan "Secret title Ayesha K"', answer: 'There is no plan', secrets: ['no-such-plan', 'Secret title', 'Ayesha'] },
  { typed: 'cycle start executive-meeting "Secret title Ayesha K" not-a-date-xyz nobody@nowhere.example', answer: 'is not a date', secrets: ['not-a-date-xyz', 'nowhere.example', 'Secret title'] },
  { typed: 'cycle start executive-meeting "Secret title Ayesha K" nobody@nowhere.example', answer: 'I could not find', secrets: ['nowhere.example', 'Secret title'] },
  { typed: 'cycle pause qqq-unknown-cycle', answer: 'There is no cycle', secrets: ['qqq-unknown-cycle'] },
  { typed: 'cycle skip qqq-secret-plan 2027-02-30', answer: 'is not a date', secrets: ['qqq-secret-plan'] },
  { typed: 'cycle reschedule qqq-secret-plan 2027-02-03 2027-02-10', answer: 'There is no plan', secrets: ['qqq-secret-plan'] },
];

describe('a user mistake in a command', () => {
  it('is answered in chat, and logged at info level by code and command with nothing that was typed', async () => {
    const teams = new TeamsUser(bot, teamsAdmin, tenant, 'Alex Demo');
    for (const mistake of mistakes) {
      expect(await slack(mistake.typed), mistake.typed).toContain(mistake.answer);
      expect(await teams.ask(mistake.typed), mistake.typed).toContain(mistake.answer);
    }
    expect(await bot.db.cycle.count()).toBe(0);

    const parsed = lines.map((l) => JSON.parse(l) as LogLine);
    for (const mistake of mistakes) {
      for (const secret of mistake.secrets) expect(lines.filter((l) => l.includes(secret)), `log lines holding "${secret}"`).toEqual([]);
    }
    expect(parsed.filter((l) => l.level >= 50), 'error lines').toEqual([]);
    const refusals = parsed.filter((l) => l.code === 'invalid_input' && l.command === 'cycle');
    expect(refusals).toHaveLength(2 * mistakes.length);
    expect(refusals.every((l) => l.level === 30)).toBe(true);
  }, 60_000);
});
