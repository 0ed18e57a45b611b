import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { minimalDatabase, problemsFor } from '../support/config-problems.js';

const database = minimalDatabase;

describe('loadConfig', () => {
  it('explains in one line that DATABASE_URL is missing and what it should look like', () => {
    const problems = problemsFor({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DATABASE_URL: .*required.*postgresql:\/\//);
  });

  it('accepts the bare minimum and fills in defaults', () => {
    const config = loadConfig({ ...database });
    expect(config.databaseUrl).toBe(database.DATABASE_URL);
    expect(config.port).toBe(3978);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.logLevel).toBe('info');
  });

  it('runs as the app database role by default, as another named role, or as the login user with DATABASE_ROLE=none', () => {
    expect(loadConfig({ ...database }).databaseRole).toBe('partnership_bot_app');
    expect(loadConfig({ ...database, DATABASE_ROLE: '' }).databaseRole).toBe('partnership_bot_app');
    expect(loadConfig({ ...database, DATABASE_ROLE: 'bot_app' }).databaseRole).toBe('bot_app');
    expect(loadConfig({ ...database, DATABASE_ROLE: 'none' }).databaseRole).toBeUndefined();
    expect(problemsFor({ ...database, DATABASE_ROLE: 'app; DROP TABLE x' })[0]).toMatch(/^DATABASE_ROLE: .*role name/);
  });

  it('names the missing Slack variable when only one of the pair is set', () => {
    const withoutToken = problemsFor({ ...database, SLACK_SIGNING_SECRET: 'shh' });
    expect(withoutToken).toHaveLength(1);
    expect(withoutToken[0]).toMatch(/^SLACK_BOT_TOKEN: /);

    const withoutSecret = problemsFor({ ...database, SLACK_BOT_TOKEN: 'xoxb-123-456' });
    expect(withoutSecret).toHaveLength(1);
    expect(withoutSecret[0]).toMatch(/^SLACK_SIGNING_SECRET: /);
  });

  it('turns Slack off, with a note saying how to turn it on, when neither Slack variable is set', () => {
    const config = loadConfig({ ...database });
    expect(config.slack).toBeUndefined();
    expect(config.notes.some((note) => note.includes('Slack is off') && note.includes('SLACK_SIGNING_SECRET') && note.includes('SLACK_BOT_TOKEN'))).toBe(true);
  });

  it('turns Slack on with both variables, passing the API base URL through', () => {
    const config = loadConfig({ ...database, SLACK_SIGNING_SECRET: 'shh', SLACK_BOT_TOKEN: 'xoxb-123-456', SLACK_API_URL: 'http://127.0.0.1:9999/api/' });
    expect(config.slack).toEqual({ signingSecret: 'shh', botToken: 'xoxb-123-456', apiUrl: 'http://127.0.0.1:9999/api/' });
    expect(config.notes.some((note) => note.includes('Slack'))).toBe(false);
  });

  it('reports a missing password when MICROSOFT_APP_ID is set without one', () => {
    const problems = problemsFor({ ...database, MICROSOFT_APP_ID: '3f1c2a7e-0000-4000-8000-000000000001' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^MICROSOFT_APP_PASSWORD: .*MICROSOFT_APP_ID/);
  });

  it('serves Teams authenticated when the app id and password are set', () => {
    const config = loadConfig({ ...database, MICROSOFT_APP_ID: 'app-id', MICROSOFT_APP_PASSWORD: 'secret' });
    expect(config.teams).toMatchObject({ appId: 'app-id', appPassword: 'secret', unauthenticated: false });
  });

  it('serves Teams unauthenticated only when asked to explicitly and no app id is set', () => {
    expect(loadConfig({ ...database, TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).teams?.unauthenticated).toBe(true);
    // An app id always wins: the flag never weakens a real registration.
    const registered = loadConfig({ ...database, MICROSOFT_APP_ID: 'app-id', MICROSOFT_APP_PASSWORD: 'secret', TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    expect(registered.teams?.unauthenticated).toBe(false);
  });

  it('turns Teams off (secure by default) with no app id and no flag, and says so', () => {
    for (const flag of [undefined, 'false', '']) {
      const config = loadConfig({ ...database, ...(flag === undefined ? {} : { TEAMS_ALLOW_UNAUTHENTICATED: flag }) });
      expect(config.teams).toBeUndefined();
      expect(config.notes.some((note) => note.includes('Teams is off') && note.includes('MICROSOFT_APP_ID'))).toBe(true);
    }
  });

  it('reports every problem at once, one line each, including those that span two variables', () => {
    const problems = problemsFor({
      DATABASE_URL: 'mysql://localhost/bot',
      REDIS_URL: 'http://127.0.0.1:6379',
      PORT: 'eighty',
      SLACK_SIGNING_SECRET: 'shh',
      MICROSOFT_APP_ID: 'app-id',
    });
    const variables = problems.map((p) => p.split(':')[0]).sort();
    expect(variables).toEqual(['DATABASE_URL', 'MICROSOFT_APP_PASSWORD', 'PORT', 'REDIS_URL', 'SLACK_BOT_TOKEN']);
  });

  it('reports the Slack pairing problem even when DATABASE_URL is also missing', () => {
    const problems = problemsFor({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'SLACK_SIGNING_SECRET']);
  });

  it.each([['eighty'], ['70000'], ['-1'], ['80.5']])('rejects PORT=%s with a clear message', (port) => {
    const problems = problemsFor({ ...database, PORT: port });
    expect(problems).toEqual(['PORT: PORT must be a whole number from 0 to 65535']);
  });

  it('reads PORT as a number, and an empty PORT as the default rather than port 0', () => {
    expect(loadConfig({ ...database, PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ ...database, PORT: '' }).port).toBe(3978);
  });

  it('rejects a REDIS_URL that is not redis:// or rediss://', () => {
    expect(problemsFor({ ...database, REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([
      'REDIS_URL: REDIS_URL must start with redis:// or rediss://',
    ]);
    expect(loadConfig({ ...database, REDIS_URL: 'rediss://cache.example.org:6380' }).redisUrl).toBe('rediss://cache.example.org:6380');
  });

  it('rejects a Slack token that is not a bot token', () => {
    const problems = problemsFor({ ...database, SLACK_SIGNING_SECRET: 'shh', SLACK_BOT_TOKEN: 'xoxp-user-token' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SLACK_BOT_TOKEN: .*xoxb-/);
  });
});
