import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { createLogger, type Logger } from '../core/logger.js';

/** The bot's structured logs, written to a file so the demo's console stays readable. */
export function createFileLogger(file: string, level: string): { logger: Logger; close(): void } {
  mkdirSync(path.dirname(file), { recursive: true });
  const destination = pino.destination({ dest: file, append: true, sync: true });
  return { logger: createLogger(level, destination, { mode: 'demo' }), close: () => destination.end() };
}
