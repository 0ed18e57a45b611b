// Why a delivery failed for good, as a stable code (for the audit row and metrics) and in plain words (for admins).
import { PermanentDeliveryError } from '../core/errors.js';
import { InvalidAttachmentError } from './attachments.js';

export const DELIVERY_FAILED_ACTION = 'delivery.failed';
export const DELIVERY_RETRIED_ACTION = 'delivery.retried';

export const failureReasons = {
  channel_not_found: 'the channel no longer exists, or the bot is not in it',
  user_not_found: 'the person is no longer in the workspace',
  access_revoked: "the bot's access to the workspace was revoked (the app needs installing again)",
  app_removed: 'the person removed the app, or it was blocked in Teams',
  conversation_not_found: 'the chat or channel no longer exists',
  reply_expired: 'it answered a command, and came too late to be shown',
  retries_exhausted: 'the platform kept failing or did not answer, so the bot gave up',
  private_audience: 'it was private, and the place it was going is not private to the people it was for',
  invalid_attachment: 'a file in it was not what it claimed to be',
  platform_off: 'that platform is switched off on this server',
  original_not_delivered: 'the message it was to update was never delivered',
  refused: 'the platform refused it',
} as const;

export type FailureReason = keyof typeof failureReasons;

const byPlatformCode: Record<string, FailureReason> = {
  channel_not_found: 'channel_not_found',
  is_archived: 'channel_not_found',
  not_in_channel: 'channel_not_found',
  user_not_found: 'user_not_found',
  user_not_in_channel: 'user_not_found',
  invalid_auth: 'access_revoked',
  token_revoked: 'access_revoked',
  account_inactive: 'access_revoked',
  not_authed: 'access_revoked',
  team_access_not_granted: 'access_revoked',
  'teams:403': 'app_removed',
  'teams:404': 'conversation_not_found',
  expired_url: 'reply_expired',
  used_url: 'reply_expired',
};

/** The reason for an error that no retry will fix. */
export function permanentReasonOf(error: PermanentDeliveryError | InvalidAttachmentError): FailureReason {
  if (error instanceof InvalidAttachmentError) return 'invalid_attachment';
  return (error.platformCode && byPlatformCode[error.platformCode]) || 'refused';
}

export function describeFailure(reason: string | undefined): string {
  return failureReasons[(reason ?? 'refused') as FailureReason] ?? failureReasons.refused;
}
