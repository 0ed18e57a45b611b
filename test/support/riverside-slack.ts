// The Slack side of the per-agency returns tests: a bot on the Riverside returns partnership (Slack only, on a manual
// clock starting Monday 1 Feb 2027 09:00 GMT), and the requests its people send.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { repoRoot, slackSigningSecret, startBot, type BotHarness } from './bot-harness.js';
import type { RecordedSlackCall } from './fake-slack-api.js';
import { blockActionsBody, postSignedSlackRequest, slashCommandBody } from './slack-requests.js';

export const riversideTeam = 'T0RIVER01';
export const riversideSlackUsers = { alex: 'U0RVALEX1', lena: 'U0RVLENA1', paul: 'U0RVPAUL1', pat: 'U0RVPAT01', hana: 'U0RVHANA1', harry: 'U0RVHARR1', chloe: 'U0RVCHLOE' } as const;
export const riversideStageName = 'Quarterly dataset with narrative';

export interface RiversideSlack {
  clock: ManualClock;
  /** Set once the suite's beforeAll has run. */
  bot: BotHarness;
  nextTrigger(): string;
  /** Sends a slash command and waits for its answer at the response_url. */
  command(text: string, userId: string): Promise<RecordedSlackCall>;
  /** Presses a button; returns the trigger id (its response_url ends with it). */
  press(userId: string, actionId: string, value: string): Promise<string>;
  returnOf(agency: string): ReturnType<BotHarness['db']['stageReturn']['findFirstOrThrow']>;
}

/** Starts the bot before the suite's tests and stops it after. Call at the top level of a test file. */
export function useRiversideSlack(): RiversideSlack {
  let trigger = 0;
  const session: RiversideSlack = {
    clock: new ManualClock(DateTime.fromISO('2027-02-01T09:00:00Z')),
    bot: undefined as unknown as BotHarness,
    nextTrigger: () => `trigger-${Date.now()}-${++trigger}`,
    async command(text, userId) {
      const id = session.nextTrigger();
      const body = slashCommandBody({ text, userId, teamId: riversideTeam, responseUrl: session.bot.slackApi.responseUrl(id), triggerId: id });
      const res = await postSignedSlackRequest(`${session.bot.url}/slack/events`, body, slackSigningSecret);
      expect(res.status).toBe(200);
      return session.bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
    },
    async press(userId, actionId, value) {
      const triggerId = session.nextTrigger();
      const body = blockActionsBody({ userId, teamId: riversideTeam, actions: [{ actionId, value }], triggerId, responseUrl: session.bot.slackApi.responseUrl(triggerId) });
      const res = await postSignedSlackRequest(`${session.bot.url}/slack/events`, body, slackSigningSecret);
      expect(res.status).toBe(200);
      return triggerId;
    },
    returnOf: (agency) => session.bot.db.stageReturn.findFirstOrThrow({ where: { agency: { name: agency } } }),
  };
  beforeAll(async () => {
    session.bot = await startBot({
      partnership: null, clock: session.clock, teams: false,
      env: { PARTNERSHIP_CONFIG: `${repoRoot}/test/support/partnerships/riverside-returns.yaml`, DELIVERY_RATE_PER_SECOND: '500' },
    });
  });
  afterAll(async () => {
    await session.bot?.stop();
  });
  return session;
}
