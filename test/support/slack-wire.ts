// Slack's wire format, for FakeSlackApi: reading and decoding request bodies, DM channel ids, message keys.
import type { IncomingMessage } from 'node:http';

/** Fields @slack/web-api JSON-encodes inside form bodies; decoded back to objects on receipt. */
const JSON_ENCODED_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks', 'files']);

export function hasContent(body: Record<string, unknown>): boolean {
  return (typeof body.text === 'string' && body.text !== '') || Array.isArray(body.blocks) || Array.isArray(body.attachments);
}

export function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

/** A stable DM channel id for a set of users (same users, same channel). */
export function dmChannelId(users: string[]): string {
  const key = [...users].sort().join(',');
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `D${hash.toString(36).toUpperCase().padStart(8, '0')}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Decodes a Slack request body: JSON, or form-encoded with JSON-encoded nested fields. */
export function decodeBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : { value: parsed };
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = JSON_ENCODED_FIELDS.has(key) ? parseJsonOr(value) : value;
  }
  return body;
}

export function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
