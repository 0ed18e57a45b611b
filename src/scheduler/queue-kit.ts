import { Queue, Worker, withBackend, createPostgresBackend, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';

export const queueNames = {
  timers: 'timers',
  delivery: 'delivery',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export type QueueBackend = { kind: 'redis'; url: string; prefix: string } | { kind: 'postgres'; connectionString: string };

/**
 * The three BullMQ queues and a way to make workers for them, on Redis (production, tests) or on PostgreSQL
 * (the zero-install demo). Callers never see which.
 */
export interface QueueKit {
  readonly backend: QueueBackend['kind'];
  readonly timers: Queue;
  readonly delivery: Queue;
  readonly maintenance: Queue;
  createWorker(name: QueueName, processor: Processor, options?: Partial<Omit<WorkerOptions, 'connection'>>): Worker;
  /**
   * False while the queue backend cannot be reached (Redis reconnecting): a push now would wait for it, so callers
   * leave the rows to the reconcile instead, and tell people that answers and reminders may be late.
   */
  reachable(): boolean;
  /** Calls `listener` each time the connection comes back after being lost (not at the first connection). */
  onReconnect(listener: () => void): void;
  /** Redis client for shared state (rate limiter); undefined on the PostgreSQL backend. */
  readonly redis?: Redis;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createQueueKit(backend: QueueBackend): QueueKit {
  return backend.kind === 'redis' ? createRedisKit(backend.url, backend.prefix) : createPostgresKit(backend.connectionString);
}

function createRedisKit(url: string, prefix: string): QueueKit {
  const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', () => {
    // ioredis reconnects by itself; /readyz reports the outage.
  });
  const reconnectListeners: (() => void)[] = [];
  let lost = false;
  connection.on('close', () => {
    lost = true;
  });
  connection.on('ready', () => {
    if (!lost) return;
    lost = false;
    for (const listener of reconnectListeners) listener();
  });
  const workers: Worker[] = [];
  const make = (name: QueueName) => new Queue(name, { connection, prefix });
  const queues = { timers: make('timers'), delivery: make('delivery'), maintenance: make('maintenance') };
  // Connection errors surface through /readyz; without a listener BullMQ would print each retry to stderr.
  for (const queue of Object.values(queues)) queue.on('error', () => undefined);
  return {
    backend: 'redis',
    ...queues,
    redis: connection,
    reachable: () => connection.status === 'ready',
    onReconnect: (listener) => void reconnectListeners.push(listener),
    createWorker(name, processor, options = {}) {
      const worker = new Worker(name, processor, { ...options, connection, prefix });
      workers.push(worker);
      return worker;
    },
    async ping() {
      // With maxRetriesPerRequest: null a command waits for Redis forever; readiness must answer now.
      if (connection.status !== 'ready') return false;
      return withTimeout(connection.ping().then((r) => r === 'PONG'), 1000);
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

function createPostgresKit(connectionString: string): QueueKit {
  const pg = withBackend(createPostgresBackend);
  const connection = { connectionString, migrate: true };
  const workers: Worker[] = [];
  const make = (name: QueueName) => new pg.Queue(name, { connection }) as unknown as Queue;
  const queues = { timers: make('timers'), delivery: make('delivery'), maintenance: make('maintenance') };
  return {
    backend: 'postgres',
    ...queues,
    reachable: () => true,
    onReconnect: () => undefined,
    createWorker(name, processor, options = {}) {
      const worker = new pg.Worker(name, processor, { ...options, connection }) as unknown as Worker;
      workers.push(worker);
      return worker;
    },
    async ping() {
      return withTimeout(queues.timers.getJobCounts('delayed').then(() => true), 2000);
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
    },
  };
}

function withTimeout(check: Promise<boolean>, ms: number): Promise<boolean> {
  return Promise.race([check.catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
}
