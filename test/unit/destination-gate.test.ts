import { describe, expect, it } from 'vitest';
import { DestinationGate } from '../../src/messaging/destination-gate.js';

describe('DestinationGate: sends in flight per destination host', () => {
  it('gives a freed slot straight to the job waiting for it, oldest first, and never more than the cap at once', async () => {
    const gate = new DestinationGate(2);
    const first = gate.tryEnter('hooks.slack.com')!;
    const second = gate.tryEnter('hooks.slack.com')!;
    expect(gate.tryEnter('hooks.slack.com')).toBeUndefined();
    const order: string[] = [];
    const third = gate.enter('hooks.slack.com', 5_000).then((release) => (order.push('third'), release));
    const fourth = gate.enter('hooks.slack.com', 5_000).then((release) => (order.push('fourth'), release));
    first();
    first(); // giving a slot back twice frees it once
    const thirdRelease = await third;
    expect(order).toEqual(['third']);
    // Still two in flight (second and third): a newcomer does not jump the queue.
    expect(gate.tryEnter('hooks.slack.com')).toBeUndefined();
    second();
    expect(await fourth).toBeTypeOf('function');
    expect(order).toEqual(['third', 'fourth']);
    // Another destination is not held up by this one.
    expect(gate.tryEnter('smba.trafficmanager.net')).toBeTypeOf('function');
    thirdRelease!();
  });

  it('gives up after the wait when the host stays full (slow or hung), so the job can look again later', async () => {
    const gate = new DestinationGate(1);
    const held = gate.tryEnter('hung.example')!;
    const started = Date.now();
    expect(await gate.enter('hung.example', 30)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    // The job that gave up is no longer waiting: the freed slot is free again, not handed to nobody.
    held();
    expect(gate.tryEnter('hung.example')).toBeTypeOf('function');
  });
});
