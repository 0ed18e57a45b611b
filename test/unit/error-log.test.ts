import { describe, expect, it } from 'vitest';
import { errorLogFields, isUserMistake } from '../../src/core/error-log.js';
import { BotError, forbidden, invalidInput, PermanentDeliveryError } from '../../src/core/errors.js';

const typed = 'Secret title Ayesha K';

describe('what a log line says about a failure', () => {
  it('a user mistake is known by its code alone; what they typed is left out', () => {
    for (const error of [invalidInput(`There is no plan "${typed}".`), forbidden(`You cannot cancel "${typed}".`), new BotError('not_found', `cycle ${typed} not found`)]) {
      expect(isUserMistake(error)).toBe(true);
      expect(errorLogFields(error)).toEqual({ code: error.code });
    }
  });

  it('a platform failure keeps our own message (built from the platform status and code)', () => {
    const error = new PermanentDeliveryError('Slack refused: channel_not_found', 'channel_not_found');
    expect(isUserMistake(error)).toBe(false);
    expect(errorLogFields(error)).toEqual({ code: 'platform_rejected', err: 'Slack refused: channel_not_found' });
  });

  it('any other error gives its type, code and where it was thrown, never its message (libraries quote values in them)', () => {
    const fromJson = (() => {
      try {
        JSON.parse(`{"title": ${typed}}`);
      } catch (error) {
        return error;
      }
    })();
    const fromDb = Object.assign(new Error(`Invalid \`prisma.cycle.create()\` invocation: title: "${typed}"`), { name: 'PrismaClientValidationError', code: 'P2009' });
    for (const error of [fromJson, fromDb]) {
      const fields = errorLogFields(error);
      expect(JSON.stringify(fields)).not.toContain('Ayesha');
      expect(fields.errorType).toBe((error as Error).name);
      expect(fields.at?.[0]).toMatch(/^at /);
    }
    expect(errorLogFields(fromDb).errorCode).toBe('P2009');
  });
});
