import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { workerErrorLogger } from '../../src/scheduler/worker-errors.js';

function captured() {
  const lines: { level: number; msg: string; alsoSince?: number }[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('worker errors', () => {
  it('a Redis outage is one warning per interval, saying how many reconnect failures it stands for', () => {
    const { logger, lines } = captured();
    const log = workerErrorLogger(logger, 'delivery', 60_000);
    for (let i = 0; i < 80; i++) log(new Error('connect ECONNREFUSED 127.0.0.1:6399'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'worker cannot reach the queue backend; retrying', alsoSince: 0 });
  });

  it('any other worker error is an error, every time', () => {
    const { logger, lines } = captured();
    const log = workerErrorLogger(logger, 'timers', 60_000);
    log(new Error('Missing lock for job 1. moveToFinished'));
    log(new Error('Missing lock for job 2. moveToFinished'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, 'worker error'], [50, 'worker error']]);
  });
});
