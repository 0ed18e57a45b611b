// The images and files carried by a message, decoded once, for the platform senders and the download route.
import type { AttachmentMimeType, Message } from './message.js';

/** Attachments live in the outbox row until delivered; anything bigger belongs in a document store, not a chat. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface Attachment {
  /** Position of the section in `message.sections`: stable, so it names the attachment in download links. */
  sectionIndex: number;
  kind: 'image' | 'file';
  /** A safe file name (letters, digits, spaces, `._-`), with the right extension. */
  name: string;
  mimeType: AttachmentMimeType;
  title: string;
  /** Images only: the text a screen reader reads. */
  alt?: string;
  bytes: Buffer;
}

export class InvalidAttachmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAttachmentError';
  }
}

/** Every image and file section of a message, in order. Throws InvalidAttachmentError for bad data. */
export function attachmentsOf(message: Message): Attachment[] {
  const found: Attachment[] = [];
  message.sections.forEach((section, sectionIndex) => {
    if (section.kind === 'image') {
      const title = section.title?.trim() || section.alt.trim() || 'Image';
      found.push({ sectionIndex, kind: 'image', name: safeFileName(title, '.png'), mimeType: 'image/png', title, alt: section.alt, bytes: decode(section.png, 'image/png', sectionIndex) });
    } else if (section.kind === 'file') {
      const extension = section.mimeType === 'text/csv' ? '.csv' : '.png';
      const name = safeFileName(section.name, extension);
      found.push({ sectionIndex, kind: 'file', name, mimeType: section.mimeType, title: section.title?.trim() || name, bytes: decode(section.data, section.mimeType, sectionIndex) });
    }
  });
  return found;
}

export function attachmentAt(message: Message, sectionIndex: number): Attachment | undefined {
  return attachmentsOf(message).find((a) => a.sectionIndex === sectionIndex);
}

/** "12 KB", "1.4 MB": for the line that tells people what they are about to open. */
export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function decode(data: string, mimeType: AttachmentMimeType, sectionIndex: number): Buffer {
  const compact = data.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) throw new InvalidAttachmentError(`section ${sectionIndex}: attachment data is not base64`);
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length === 0) throw new InvalidAttachmentError(`section ${sectionIndex}: attachment is empty`);
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new InvalidAttachmentError(`section ${sectionIndex}: attachment is over ${describeSize(MAX_ATTACHMENT_BYTES)}`);
  if (mimeType === 'image/png' && !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new InvalidAttachmentError(`section ${sectionIndex}: image/png data is not a PNG`);
  }
  return bytes;
}

function safeFileName(name: string, extension: string): string {
  const stem = name
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/^[.\s-]+|[.\s-]+$/g, '')
    .slice(0, 80);
  return `${stem || 'attachment'}${extension}`;
}
