import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Free text typed by users must never be logged: callers log ids, kinds and counts only,
 * and these paths are redacted as a second line of defence.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'partnership-bot' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-slack-signature"]', 'text', 'body', 'values', 'note', 'reason', '*.text', '*.values'],
      censor: '[redacted]',
    },
  });
}
