// How /slack/events compares signatures: through Bolt 5.1's ExpressReceiver, whose check (tsscmp) HMACs both values
// with a random key and compares the digests with crypto.timingSafeEqual, so the time taken does not depend on how
// many leading characters of a forged signature are right.
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import type { InboundPort } from '../../src/interactions/inbound-port.js';
import { mountSlack } from '../../src/platforms/slack/slack-app.js';
import { JSON_CONTENT_TYPE, signSlackRequest } from '../support/slack-requests.js';

const secret = 'unit-signing-secret-0123456789abcdef';
let server: Server;
let url: string;

beforeAll(async () => {
  const app = express();
  const port = { logger: createLogger('silent') } as unknown as InboundPort;
  mountSlack(app, { signingSecret: secret, botToken: 'xoxb-unit', apiUrl: 'http://127.0.0.1:9/api/' }, port);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const challenge = JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'the-challenge' });

async function postWithSpy(headers: Record<string, string>) {
  const spy = vi.spyOn(crypto, 'timingSafeEqual');
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: challenge });
    return { status: res.status, body: await res.text(), comparisons: spy.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength]) };
  } finally {
    spy.mockRestore();
  }
}

describe('Slack signature comparison', () => {
  it('compares a correct signature in constant time and answers', async () => {
    const answer = await postWithSpy(signSlackRequest(challenge, secret));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('the-challenge');
    // One comparison of two SHA-256 digests of equal length, whatever the signatures' lengths.
    expect(answer.comparisons).toEqual([[32, 32]]);
  });

  it('compares a forged signature the same way before refusing it with 401', async () => {
    const forged = signSlackRequest(challenge, 'not-the-secret');
    const answer = await postWithSpy({ ...forged, 'x-slack-signature': `${forged['x-slack-signature']}00` });
    expect(answer.status).toBe(401);
    expect(answer.comparisons).toEqual([[32, 32]]);
  });
});
