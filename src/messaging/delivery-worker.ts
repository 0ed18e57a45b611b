import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../core/logger.js';
import { PermanentDeliveryError, RateLimitedError } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { InvalidAttachmentError } from './attachments.js';
import { assertAudienceAllows, PrivateAudienceError } from './audience.js';
import type { Message } from './message.js';
import { PartiallySentError, type OutboundEnvelope, type OutboundTarget, type PlatformSender, type SendResult } from './outbound.js';
import type { RateLimiter } from './rate-limiter.js';
import { destinationOf, type DestinationGate } from './destination-gate.js';
import { recordAudit } from '../core/audit.js';
import { DELIVERY_FAILED_ACTION, permanentReasonOf, type FailureReason } from './delivery-failures.js';

export interface DeliveryJobData {
  outboxId: string;
  /** Set when the platform took the message but the database could not record it: never send it again. */
  delivered?: DeliveredIds;
}

/** What the platform answered a successful send with, to record on the outbox row. */
export interface DeliveredIds {
  messageId: string | null;
  channelId: string | null;
}

export interface DeliveryObserver {
  sent?(platform: string): void;
  failed?(platform: string, reason: 'permanent' | 'exhausted'): void;
  rateLimited?(platform: string): void;
  /** A send began before and its outcome was never recorded (a crash mid-call): this one may be a duplicate. */
  inDoubt?(platform: string): void;
}

export interface DeliveryDeps {
  db: Db;
  senders: Partial<Record<'slack' | 'teams', PlatformSender>>;
  limiter: RateLimiter;
  logger: Logger;
  observer?: DeliveryObserver;
  /** Caps sends in flight per destination host, so a hung host cannot hold every slot. */
  destinations?: DestinationGate;
  /** How soon a job whose destination is full looks again (default 1 s). */
  destinationBusyRetryMs?: number;
}

/** The time an update waits for the message it replaces to be sent first. */
const originalNotSentYetMs = 2_000;
/** How soon a job whose destination is full looks again (its hung calls time out within seconds), unless configured. */
const destinationFullMs = 1_000;
/**
 * How long a job waits in this process for its full destination to free a slot before it looks again later: a
 * healthy host frees one within milliseconds; one slow or hung for longer must not hold the other destinations'
 * slots while its jobs wait.
 */
const destinationWaitMs = 250;

/**
 * Sends one outbox row. Rate limits are per workspace/tenant: when the bucket is empty, or the platform answers
 * 429, the job sleeps (moveToDelayed) without spending one of its attempts, and the whole key pauses for the
 * platform's Retry-After so no other job hammers it meanwhile.
 */
export function createDeliveryProcessor(deps: DeliveryDeps) {
  return async (job: Job<DeliveryJobData>, token?: string): Promise<string> => {
    const row = await deps.db.outboxMessage.findUnique({ where: { id: job.data.outboxId } });
    if (!row || row.status !== 'pending') return 'skipped';
    if (job.data.delivered) {
      await recordDelivered(deps.db, row.id, job.data.delivered);
      return 'sent';
    }
    const sender = deps.senders[row.platform as 'slack' | 'teams'];
    if (!sender) {
      await markFailed(deps, row, `platform ${row.platform} is not configured on this server`, 'platform_off');
      throw new UnrecoverableError(`platform ${row.platform} is off`);
    }
    const refusal = await audienceRefusal(deps.db, row);
    if (refusal) {
      await markFailed(deps, row, refusal, 'private_audience', true);
      deps.observer?.failed?.(row.platform, 'permanent');
      throw new UnrecoverableError(refusal);
    }
    const envelope = await buildEnvelope(deps.db, row);
    if (envelope === 'wait') return sleep(job, token, originalNotSentYetMs);
    if (envelope === 'original-failed') {
      await markFailed(deps, row, 'the message to update was never delivered', 'original_not_delivered');
      return 'skipped';
    }
    if (envelope === 'superseded') {
      // A newer version of this card is already showing: sending this one would put stale content back.
      await deps.db.outboxMessage.update({ where: { id: row.id }, data: { status: 'superseded' } });
      return 'superseded';
    }

    const leaveDestination = deps.destinations ? await deps.destinations.enter(destinationOf(envelope.target), destinationWaitMs) : () => undefined;
    if (!leaveDestination) return sleep(job, token, deps.destinationBusyRetryMs ?? destinationFullMs);
    const wait = await deps.limiter.reserve(row.rateKey).catch((error: unknown) => {
      leaveDestination();
      throw error;
    });
    if (wait > 0) {
      leaveDestination();
      return sleep(job, token, wait);
    }

    if (row.sendingSince) {
      deps.observer?.inDoubt?.(row.platform);
      deps.logger.warn({ outboxId: row.id, platform: row.platform, sendingSince: row.sendingSince.toISOString() }, 'resending a message whose earlier send may have reached the platform');
    }
    let result: SendResult;
    try {
      await deps.db.outboxMessage.update({ where: { id: row.id }, data: { sendingSince: new Date() } });
      result = await sendRecordingPartial(deps.db, row.id, sender, envelope);
    } catch (error) {
      if (error instanceof RateLimitedError) {
        deps.observer?.rateLimited?.(row.platform);
        await deps.limiter.pause(row.rateKey, error.retryAfterMs);
        await recordAttempt(deps.db, row.id, `rate limited: retry after ${error.retryAfterMs} ms`);
        return sleep(job, token, error.retryAfterMs);
      }
      if (error instanceof PermanentDeliveryError || error instanceof InvalidAttachmentError) {
        await markFailed(deps, row, error.message, permanentReasonOf(error), true);
        deps.observer?.failed?.(row.platform, 'permanent');
        throw new UnrecoverableError(error.message);
      }
      const message = error instanceof Error ? error.message : String(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt) {
        await markFailed(deps, row, message, 'retries_exhausted', true);
        deps.observer?.failed?.(row.platform, 'exhausted');
      } else {
        await recordAttempt(deps.db, row.id, message);
      }
      deps.logger.warn({ outboxId: row.id, platform: row.platform, attempt: job.attemptsMade + 1, err: message }, 'delivery attempt failed');
      throw error;
    } finally {
      leaveDestination();
    }

    const delivered: DeliveredIds = {
      messageId: result.messageId ?? envelope.original?.messageId ?? null,
      channelId: result.channelId ?? envelope.original?.channelId ?? null,
    };
    try {
      await recordDelivered(deps.db, row.id, delivered);
    } catch (error) {
      // The message is out but the row still says pending: keep that fact in Redis so no retry (and no reconcile
      // re-queue) posts it again, and let the retry write it once the database is back.
      await job.updateData({ ...job.data, delivered });
      throw error;
    }
    deps.observer?.sent?.(row.platform);
    return 'sent';
  };
}

/** Marks a pending row sent with the platform's ids. Also used by the reconcile for jobs that died after sending. */
export async function recordDelivered(db: Db, id: string, delivered: DeliveredIds): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: 'pending' },
    data: { status: 'sent', sentAt: new Date(), sendingSince: null, attempts: { increment: 1 }, lastError: null, platformMessageId: delivered.messageId, platformChannelId: delivered.channelId },
  });
  return count > 0;
}

/** Defence in depth: the outbox refused these already, unless a row was written some other way or a chat changed. */
async function audienceRefusal(db: Db, row: OutboxRow): Promise<string | undefined> {
  const payload = row.payload as unknown as { message: Message };
  try {
    await assertAudienceAllows(db, payload.message, row.target as unknown as OutboundTarget);
    return undefined;
  } catch (error) {
    if (error instanceof PrivateAudienceError) return error.message;
    throw error;
  }
}

/** When the message went out but an attachment did not, remember the message so the retry does not post it again. */
async function sendRecordingPartial(db: Db, id: string, sender: PlatformSender, envelope: OutboundEnvelope): Promise<SendResult> {
  try {
    return await sender.send(envelope);
  } catch (error) {
    if (!(error instanceof PartiallySentError)) throw error;
    if (error.sent.messageId) {
      await db.outboxMessage.update({ where: { id }, data: { platformMessageId: error.sent.messageId, platformChannelId: error.sent.channelId ?? null } });
    }
    throw error.cause;
  }
}

async function sleep(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

type OutboxRow = NonNullable<Awaited<ReturnType<Db['outboxMessage']['findUnique']>>>;

async function buildEnvelope(db: Db, row: OutboxRow): Promise<OutboundEnvelope | 'wait' | 'original-failed' | 'superseded'> {
  const payload = row.payload as unknown as { message: Message; updateOf?: string | null };
  const envelope: OutboundEnvelope = {
    id: row.id,
    operation: row.operation === 'update' ? 'update' : 'post',
    target: row.target as unknown as OutboundTarget,
    message: payload.message,
  };
  if (envelope.operation === 'post' && row.platformMessageId) {
    envelope.alreadyPosted = { messageId: row.platformMessageId, channelId: row.platformChannelId ?? undefined };
  }
  if (envelope.operation !== 'update' || !payload.updateOf) return envelope;
  const original = await db.outboxMessage.findUnique({ where: { id: payload.updateOf } });
  if (!original || original.status === 'failed') return 'original-failed';
  if (original.status !== 'sent' || !original.platformMessageId) return 'wait';
  const newer = await db.outboxMessage.findFirst({
    where: { operation: 'update', status: 'sent', createdAt: { gt: row.createdAt }, payload: { path: ['updateOf'], equals: payload.updateOf } },
    select: { id: true },
  });
  if (newer) return 'superseded';
  envelope.original = { messageId: original.platformMessageId, channelId: original.platformChannelId ?? undefined };
  return envelope;
}

async function recordAttempt(db: Db, id: string, lastError: string): Promise<void> {
  await db.outboxMessage.update({ where: { id }, data: { attempts: { increment: 1 }, lastError, sendingSince: null } });
}

/** A dead letter: marked failed with an audit row (platform and reason, never the message) for the admins' report. */
async function markFailed(deps: DeliveryDeps, row: OutboxRow, lastError: string, reason: FailureReason, countAttempt = false): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await tx.outboxMessage.update({
      where: { id: row.id },
      data: { status: 'failed', lastError, sendingSince: null, ...(countAttempt ? { attempts: { increment: 1 } } : {}) },
    });
    await recordAudit(tx, { partnershipId: row.partnershipId, actor: 'delivery', action: DELIVERY_FAILED_ACTION, subjectType: 'outbox', subjectId: row.id, data: { platform: row.platform, reason } });
  });
  deps.logger.error({ outboxId: row.id, reason, err: lastError }, 'delivery failed for good');
}
