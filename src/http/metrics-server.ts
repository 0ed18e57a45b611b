import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { Metrics } from './metrics.js';

export interface MetricsServerDeps {
  /** 0 = any free port. */
  port: number;
  metrics: Metrics;
  logger: Logger;
  /** Job counts per queue and state, for the queue-depth gauge. */
  queueCounts(): Promise<{ queue: string; counts: Record<string, number> }[]>;
}

export interface MetricsServer {
  url: string;
  address: AddressInfo;
  close(): Promise<void>;
}

/** Only this machine may scrape: Prometheus on the host, or a sidecar. Use METRICS_TOKEN to scrape from elsewhere. */
const LOOPBACK = '127.0.0.1';

/**
 * GET /metrics on a port of its own, on loopback only, so the public port never shows queue depths and traffic.
 * A port already taken (a second bot process on the same machine) is logged and the bot carries on without it:
 * people's messages matter more than its metrics.
 */
export async function startMetricsServer(deps: MetricsServerDeps): Promise<MetricsServer | undefined> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    void metricsText(deps).then(
      (text) => res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed'),
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(deps.port, LOOPBACK, () => resolve());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    deps.logger.warn({ port: deps.port, code }, 'metrics are not served: the metrics port is not available (set METRICS_PORT to a free port, 0 for any, or off)');
    return undefined;
  }
  const address = server.address() as AddressInfo;
  return { url: `http://${LOOPBACK}:${address.port}`, address, close: () => closeServer(server) };
}

/** The Prometheus text, with queue depths read fresh; a down queue keeps its last values (it shows in /readyz). */
export async function metricsText(deps: Pick<MetricsServerDeps, 'metrics' | 'queueCounts'>): Promise<string> {
  try {
    for (const { queue, counts } of await deps.queueCounts()) {
      for (const [state, count] of Object.entries(counts)) deps.metrics.queueDepth.set({ queue, state }, count);
    }
  } catch {
    // see above
  }
  return deps.metrics.registry.metrics();
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
