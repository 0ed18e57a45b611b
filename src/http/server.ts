import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../core/logger.js';
import { errorLogFields } from '../core/error-log.js';
import type { Metrics } from './metrics.js';
import { metricsText } from './metrics-server.js';
import { redactSecretsInUrl } from './redact-url.js';
import type { TrustProxy } from './trust-proxy.js';

/** What the server needs to answer health, readiness and metrics: checks to run, not the services behind them. */
export interface HttpDeps {
  logger: Logger;
  metrics: Metrics;
  /** Each dependency readiness depends on, by the name /readyz reports it under (database, redis, postgres). */
  readiness: readonly { name: string; check(): Promise<boolean> }[];
  /** Job counts per queue and state, for the queue-depth gauge. */
  queueCounts(): Promise<{ queue: string; counts: Record<string, number> }[]>;
  /** First path segments of the features' routes (e.g. /calendar), so metrics label them instead of "other". */
  routePrefixes?: readonly string[];
  /** Which proxies' X-Forwarded-* headers to believe (default: none). */
  trustProxy?: TrustProxy;
  /** When set, GET /metrics on this server answers a request bearing `Authorization: Bearer <token>`; else 404. */
  metricsToken?: string;
}

/**
 * The one HTTP server: /slack/events and /api/messages are mounted by the platform adapters;
 * this adds health, readiness, request ids and logging (ids and URLs with their secrets redacted, never bodies).
 * Metrics are served on a loopback port of their own (metrics-server.ts), here only with the metrics token.
 */
export function createHttpApp(services: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Never `true`: that believes any client's X-Forwarded-For. Express wants a mutable array.
  const trustProxy = services.trustProxy ?? false;
  app.set('trust proxy', typeof trustProxy === 'object' ? [...trustProxy] : trustProxy);

  app.use(
    pinoHttp({
      logger: services.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactSecretsInUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );

  app.use((req, res, next) => {
    const stop = services.metrics.httpLatency.startTimer();
    res.on('finish', () => {
      const route = routeLabel(req.path, services.routePrefixes ?? []);
      stop({ route });
      services.metrics.httpRequests.inc({ route, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(services.readiness.map(async ({ name, check }) => [name, await check().catch(() => false)] as const));
    const ready = results.every(([, up]) => up);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', ...Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down'])) });
  });

  // Metrics live on their own loopback port (metrics-server.ts); here only for a scraper holding the token.
  const metricsToken = services.metricsToken;
  if (metricsToken) {
    app.get('/metrics', async (req, res, next) => {
      if (!bearerMatches(req.headers.authorization, metricsToken)) return next();
      res.setHeader('content-type', services.metrics.registry.contentType);
      res.send(await metricsText(services));
    });
  }

  return app;
}

/** Catch-alls added after the platform routes: unknown paths get 404, malformed requests 4xx, never a crash. */
export function finishHttpApp(app: Express, logger: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; statusCode?: number; type?: string; message?: string }, _req, res, _next) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error(errorLogFields(error), 'request failed');
    if (res.headersSent) return;
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: status < 500 ? 'bad_request' : 'internal_error' });
  };
  app.use(onError);
}

const knownRoutes = ['/slack/events', '/api/messages', '/healthz', '/readyz', '/metrics'];

function routeLabel(path: string, featureRoutes: readonly string[]): string {
  return [...knownRoutes, ...featureRoutes].find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
