// "Now" for the tests. `PBOT_TEST_CLOCK` pins the bot's clock for a whole run without touching the machine's
// (`npm run test:dates` runs the date-sensitive files at a Sunday, Christmas Day and the October clock change).
// Only test code reads it; the bot itself never does.
import { DateTime } from 'luxon';
import { ManualClock } from '../../src/core/clock.js';

export const pinnedClockVariable = 'PBOT_TEST_CLOCK';

/** An ISO date-time; without an offset it is London wall time (2026-10-25T23:30 is 23:30 GMT that day). */
export function parsePinnedInstant(text: string): DateTime {
  const at = DateTime.fromISO(text.trim(), { zone: 'Europe/London' });
  if (!at.isValid) throw new Error(`${pinnedClockVariable}=${text} is not an ISO date-time, e.g. 2026-12-25T10:00 (London time) or 2026-12-25T10:00:00Z`);
  return at.toUTC();
}

/** The instant a test's bot starts at: PBOT_TEST_CLOCK when set, otherwise the machine's time. */
export function testNow(): DateTime {
  const pinned = process.env[pinnedClockVariable];
  return pinned?.trim() ? parsePinnedInstant(pinned) : DateTime.utc();
}

/** A clock standing still at testNow() until the test moves it. */
export function testClock(): ManualClock {
  return new ManualClock(testNow());
}
