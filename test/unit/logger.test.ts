import { describe, expect, it } from 'vitest';
import { captureLog } from '../support/log-capture.js';

const capture = () => captureLog();

describe('logs', () => {
  it('never hold free text from forms or messages, even when a caller passes it by mistake', () => {
    const { lines, logger } = capture();
    logger.info({ text: 'Child A, DOB 01/02/2015', values: { reason: 'family at 3 High St' }, note: 'private', reason: 'private', stageId: 's-1' }, 'stage updated');
    logger.info({ payload: { text: 'nested free text' } }, 'nested');
    const out = lines.join('');
    expect(out).not.toContain('Child A');
    expect(out).not.toContain('High St');
    expect(out).not.toContain('private');
    expect(out).not.toContain('nested free text');
    expect(out).toContain('"stageId":"s-1"');
    expect(out).toContain('[redacted]');
  });

  it('are JSON lines with the service name', () => {
    const { lines, logger } = capture();
    logger.warn({ outboxId: 'o-1' }, 'delivery attempt failed');
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 40, service: 'partnership-bot', outboxId: 'o-1', msg: 'delivery attempt failed' });
  });
});
