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

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe to show the person in chat. */
    readonly userMessage: string = message,
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

export function forbidden(userMessage: string): BotError {
  return new BotError('forbidden', userMessage, userMessage);
}

export function invalidInput(userMessage: string): BotError {
  return new BotError('invalid_input', userMessage, userMessage);
}
