// A bare Bolt app that only acks `/safeguarding`, measured in the same run as the bot: the floor for ack latency.
// Same signing, same load, same process as the bot's scenario; only the bot's own work differs.
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import bolt from '@slack/bolt';
import { slackSigningSecret } from '../test/support/bot-harness.js';
import { signedRequestInit, slashCommandBody } from '../test/support/slack-requests.js';
import { pool } from './support.js';

const { App } = bolt;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Acks of `count` signed slash commands, `concurrency` in flight, against `endpoint`: each request's ms, and the whole burst's. The replies go to `responseUrl`. */
export async function ackBurst(endpoint: string, tag: string, count: number, concurrency: number, responseUrl: (id: string) => string = (id) => `http://127.0.0.1:9/${id}`): Promise<{ ackMs: number[]; non200: number; wallMs: number }> {
  const ackMs: number[] = [];
  let non200 = 0;
  const started = performance.now();
  await pool(count, concurrency, async (i) => {
    const request = slashCommandBody({ text: 'help', userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: responseUrl(`${tag}-${i}`), triggerId: `${tag}-${i}` });
    const t = performance.now();
    const res = await fetch(endpoint, signedRequestInit(request, slackSigningSecret));
    await res.arrayBuffer();
    ackMs.push(performance.now() - t);
    if (res.status !== 200) non200 += 1;
  });
  return { ackMs, non200, wallMs: performance.now() - started };
}

/** Starts the bare app, runs `measure` against its events URL, and stops it. */
export async function withBareBolt<T>(measure: (endpoint: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  // authorize instead of a token: no auth.test call to Slack, nothing but the signature check and the ack.
  const app = new App({ signingSecret: slackSigningSecret, authorize: async () => ({ botToken: 'xoxb-bench-floor' }) });
  app.command('/safeguarding', async ({ ack }) => {
    await ack();
  });
  await app.start(port);
  try {
    return await measure(`http://127.0.0.1:${port}/slack/events`);
  } finally {
    await app.stop();
  }
}
