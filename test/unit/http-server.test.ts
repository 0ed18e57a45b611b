// The public HTTP server: metrics are not on it (unless asked for with the metrics token), client addresses come
// from X-Forwarded-For only through a configured proxy, and secrets in URLs never reach the access log.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/http/metrics.js';
import { startMetricsServer, type MetricsServer } from '../../src/http/metrics-server.js';
import { mountRoutes } from '../../src/http/routes.js';
import { createHttpApp, finishHttpApp, type HttpDeps } from '../../src/http/server.js';
import { captureLog } from '../support/log-capture.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});


async function serve(options: Partial<HttpDeps> = {}): Promise<{ url: string; lines: string[] }> {
  const { lines, logger } = captureLog();
  const app = createHttpApp({ logger, metrics: createMetrics(), readiness: [], queueCounts: async () => [], ...options });
  // What the server believes the client's address is (express's req.ip), to see what it trusts.
  app.get('/test/client-address', (req, res) => void res.send(req.ip));
  mountRoutes(app, [{ method: 'GET', path: '/calendar/:file', handle: async () => ({ status: 404, contentType: 'text/plain', body: 'none' }) }]);
  finishHttpApp(app, logger);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines };
}

describe('metrics on the public port', () => {
  it('are not there: /metrics answers 404 like any unknown path', async () => {
    const { url } = await serve();
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('pbot_');
  });

  it('are served only to a request bearing the metrics token, when one is set', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const { url } = await serve({ metricsToken: token });
    const withToken = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('pbot_http_requests_total');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(404);
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });
});

describe('the loopback metrics server', () => {
  it('listens on 127.0.0.1 only and speaks Prometheus', async () => {
    const { logger } = captureLog();
    const metrics = createMetrics();
    metrics.deliveries.inc({ platform: 'slack' });
    const server = (await startMetricsServer({ port: 0, metrics, logger, queueCounts: async () => [{ queue: 'timers', counts: { delayed: 3 } }] })) as MetricsServer;
    closers.push(() => server.close());
    expect(server.address).toMatchObject({ address: '127.0.0.1' });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('pbot_deliveries_total{platform="slack"} 1');
    expect(text).toContain('pbot_queue_jobs{queue="timers",state="delayed"} 3');
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });

  it('a port already taken is a warning, not a crash: the bot serves people without its metrics', async () => {
    const { lines, logger } = captureLog();
    const first = (await startMetricsServer({ port: 0, metrics: createMetrics(), logger, queueCounts: async () => [] })) as MetricsServer;
    closers.push(() => first.close());
    const second = await startMetricsServer({ port: first.address.port, metrics: createMetrics(), logger, queueCounts: async () => [] });
    expect(second).toBeUndefined();
    expect(lines.join('')).toContain('METRICS_PORT');
  });
});

describe('trust proxy', () => {
  it('by default the client address is the connection\'s, whatever X-Forwarded-For claims', async () => {
    const { url } = await serve();
    const seen = await (await fetch(`${url}/test/client-address`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).text();
    expect(seen).not.toContain('203.0.113.9');
    expect(seen).toMatch(/127\.0\.0\.1$/);
  });

  it('behind a configured proxy (here on loopback, or one hop) the client address comes from X-Forwarded-For', async () => {
    const loopback = await serve({ trustProxy: ['loopback'] });
    expect(await (await fetch(`${loopback.url}/test/client-address`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).text()).toBe('203.0.113.9');
    const oneHop = await serve({ trustProxy: 1 });
    expect(await (await fetch(`${oneHop.url}/test/client-address`, { headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' } })).text()).toBe('203.0.113.9');
    const elsewhere = await serve({ trustProxy: ['10.0.0.0/8'] });
    expect(await (await fetch(`${elsewhere.url}/test/client-address`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).text()).not.toContain('203.0.113.9');
  });
});

describe('the access log', () => {
  it('never holds a calendar feed token or a file link signature', async () => {
    const { url, lines } = await serve();
    const token = 'Zx3kP9qLmN2vB7wR4tY6uI8oA1sD5fG0hJcKeXbQ';
    const sig = 'c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw';
    await fetch(`${url}/calendar/${token}.ics`);
    await fetch(`${url}/files/0b7c6a52-3f1e-4d2a-9c8b-7e6f5a4b3c2d/0?exp=1700000000&sig=${sig}`);
    const log = lines.join('');
    expect(log).not.toContain(token);
    expect(log).not.toContain(sig);
    // What is left still says what was asked for.
    expect(log).toContain('/calendar/[redacted].ics');
    expect(log).toContain('/files/0b7c6a52-3f1e-4d2a-9c8b-7e6f5a4b3c2d/0?exp=1700000000&sig=[redacted]');
  });
});
