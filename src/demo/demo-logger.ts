import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';

/**
 * The bot's structured logs, written to a file so the demo's console stays readable. Same shape and redaction as
 * src/core/logger.ts (keep the two in step), only the destination differs.
 */
export function createFileLogger(file: string, level: string): { logger: Logger; close(): void } {
  mkdirSync(path.dirname(file), { recursive: true });
  const destination = pino.destination({ dest: file, append: true, sync: true });
  const logger = pino(
    {
      level,
      base: { service: 'partnership-bot', mode: 'demo' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-slack-signature"]', 'text', 'body', 'values', 'note', 'reason', '*.text', '*.values'],
        censor: '[redacted]',
      },
    },
    destination,
  );
  return { logger, close: () => destination.end() };
}
