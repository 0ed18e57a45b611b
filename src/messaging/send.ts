import type { Db } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import type { DeliveryJobs } from './delivery-jobs.js';
import type { OutboundDraft } from './outbound.js';
import { enqueueOutbound } from './outbox.js';

/** Writes one outbound message and queues its delivery: the path for direct replies to a person. */
export async function sendOutbound(deps: { db: Db; deliveryJobs: DeliveryJobs }, draft: OutboundDraft): Promise<string> {
  return transact(deps.db, async (tx, afterCommit) => {
    const id = await enqueueOutbound(tx, draft);
    afterCommit(() => deps.deliveryJobs.push([id]));
    return id;
  });
}
