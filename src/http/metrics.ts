import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Prometheus metrics, served at GET /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pbot_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'pbot_http_requests_total', help: 'Inbound HTTP requests', labelNames: ['route', 'status'], registers: [registry] }),
    httpLatency: new Histogram({
      name: 'pbot_http_request_duration_seconds',
      help: 'Inbound HTTP request latency',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    commands: new Counter({ name: 'pbot_commands_total', help: 'Commands handled', labelNames: ['platform', 'command'], registers: [registry] }),
    deliveries: new Counter({ name: 'pbot_deliveries_total', help: 'Outbound messages delivered', labelNames: ['platform'], registers: [registry] }),
    deliveryFailures: new Counter({ name: 'pbot_delivery_failures_total', help: 'Outbound messages that failed for good', labelNames: ['platform', 'reason'], registers: [registry] }),
    deliveriesInDoubt: new Counter({
      name: 'pbot_deliveries_in_doubt_total',
      help: 'Messages sent again after a crash interrupted an earlier send (each a possible duplicate)',
      labelNames: ['platform'],
      registers: [registry],
    }),
    rateLimited: new Counter({ name: 'pbot_rate_limited_total', help: '429 answers from a platform', labelNames: ['platform'], registers: [registry] }),
    timersFired: new Counter({ name: 'pbot_timers_fired_total', help: 'Timers fired', labelNames: ['kind'], registers: [registry] }),
    queuePushFailures: new Counter({
      name: 'pbot_queue_push_failures_total',
      help: 'Failed attempts to hand rows to a queue after commit (outcome: retrying, or left_to_reconcile)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'pbot_queue_jobs', help: 'Jobs per queue and state', labelNames: ['queue', 'state'], registers: [registry] }),
  };
}
