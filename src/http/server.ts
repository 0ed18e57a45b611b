import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Services } from '../app/services.js';
import { databaseReachable } from '../store/db.js';

/**
 * The one HTTP server: /slack/events and /api/messages are mounted by the platform adapters;
 * this adds health, readiness, metrics, request ids and logging (headers and ids only, never bodies).
 */
export function createHttpApp(services: Pick<Services, 'db' | 'queues' | 'logger' | 'metrics'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.use(
    pinoHttp({
      logger: services.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );

  app.use((req, res, next) => {
    const stop = services.metrics.httpLatency.startTimer();
    res.on('finish', () => {
      const route = routeLabel(req.path);
      stop({ route });
      services.metrics.httpRequests.inc({ route, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const [database, queue] = await Promise.all([databaseReachable(services.db), services.queues.ping()]);
    const ready = database && queue;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database: database ? 'up' : 'down', [services.queues.backend]: queue ? 'up' : 'down' });
  });

  app.get('/metrics', async (_req, res) => {
    await refreshQueueDepths(services);
    res.setHeader('content-type', services.metrics.registry.contentType);
    res.send(await services.metrics.registry.metrics());
  });

  return app;
}

/** Catch-alls added after the platform routes: unknown paths get 404, malformed requests 4xx, never a crash. */
export function finishHttpApp(app: Express, logger: Services['logger']): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; statusCode?: number; type?: string; message?: string }, _req, res, _next) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error.message }, 'request failed');
    if (res.headersSent) return;
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: status < 500 ? 'bad_request' : 'internal_error' });
  };
  app.use(onError);
}

const knownRoutes = ['/slack/events', '/api/messages', '/healthz', '/readyz', '/metrics', '/calendar'];

function routeLabel(path: string): string {
  return knownRoutes.find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
}

async function refreshQueueDepths(services: Pick<Services, 'queues' | 'metrics'>): Promise<void> {
  for (const queue of [services.queues.timers, services.queues.delivery, services.queues.maintenance]) {
    try {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, count] of Object.entries(counts)) services.metrics.queueDepth.set({ queue: queue.name, state }, count);
    } catch {
      // A down queue shows up in /readyz; metrics keep their last values.
    }
  }
}
