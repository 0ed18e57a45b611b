import type { Db } from '../store/db.js';
import type { DeliveryJobs } from './delivery-jobs.js';
import type { OutboundDraft } from './outbound.js';
import { enqueueOutbound } from './outbox.js';

/**
 * Writes one outbound message and queues its delivery: the path for direct replies to a person. A single
 * idempotent INSERT needs no transaction of its own. DeliveryJobs retries a failed push promptly and reports each
 * failure; if every attempt fails, the row is safe and the reconcile queues it, so the person still gets the reply.
 */
export async function sendOutbound(deps: { db: Db; deliveryJobs: DeliveryJobs }, draft: OutboundDraft): Promise<string> {
  const id = await enqueueOutbound(deps.db, draft);
  await deps.deliveryJobs.push([id]).catch(() => undefined); // already logged and counted by DeliveryJobs
  return id;
}
