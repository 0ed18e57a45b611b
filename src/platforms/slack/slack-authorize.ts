import type { AuthorizeResult } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/** Slack's auth.test, as far as the bot needs it. */
export type AuthTest = () => Promise<{ user_id?: string; bot_id?: string }>;

const firstRetryMs = 1_000;
const longestRetryMs = 60_000;

/**
 * Bolt's `authorize` for a single-workspace bot token. Bolt's own (given `token`) calls auth.test in its constructor
 * and leaves a rejection unhandled, so a Slack blip at start-up ended the process, and it keeps that failure for good.
 * Here auth.test runs in the background (on the first call, and again on later ones with a growing pause while it fails) and
 * never holds up or refuses a request: the token alone answers Slack; only Bolt's "ignore my own events" check uses
 * the bot's ids, and our handlers skip bot messages anyway.
 */
export function resilientBotAuthorize(botToken: string, authTest: AuthTest, logger: Logger): () => Promise<AuthorizeResult> {
  let known: { botUserId?: string; botId?: string } | undefined;
  let trying = false;
  let nextTryAt = 0;
  let pauseMs = firstRetryMs;

  const learnWhoIAm = async (): Promise<void> => {
    trying = true;
    try {
      const result = await authTest();
      known = { botUserId: result.user_id, botId: result.bot_id };
      logger.info('slack auth.test succeeded');
    } catch (error) {
      nextTryAt = Date.now() + pauseMs;
      pauseMs = Math.min(pauseMs * 2, longestRetryMs);
      const { statusCode, code } = error as { statusCode?: number; code?: string };
      logger.warn({ statusCode, code, retryInMs: nextTryAt - Date.now() }, 'slack auth.test failed; answering with the bot token alone');
    } finally {
      trying = false;
    }
  };
  const maybeLearn = () => {
    if (!known && !trying && Date.now() >= nextTryAt) void learnWhoIAm();
  };

  return async () => {
    maybeLearn();
    return { botToken, ...known };
  };
}
