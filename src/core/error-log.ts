import { BotError, type ErrorCode } from './errors.js';

/** Refusals and bad input: the person is answered in chat; nothing is wrong with the bot. */
const userMistakeCodes: ReadonlySet<ErrorCode> = new Set(['invalid_input', 'forbidden', 'not_found', 'unknown_member']);

export function isUserMistake(error: unknown): error is BotError {
  return error instanceof BotError && userMistakeCodes.has(error.code);
}

/**
 * What a log line may say about a failure. Never an error's message where it could quote what someone typed: our
 * own user-facing errors often do ("There is no plan \"…\""), and so do other libraries' (Prisma's validation errors
 * print the query's values, JSON.parse quotes the text). So: our code; for platform failures our own message (built
 * from the platform's status and error code); for anything else its type, its code and where it was thrown.
 */
export function errorLogFields(error: unknown): Record<string, string | string[]> {
  if (error instanceof BotError) return userMistakeCodes.has(error.code) ? { code: error.code } : { code: error.code, err: error.message };
  if (!(error instanceof Error)) return { errorType: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    errorType: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: String(code) } : {}),
    // The stack's first line is the message; the frames after it name only files and functions.
    at: (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 5).map((line) => line.trim()),
  };
}
