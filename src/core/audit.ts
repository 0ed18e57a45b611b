import type { Tx } from '../store/db.js';
import { currentRequestKey } from './request-context.js';

export interface AuditEntry {
  partnershipId?: string | null;
  actorMemberId?: string | null;
  /** Who acted, as shown in reports: a member's display name, "system", "scheduler", "directory import". */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Structured facts only (ids, dates, states). Never free text typed by users. */
  data?: Record<string, unknown>;
}

/** Where an audit event notes the acknowledged request that made the change (see request-context.ts). */
export const REQUEST_KEY_FIELD = 'requestKey';

/**
 * Writes an audit event inside the caller's transaction, so the change and its trace commit together. Returns the
 * event's id: unique and increasing, so it can name the state change (e.g. in an outbox idempotency key).
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<string> {
  const requestKey = currentRequestKey();
  const event = await tx.auditEvent.create({
    data: {
      partnershipId: entry.partnershipId ?? null,
      actorMemberId: entry.actorMemberId ?? null,
      actor: entry.actor,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      data: { ...entry.data, ...(requestKey ? { [REQUEST_KEY_FIELD]: requestKey } : {}) } as object,
    },
    select: { id: true },
  });
  return event.id.toString();
}
