import { expect } from 'vitest';
import { ConfigurationError, loadConfig } from '../../src/config.js';

export const minimalDatabase = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/partnership_bot' };

/** The problems loadConfig reports for an environment, one string per problem; fails if it accepts it. */
export function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems } = error as ConfigurationError;
    // What the operator sees: one line per problem, each also a line of the message.
    for (const problem of problems) {
      expect(problem).not.toContain('\n');
      expect((error as Error).message).toContain(problem);
    }
    return problems;
  }
  throw new Error(`expected a configuration error for ${JSON.stringify(env)}`);
}
