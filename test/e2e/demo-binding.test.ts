// The demo runs with Teams authentication off, so only this machine may reach it.
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { loadDemoPartnership } from '../../src/demo/demo-partnership.js';
import { startDemoRuntime, type DemoRuntime } from '../../src/demo/demo-runtime.js';
import { migratedDatabase, type ScratchDatabase } from '../support/database.js';
import { testNow } from '../support/test-clock.js';

describe('the demo bot', () => {
  let database: ScratchDatabase;
  let demo: DemoRuntime;

  beforeAll(async () => {
    database = await migratedDatabase('demo_bind');
    const realNow = testNow();
    demo = await startDemoRuntime({ databaseUrl: database.url, partnership: await loadDemoPartnership('swindon'), port: 0, logger: createLogger('silent'), realNow: () => realNow });
  });
  afterAll(async () => {
    await demo?.runtime.stop();
    await database?.drop();
  });

  it('listens on 127.0.0.1 only, and answers there', async () => {
    expect(demo.runtime.address?.address).toBe('127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${demo.runtime.address!.port}/healthz`)).status).toBe(200);
  });

  it('cannot be reached on this machine\'s network address', async () => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    // A machine with no network address has nothing to reach it on; the address check above still holds.
    if (!external) return;
    await expect(fetch(`http://${external.address}:${demo.runtime.address!.port}/healthz`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
  });
});
