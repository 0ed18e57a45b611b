// `npm run test:dates [-- <when> ...]`: the tests that check dates, working days or timers against "now" from
// testNow(), run once per awkward moment with the bot's clock pinned there through PBOT_TEST_CLOCK. The machine's
// clock is never touched. Every other test file either sets its own ManualClock to a fixed instant or asserts nothing
// about dates (Slack and Teams plumbing on the harness's default clock), so the day it runs cannot change its result.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePinnedInstant, pinnedClockVariable } from './support/test-clock.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** London wall times. */
const awkwardMoments: { when: string; why: string }[] = [
  { when: '2026-11-29T15:00', why: 'a Sunday afternoon: five working days on is five calendar days' },
  { when: '2026-12-25T10:00', why: 'Christmas Day, a Friday bank holiday with Boxing Day moved to Monday' },
  { when: '2026-10-25T23:30', why: 'late evening on the Sunday British Summer Time ended' },
];

const dateSensitiveFiles = [
  'test/e2e/demo-mode.test.ts', // the demo clock, `demo advance 5 working days`, the seeded story's overdue stage
  'test/e2e/demo-playground.test.ts', // the same story in a browser (needs Chromium)
  'test/integration/scheduler.test.ts', // timers armed minutes to days from the bot's now
];

const moments = process.argv.length > 2 ? process.argv.slice(2).map((when) => ({ when, why: 'given on the command line' })) : awkwardMoments;
const failed: string[] = [];
for (const { when, why } of moments) {
  const instant = parsePinnedInstant(when);
  console.log(`\n== ${pinnedClockVariable}=${when} (${instant.setZone('Europe/London').toFormat('cccc d LLLL yyyy, HH:mm ZZZZ')}): ${why}\n`);
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', ...dateSensitiveFiles], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, [pinnedClockVariable]: when },
  });
  if (run.status !== 0) failed.push(when);
}
if (failed.length > 0) {
  console.error(`\nDate-sensitive tests failed with the bot's clock pinned at: ${failed.join(', ')}. Re-run one with ${pinnedClockVariable}=<when> npx vitest run <file>.`);
  process.exit(1);
}
console.log(`\nDate-sensitive tests passed at ${moments.map((m) => m.when).join(', ')} (London time).`);
