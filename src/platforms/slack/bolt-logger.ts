import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/**
 * Bolt's and its Web API client's lines, without any payload they carry: at debug level they dump request and
 * response bodies ("http request body: {...}"), which hold what people typed and what the bot showed them.
 */
export function withoutPayload(msg: unknown[]): string {
  const text = msg.map(describe).join(' ');
  const start = text.search(/[{[]/);
  return start === -1 ? text : `${text.slice(0, start)}{…}`;
}

function describe(part: unknown): string {
  if (part instanceof Error) {
    const code = (part as { code?: unknown }).code;
    return typeof code === 'string' ? `${part.name} (${code})` : part.name;
  }
  return typeof part === 'object' && part !== null ? '{…}' : String(part);
}

/** Routes Bolt's own logging into our structured logger. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => child.debug(withoutPayload(msg)),
    info: (...msg: unknown[]) => child.info(withoutPayload(msg)),
    warn: (...msg: unknown[]) => child.warn(withoutPayload(msg)),
    error: (...msg: unknown[]) => child.error(withoutPayload(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
