import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../core/logger.js';
import { checkedResponseUrl, responseUrlHosts } from './response-url.js';

/** A hung Slack must not hold the request that is being answered. */
const responseUrlTimeoutMs = 5_000;

export type DirectTarget = { responseUrl: string } | { channel: string; threadTs?: string };

/**
 * Says something to the person straight through Slack, without the outbox: for when the database is what failed,
 * so nothing can be recorded and the answer cannot wait for it. Best effort: a failure is logged, never thrown.
 */
export async function tellWithoutRecords(client: WebClient, target: DirectTarget, text: string, logger: Logger): Promise<void> {
  try {
    if ('responseUrl' in target) {
      const url = checkedResponseUrl(target.responseUrl, responseUrlHosts(client.slackApiUrl));
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(responseUrlTimeoutMs),
      });
      if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    } else {
      await client.chat.postMessage({ channel: target.channel, text, ...(target.threadTs ? { thread_ts: target.threadTs } : {}) });
    }
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : 'unknown' }, 'could not tell the person that their request was not recorded');
  }
}
