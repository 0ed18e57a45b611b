// A small typed error family with string codes. Platform adapters translate their failures onto these.

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'unknown_member'
  | 'rate_limited'
  | 'platform_rejected'
  | 'platform_unavailable'
  | 'recipient_unreachable';

/**
 * Why a request was refused for who asked rather than for what they typed: the router that answers it records an
 * `access.refused` audit row. not-permitted: their role may not; the others: an id from a payload that is another
 * partnership's, names nothing, or is not an id at all (the person is told the same for all three).
 */
export type RefusalReason = 'not-permitted' | 'not-a-member' | 'other-partnership' | 'no-such-id' | 'malformed-id';

export interface Refusal {
  reason: RefusalReason;
  /** What was refused, e.g. `stage` and its id; the id only when it is a well-formed row id (never junk from a payload). */
  subjectType?: string;
  subjectId?: string;
}

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe to show the person in chat. */
    readonly userMessage: string = message,
    /** Set when this is an authorisation refusal, which is audited. */
    readonly refusal?: Refusal,
  ) {
    super(message);
    this.name = 'BotError';
  }
}

/** The platform asked us to slow down. */
export class RateLimitedError extends BotError {
  constructor(readonly retryAfterMs: number, readonly rateKey: string) {
    super('rate_limited', `rate limited on ${rateKey} for ${retryAfterMs} ms`);
    this.name = 'RateLimitedError';
  }
}

/** Retrying will never help (bad channel, revoked token, removed app): the outbox row is marked failed. */
export class PermanentDeliveryError extends BotError {
  constructor(message: string, readonly platformCode?: string) {
    super('platform_rejected', message);
    this.name = 'PermanentDeliveryError';
  }
}

export function forbidden(userMessage: string, subject?: { type: string; id: string }): BotError {
  return new BotError('forbidden', userMessage, userMessage, { reason: 'not-permitted', subjectType: subject?.type, subjectId: subject?.id });
}

const rowIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a payload value can be a row id at all (PostgreSQL rejects a malformed uuid with an error, not "no row"). */
export const looksLikeId = (value: string | undefined): value is string => value !== undefined && rowIdPattern.test(value);

/**
 * An id from a card payload that the member may not reach: told it "no longer exists" whatever the cause (saying "not
 * yours" would confirm it exists), audited with the cause. `foreign`: the row exists in another partnership.
 */
export function unknownSubject(userMessage: string, subjectType: string, value: string | undefined, foreign = false): BotError {
  const wellFormed = looksLikeId(value);
  const reason: RefusalReason = !wellFormed ? 'malformed-id' : foreign ? 'other-partnership' : 'no-such-id';
  return new BotError('invalid_input', userMessage, userMessage, { reason, subjectType, subjectId: wellFormed ? value : undefined });
}

export function invalidInput(userMessage: string): BotError {
  return new BotError('invalid_input', userMessage, userMessage);
}
