// Download links for files sent to Teams: signed, short-lived, and configured from the environment.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { FILE_LINK_TTL_MINUTES, FileLinkSigner } from '../../src/messaging/file-link-signer.js';

const clock = new ManualClock(DateTime.fromISO('2026-03-02T10:00:00Z'));
const signer = new FileLinkSigner({ secret: 's'.repeat(40), publicUrl: 'https://bot.example.org/', clock });
const outboxId = '5b0e7a43-3f43-4d6f-9d0a-8a8a3c9b5e11';

function parts(url: string) {
  const parsed = new URL(url);
  const [, , id, index] = parsed.pathname.split('/');
  return { id: id!, index: Number(index), exp: Number(parsed.searchParams.get('exp')), sig: parsed.searchParams.get('sig')! };
}

describe('FileLinkSigner', () => {
  it(`signs a link to one section of one message that works for ${FILE_LINK_TTL_MINUTES} minutes`, () => {
    const { url, expiresAt } = signer.linksFor(outboxId).linkFor(3);
    expect(url).toMatch(new RegExp(`^https://bot\\.example\\.org/files/${outboxId}/3\\?exp=\\d+&sig=[\\w-]{43}$`));
    expect(expiresAt.toISOString()).toBe('2026-03-02T10:15:00.000Z');
    const { id, index, exp, sig } = parts(url);
    expect(signer.check(id, index, exp, sig)).toBe('valid');
    clock.advance({ minutes: 15 });
    expect(signer.check(id, index, exp, sig)).toBe('valid');
    clock.advance({ seconds: 1 });
    expect(signer.check(id, index, exp, sig)).toBe('expired');
    clock.set(DateTime.fromISO('2026-03-02T10:00:00Z'));
  });

  it('calls a link forged when any part of it changed or another secret signed it, even once expired', () => {
    const { id, index, exp, sig } = parts(signer.linksFor(outboxId).linkFor(3).url);
    expect(signer.check(id, 2, exp, sig)).toBe('forged');
    expect(signer.check(id, index, exp + 60, sig)).toBe('forged');
    expect(signer.check('00000000-0000-0000-0000-000000000000', index, exp, sig)).toBe('forged');
    expect(signer.check(id, index, exp, `${sig}x`)).toBe('forged');
    const other = new FileLinkSigner({ secret: 't'.repeat(40), publicUrl: 'https://bot.example.org', clock });
    expect(other.check(id, index, exp, sig)).toBe('forged');
    clock.advance({ hours: 2 });
    expect(signer.check(id, index, exp, sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toBe('forged');
    clock.set(DateTime.fromISO('2026-03-02T10:00:00Z'));
  });
});

describe('FILE_LINK_SECRET', () => {
  const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' };

  it('is used when set, and must be long enough to be a secret', () => {
    expect(loadConfig({ ...base, FILE_LINK_SECRET: 'k'.repeat(32) }).fileLinkSecret).toBe('k'.repeat(32));
    expect(() => loadConfig({ ...base, FILE_LINK_SECRET: 'short' })).toThrow(ConfigurationError);
  });

  it('falls back to a random secret per process, and says why links may not open across processes', () => {
    const first = loadConfig(base);
    expect(first.fileLinkSecret).not.toBe(loadConfig(base).fileLinkSecret);
    expect(first.fileLinkSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.notes.some((note) => note.includes('FILE_LINK_SECRET'))).toBe(true);
    expect(loadConfig({ ...base, FILE_LINK_SECRET: 'k'.repeat(32) }).notes.some((note) => note.includes('FILE_LINK_SECRET'))).toBe(false);
  });
});
