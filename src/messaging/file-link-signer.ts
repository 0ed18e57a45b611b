import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';

/** How long a download link works. Long enough to click, short enough that a forwarded link is soon dead. */
export const FILE_LINK_TTL_MINUTES = 15;

/** Where the bot serves the files its links point at. */
export const FILE_LINKS_PATH = '/files';

export type FileLinkCheck = 'valid' | 'expired' | 'forged';

export interface FileLinkSignerOptions {
  secret: string;
  /** Where people reach the bot, e.g. https://bot.example.org. */
  publicUrl: string;
  clock: Clock;
}

/**
 * Short-lived signed links to an outbox message's attachments: /files/<outboxId>/<sectionIndex>?exp=<epoch>&sig=<hmac>,
 * sig = HMAC-SHA256(secret, "outboxId|sectionIndex|exp"). Nothing is stored: the signature is the permission, and
 * the bytes stay in the outbox row. There is never a permanent public URL.
 */
export class FileLinkSigner {
  constructor(private readonly options: FileLinkSignerOptions) {}

  /** Links for one outbox message, all expiring FILE_LINK_TTL_MINUTES from now. */
  linksFor(outboxId: string): { linkFor(sectionIndex: number): { url: string; expiresAt: Date } } {
    const expiresAt = this.options.clock.now().plus({ minutes: FILE_LINK_TTL_MINUTES }).startOf('second');
    const exp = Math.floor(expiresAt.toSeconds());
    const base = this.options.publicUrl.replace(/\/+$/, '');
    return {
      linkFor: (sectionIndex) => ({
        url: `${base}${FILE_LINKS_PATH}/${encodeURIComponent(outboxId)}/${sectionIndex}?exp=${exp}&sig=${this.sign(outboxId, sectionIndex, exp)}`,
        expiresAt: expiresAt.toJSDate(),
      }),
    };
  }

  /** A bad signature is `forged` whatever the expiry says; a good one past its expiry is `expired`. */
  check(outboxId: string, sectionIndex: number, exp: number, sig: string): FileLinkCheck {
    const expected = Buffer.from(this.sign(outboxId, sectionIndex, exp));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return this.options.clock.now().toSeconds() > exp ? 'expired' : 'valid';
  }

  private sign(outboxId: string, sectionIndex: number, exp: number): string {
    return createHmac('sha256', this.options.secret).update(`${outboxId}|${sectionIndex}|${exp}`).digest('base64url');
  }
}
