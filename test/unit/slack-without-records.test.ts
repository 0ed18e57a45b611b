// The notice a Slack user gets when the database is down goes straight to Slack; it must keep to Slack's hosts.
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { tellWithoutRecords } from '../../src/platforms/slack/without-records.js';

const client = new WebClient('xoxb-test', { retryConfig: { retries: 0 } });
const notice = "I can't reach my records right now, so nothing was done.";

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { logger: createLogger('info', stream), lines };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('telling a Slack user their request was not recorded', () => {
  it("answers through Slack's response_url", async () => {
    let body: Record<string, unknown> = {};
    const scope = nock('https://hooks.slack.com').post('/actions/T0SWIND01/1/abc', (b) => ((body = b), true)).reply(200, 'ok');
    const { logger, lines } = capturingLogger();
    await tellWithoutRecords(client, { responseUrl: 'https://hooks.slack.com/actions/T0SWIND01/1/abc' }, notice, logger);
    expect(scope.isDone()).toBe(true);
    expect(body).toMatchObject({ response_type: 'ephemeral', text: notice });
    expect(lines).toEqual([]);
  });

  it('never posts to a response_url on a host that is not Slack\'s, and says so in the log without the URL', async () => {
    const elsewhere = nock('https://attacker.example').post(/.*/).reply(200, 'ok');
    const { logger, lines } = capturingLogger();
    await tellWithoutRecords(client, { responseUrl: 'https://attacker.example/steal?token=secret' }, notice, logger);
    expect(elsewhere.isDone()).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('host not allowed: attacker.example');
    expect(lines[0]).not.toContain('secret');
  });
});
