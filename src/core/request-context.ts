import { AsyncLocalStorage } from 'node:async_hooks';

const requestKeys = new AsyncLocalStorage<string>();

/**
 * Runs `work` as the handling of one acknowledged request (a command, a message, a button press). Audit events
 * written meanwhile carry the request's key, so recovery after a crash can tell that its changes were already made
 * and must not be made again.
 */
export function asRequest<T>(key: string, work: () => Promise<T>): Promise<T> {
  return requestKeys.run(key, work);
}

/** The key of the request being handled, if any. */
export function currentRequestKey(): string | undefined {
  return requestKeys.getStore();
}
