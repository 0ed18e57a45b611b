import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths never written to the log: free text typed by users and request secrets (a second line of defence). */
const redactedPaths = ['req.headers.authorization', 'req.headers["x-slack-signature"]', 'text', 'body', 'values', 'note', 'reason', '*.text', '*.values'];

/**
 * Structured JSON logs. Free text typed by users must never be logged: callers log ids, kinds and counts only.
 * Logs go to stdout unless a destination is given (the demo writes to a file to keep its console readable).
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream, base: Record<string, string> = {}): Logger {
  const options = { level, base: { service: 'partnership-bot', ...base }, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
