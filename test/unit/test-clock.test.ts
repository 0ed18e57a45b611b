// PBOT_TEST_CLOCK (npm run test:dates) is how the date-sensitive tests are proved at awkward moments; a misread
// value would "prove" the wrong moment.
import { afterEach, describe, expect, it } from 'vitest';
import { parsePinnedInstant, pinnedClockVariable, testClock, testNow } from '../support/test-clock.js';

const original = process.env[pinnedClockVariable];
afterEach(() => {
  if (original === undefined) delete process.env[pinnedClockVariable];
  else process.env[pinnedClockVariable] = original;
});

describe('PBOT_TEST_CLOCK', () => {
  it('reads a time without an offset as London wall time, in summer and after the clocks go back', () => {
    expect(parsePinnedInstant('2026-07-01T10:00').toISO()).toBe('2026-07-01T09:00:00.000Z');
    expect(parsePinnedInstant('2026-10-25T23:30').toISO()).toBe('2026-10-25T23:30:00.000Z');
    expect(parsePinnedInstant('2026-12-25T10:00:00Z').toISO()).toBe('2026-12-25T10:00:00.000Z');
  });

  it('refuses a value that is not a date-time, naming the variable', () => {
    expect(() => parsePinnedInstant('Christmas')).toThrow(/PBOT_TEST_CLOCK=Christmas is not an ISO date-time/);
  });

  it('pins testNow() and the harness clock when set, and leaves them on the machine time when not', () => {
    process.env[pinnedClockVariable] = '2026-11-29T15:00';
    expect(testNow().toISO()).toBe('2026-11-29T15:00:00.000Z');
    expect(testClock().now().toISO()).toBe('2026-11-29T15:00:00.000Z');

    delete process.env[pinnedClockVariable];
    const before = Date.now();
    const now = testNow().toMillis();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
