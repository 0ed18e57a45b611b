import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/app/runtime.js';
import { createLogger } from '../../src/core/logger.js';
import { migratedDatabase, type ScratchDatabase } from '../support/database.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { eventually, examplePartnership, redisUrl, slackBotToken, slackSigningSecret } from '../support/bot-harness.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function runtimeWith(database: ScratchDatabase, env: Record<string, string>, role: 'all' | 'web' | 'worker'): Promise<Runtime> {
  const config = loadConfig({ PORT: '0', METRICS_PORT: '0', DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env });
  const runtime = await startRuntime({ config, role, logger: createLogger('silent') });
  stops.push(() => runtime.stop());
  return runtime;
}

describe('health, readiness and metrics', () => {
  it('/healthz is up, /readyz reports PostgreSQL and Redis, /metrics speaks Prometheus on loopback only', async () => {
    const database = await migratedDatabase('http');
    stops.push(() => database.drop());
    const runtime = await runtimeWith(database, { REDIS_URL: redisUrl, QUEUE_PREFIX: 'thttp', TEAMS_ALLOW_UNAUTHENTICATED: 'true' }, 'all');
    expect((await fetch(`${runtime.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${runtime.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'up', redis: 'up' });
    const res = await fetch(`${runtime.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":' });
    expect(res.status).toBe(400);
    expect((await fetch(`${runtime.url}/metrics`)).status).toBe(404);
    expect(new URL(runtime.metricsUrl!).hostname).toBe('127.0.0.1');
    const metrics = await (await fetch(`${runtime.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('pbot_http_requests_total{route="/api/messages",status="400"} 1');
    expect(metrics).toContain('pbot_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/pbot_queue_jobs\{queue="timers",state="delayed"\} \d+/);
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });

  it('/readyz answers 503 when Redis is unreachable, and the process stays up', async () => {
    const database = await migratedDatabase('http');
    stops.push(() => database.drop());
    const runtime = await runtimeWith(database, { REDIS_URL: 'redis://127.0.0.1:1', TEAMS_ALLOW_UNAUTHENTICATED: 'true' }, 'web');
    const ready = await fetch(`${runtime.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'up', redis: 'down' });
    expect((await fetch(`${runtime.url}/healthz`)).status).toBe(200);
  });
});

describe('web and worker as separate processes', () => {
  it('a command answered by the web role is delivered by the worker role', async () => {
    const database = await migratedDatabase('roles');
    stops.push(() => database.drop());
    const slack = new FakeSlackApi({ token: slackBotToken });
    const apiUrl = await slack.start();
    stops.push(() => slack.stop());
    const env = {
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: 'troles',
      SLACK_SIGNING_SECRET: slackSigningSecret,
      SLACK_BOT_TOKEN: slackBotToken,
      SLACK_API_URL: apiUrl,
      PARTNERSHIP_CONFIG: examplePartnership('swindon'),
    };
    const web = await runtimeWith(database, env, 'web');
    const request = slashCommandBody({ text: 'help', userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: slack.responseUrl('roles-1'), triggerId: 'roles-1' });
    expect((await postSignedSlackRequest(`${web.url}/slack/events`, request, slackSigningSecret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    // Nothing sends without a worker: the reply waits as an outbox row.
    expect(slack.responseUrlPosts('roles-1')).toHaveLength(0);
    expect(await web.services.db.outboxMessage.count({ where: { status: 'pending' } })).toBe(1);

    const worker = await runtimeWith(database, env, 'worker');
    expect(worker.url).toBeUndefined();
    await slack.waitFor((c) => c.method === 'response_url' && c.path.endsWith('roles-1'), { timeoutMs: 5000 });
    await eventually(async () => (await worker.services.db.outboxMessage.count({ where: { status: 'sent' } })) === 1, 5000, 'row marked sent');
  });
});
