// Images and files on a Teams card: a small PNG inline as a data URI; anything else as a short-lived download link.
import { DateTime } from 'luxon';
import { DEFAULT_ZONE } from '../../core/calendar.js';
import { describeSize, type Attachment } from '../../messaging/attachments.js';
import { toPlainText } from '../../messaging/markdown.js';
import { teamsMarkdown } from './teams-text.js';

/** Signs download links for a message's attachments; the bot serves them for a few minutes (src/http/file-links.ts). */
export interface CardAttachmentLinks {
  linkFor(sectionIndex: number): { url: string; expiresAt: Date };
}

/**
 * Teams shows an inline picture under 1 MB; base64 images do not count toward the ~100 KB message limit. Pictures on
 * one card share this budget (in bytes) to stay on the safe side; a bigger picture becomes a link, like a file.
 */
export const TEAMS_INLINE_IMAGE_BUDGET = 1_000_000;

export interface AttachmentView {
  text: string;
  imageUrl: string;
  alt: string;
  actions: Record<string, unknown>[];
}

export function attachmentView(attachment: Attachment, links: CardAttachmentLinks | undefined, budget: { remaining: number }): AttachmentView {
  const title = teamsMarkdown(attachment.title);
  if (attachment.kind === 'image') {
    if (attachment.bytes.length < budget.remaining) {
      budget.remaining -= attachment.bytes.length;
      const dataUri = `data:image/png;base64,${attachment.bytes.toString('base64')}`;
      return { text: attachment.title.trim() && attachment.title !== attachment.alt ? `**${title}**` : '', imageUrl: dataUri, alt: toPlainText(attachment.alt ?? attachment.title), actions: [] };
    }
  }
  const icon = attachment.kind === 'image' ? '🖼️' : '📎';
  const about = `${icon} **${title}** (${attachment.name}, ${describeSize(attachment.bytes.length)})`;
  if (!links) return { text: `${about}: downloads are not available from this server.`, imageUrl: '', alt: '', actions: [] };
  const { url, expiresAt } = links.linkFor(attachment.sectionIndex);
  const until = DateTime.fromJSDate(expiresAt, { zone: DEFAULT_ZONE }).toFormat('HH:mm');
  const label = attachment.kind === 'image' ? 'View image' : `Download ${attachment.name}`;
  return { text: `${about} · the link works until ${until}`, imageUrl: '', alt: '', actions: [{ type: 'Action.OpenUrl', title: label, url }] };
}
