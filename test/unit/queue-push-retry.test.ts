import { describe, expect, it } from 'vitest';
import { pushWithRetry, type QueuePushFailure } from '../../src/core/queue-push-retry.js';

describe('pushWithRetry', () => {
  it('retries a failed push until it succeeds, reporting each failure', async () => {
    const failures: QueuePushFailure[] = [];
    let calls = 0;
    await pushWithRetry('delivery', ['row-1'], async () => {
      calls += 1;
      if (calls < 3) throw new Error('Connection is closed.');
    }, { observer: (f) => failures.push(f), delaysMs: [0, 0, 0] });
    expect(calls).toBe(3);
    expect(failures.map((f) => [f.attempt, f.willRetry])).toEqual([[1, true], [2, true]]);
    expect(failures[0]).toMatchObject({ queue: 'delivery', ids: ['row-1'], error: 'Connection is closed.' });
  });

  it('gives up after the last retry, says the rows are left to reconcile, and throws', async () => {
    const failures: QueuePushFailure[] = [];
    let calls = 0;
    const push = pushWithRetry('timers', ['t-1', 't-2'], async () => {
      calls += 1;
      throw new Error('READONLY You cannot write against a read only replica.');
    }, { observer: (f) => failures.push(f), delaysMs: [0, 0] });
    await expect(push).rejects.toThrow('READONLY');
    expect(calls).toBe(3);
    expect(failures.map((f) => f.willRetry)).toEqual([true, true, false]);
  });
});
