// Slack's external upload (files.upload is retired): ask for an upload URL per file, POST the bytes there, then
// share every file into the conversation with one files.completeUploadExternal call.
import type { WebClient } from '@slack/web-api';
import { PermanentDeliveryError, RateLimitedError } from '../../core/errors.js';
import type { Attachment } from '../../messaging/attachments.js';

export interface UploadDestination {
  /** A conversation id (C…, G…, D…): completeUploadExternal does not take user ids. */
  channelId: string;
  threadTs?: string;
}

export interface SlackFileUploaderOptions {
  /** Hosts the bytes may be sent to: Slack's file host, plus the fake's host in tests. */
  uploadHosts: ReadonlySet<string>;
  timeoutMs: number;
}

export class SlackFileUploader {
  constructor(
    private readonly client: WebClient,
    private readonly options: SlackFileUploaderOptions,
  ) {}

  /** Uploads and shares the attachments, in order. Throws Slack's errors as the WebClient raised them. */
  async upload(attachments: readonly Attachment[], destination: UploadDestination): Promise<string[]> {
    const files: { id: string; title: string }[] = [];
    for (const attachment of attachments) {
      const granted = await this.client.files.getUploadURLExternal({
        filename: attachment.name,
        length: attachment.bytes.length,
        ...(attachment.alt ? { alt_text: attachment.alt } : {}),
      });
      if (!granted.upload_url || !granted.file_id) throw new Error('Slack gave no upload URL');
      await this.sendBytes(granted.upload_url, attachment);
      files.push({ id: granted.file_id, title: attachment.title });
    }
    const [first, ...rest] = files;
    if (!first) return [];
    await this.client.files.completeUploadExternal({
      files: [first, ...rest],
      channel_id: destination.channelId,
      ...(destination.threadTs ? { thread_ts: destination.threadTs } : {}),
    } as Parameters<WebClient['files']['completeUploadExternal']>[0]);
    return files.map((f) => f.id);
  }

  private async sendBytes(uploadUrl: string, attachment: Attachment): Promise<void> {
    const url = new URL(uploadUrl);
    if (!this.options.uploadHosts.has(url.host)) throw new PermanentDeliveryError(`upload host not allowed: ${url.host}`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(attachment.bytes),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      throw new RateLimitedError(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, 'slack:upload');
    }
    if (response.status === 413) throw new PermanentDeliveryError('Slack refused the file as too large (413)');
    if (response.status !== 200) throw new Error(`Slack's upload URL answered ${response.status}`);
  }
}
