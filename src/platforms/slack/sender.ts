import { WebClient, ErrorCode, type WebAPICallResult } from '@slack/web-api';
import { PermanentDeliveryError, RateLimitedError } from '../../core/errors.js';
import { attachmentsOf } from '../../messaging/attachments.js';
import { PartiallySentError, type OutboundEnvelope, type OutboundTarget, type PlatformSender, type SendResult } from '../../messaging/outbound.js';
import { SlackFileUploader, type UploadDestination } from './file-upload.js';
import { checkedResponseUrl, responseUrlHosts } from './response-url.js';
import { renderSlackMessage, type SlackAttachmentPlacement } from './render-message.js';

/** Slack's ok:false codes that no retry will fix. */
const permanentSlackErrors = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked', 'no_permission',
  'missing_scope', 'user_not_found', 'cant_update_message', 'message_not_found', 'invalid_blocks', 'msg_too_long', 'team_access_not_granted',
  'restricted_action', 'not_authed', 'user_not_in_channel', 'expired_url', 'used_url', 'invalid_arguments',
]);

/** Every call to Slack gives up after this long; the delivery worker retries. */
const SLACK_CALL_TIMEOUT_MS = 10_000;
const UPLOAD_TIMEOUT_MS = 30_000;

type SlackTarget = Extract<OutboundTarget, { platform: 'slack' }>;

export interface SlackSenderOptions {
  botToken: string;
  /** Base URL of the Web API (tests and proxies); default Slack's own. */
  apiUrl?: string;
  /** Default SLACK_CALL_TIMEOUT_MS. */
  callTimeoutMs?: number;
}

/**
 * Sends outbox envelopes through the Slack Web API. The client's own retries are off: our delivery worker owns
 * retries and 429 handling, per workspace.
 */
export class SlackSender implements PlatformSender {
  private readonly client: WebClient;
  private readonly allowedResponseHosts: ReadonlySet<string>;
  private readonly uploader: SlackFileUploader;
  private readonly callTimeoutMs: number;

  constructor(options: SlackSenderOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? SLACK_CALL_TIMEOUT_MS;
    this.client = new WebClient(options.botToken, {
      slackApiUrl: options.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.callTimeoutMs,
    });
    this.allowedResponseHosts = responseUrlHosts(options.apiUrl);
    const uploadHosts = new Set(['files.slack.com']);
    if (options.apiUrl) uploadHosts.add(new URL(options.apiUrl).host);
    this.uploader = new SlackFileUploader(this.client, { uploadHosts, timeoutMs: UPLOAD_TIMEOUT_MS });
  }

  /**
   * Posts the card, then uploads its images and files into the same conversation (for an ephemeral or a
   * response_url reply, into the person's DM). Updates never re-upload: the files went with the original.
   */
  async send(envelope: OutboundEnvelope): Promise<SendResult> {
    const target = envelope.target;
    if (target.platform !== 'slack') throw new PermanentDeliveryError(`not a Slack target: ${target.platform}`);
    const attachments = envelope.operation === 'post' ? attachmentsOf(envelope.message) : [];
    const placement = placementFor(target);
    const posted = envelope.alreadyPosted ?? (await this.post(envelope, target, placement));
    if (attachments.length === 0 || placement === 'not-attached') return posted;
    try {
      await this.uploader.upload(attachments, await this.destinationFor(target, posted));
      return posted;
    } catch (error) {
      throw new PartiallySentError(posted, translateSlackError(error));
    }
  }

  private async post(envelope: OutboundEnvelope, target: SlackTarget, placement: SlackAttachmentPlacement): Promise<SendResult> {
    const { text, blocks } = renderSlackMessage(envelope.message, { attachments: placement });
    try {
      if (target.kind === 'response_url') {
        await this.postToResponseUrl(target.url, { text, blocks, response_type: 'ephemeral', replace_original: target.replaceOriginal ?? false });
        return {};
      }
      if (envelope.operation === 'update') {
        if (!envelope.original?.channelId) throw new PermanentDeliveryError('update without the original channel');
        const result = await this.client.chat.update({ channel: envelope.original.channelId, ts: envelope.original.messageId, text, blocks });
        return { messageId: String(result.ts ?? envelope.original.messageId), channelId: String(result.channel ?? envelope.original.channelId) };
      }
      if (target.kind === 'ephemeral') {
        const result = await this.client.chat.postEphemeral({ channel: target.channel, user: target.user, text, blocks });
        return { messageId: String(result.message_ts ?? ''), channelId: target.channel };
      }
      const result: WebAPICallResult & { ts?: string; channel?: string } = await this.client.chat.postMessage({
        channel: target.channel,
        thread_ts: target.threadTs,
        text,
        blocks,
      });
      return { messageId: result.ts, channelId: result.channel };
    } catch (error) {
      throw translateSlackError(error);
    }
  }

  private async destinationFor(target: SlackTarget, posted: SendResult): Promise<UploadDestination> {
    if (target.kind === 'channel' && posted.channelId) return { channelId: posted.channelId, threadTs: target.threadTs };
    const user = target.kind === 'channel' ? target.channel : target.user;
    if (!user) throw new PermanentDeliveryError('no conversation to upload the files into');
    const opened = await this.client.conversations.open({ users: user });
    if (!opened.channel?.id) throw new Error('Slack opened no DM for the files');
    return { channelId: opened.channel.id };
  }

  private async postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
    const parsed = checkedResponseUrl(url, this.allowedResponseHosts);
    const response = await fetch(parsed, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.callTimeoutMs),
    });
    if (response.status === 429) {
      throw new RateLimitedError(retryAfterMs(response.headers.get('retry-after')), 'slack:response_url');
    }
    if (response.status === 404 || response.status === 410) throw new PermanentDeliveryError(`response_url expired (${response.status})`, 'expired_url');
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  }
}

/** Files cannot be ephemeral: a reply shown to one person gets its files in that person's DM, when we know who. */
function placementFor(target: SlackTarget): SlackAttachmentPlacement {
  if (target.kind === 'channel') return 'below';
  if (target.kind === 'ephemeral') return 'direct-message';
  return target.user ? 'direct-message' : 'not-attached';
}

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

export function translateSlackError(error: unknown): unknown {
  if (error instanceof PermanentDeliveryError || error instanceof RateLimitedError) return error;
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e.code === ErrorCode.RateLimitedError) return new RateLimitedError((e.retryAfter ?? 1) * 1000, 'slack');
  if (e.code === ErrorCode.PlatformError && e.data?.error) {
    if (e.data.error === 'ratelimited') return new RateLimitedError(1000, 'slack');
    if (permanentSlackErrors.has(e.data.error)) return new PermanentDeliveryError(`Slack refused: ${e.data.error}`, e.data.error);
    return new Error(`Slack error: ${e.data.error}`);
  }
  return error;
}
