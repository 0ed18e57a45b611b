// Forged Bot Framework tokens that carry the key id of a real Bot Framework signing key must be refused with 401 and
// a generic body, never a 500 that echoes the token library's error text. Microsoft's OpenID metadata is played by
// nock (the bot fetches it from login.botframework.com); everything else is the real bot.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHarness } from '../support/bot-harness.js';
import { BOT_FRAMEWORK_ISSUER, channelClaims, hs256Token, jwkFor, postWithToken, rs256Token, unsignedToken } from '../support/bot-framework-tokens.js';

const KNOWN_KID = 'bot-framework-key-1';
const appId = randomUUID();
const appPassword = 'the-app-password';
const microsoftKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claimsFor = (bot: BotHarness) => channelClaims(bot, appId);

// Runs first: the library caches the signing keys per process once it has them.
describe('Teams: when the Bot Framework signing keys cannot be fetched', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    nock('https://login.botframework.com').get('/v1/.well-known/openidconfiguration').reply(503, 'unavailable');
    bot = await startBot({ teams: { appId, appPassword } });
  });
  afterAll(async () => {
    await bot?.stop();
    nock.cleanAll();
  });

  it('answers a well-formed token with a generic 500 (our fault, Teams retries), not 401', async () => {
    const answer = await postWithToken(bot, rs256Token(microsoftKey.privateKey, KNOWN_KID, claimsFor(bot)));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: 'internal_error' });
  });
});

describe('Teams: forged tokens with MICROSOFT_APP_ID set', () => {
  let bot: BotHarness;

  beforeAll(async () => {
    nock('https://login.botframework.com')
      .persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: 'https://login.botframework.com/v1/.well-known/keys' })
      .get('/v1/.well-known/keys')
      .reply(200, { keys: [jwkFor(microsoftKey.publicKey, KNOWN_KID)] });
    bot = await startBot({ teams: { appId, appPassword } });
  });
  afterAll(async () => {
    await bot?.stop();
    nock.cleanAll();
    nock.restore();
  });

  it('accepts a token signed by the published Bot Framework key (the forgeries below reach the same check)', async () => {
    const answer = await postWithToken(bot, rs256Token(microsoftKey.privateKey, KNOWN_KID, claimsFor(bot)));
    expect(answer.status).toBe(200);
  });

  const forgeries: [string, (bot: BotHarness) => string][] = [
    ['an unsigned token (alg none) naming the known key', (b) => unsignedToken(KNOWN_KID, claimsFor(b))],
    ['a token signed HS256 with the app password naming the known key', (b) => hs256Token(appPassword, KNOWN_KID, claimsFor(b))],
    ['a token signed by a foreign RS256 key naming the known key', (b) => rs256Token(foreignKey.privateKey, KNOWN_KID, claimsFor(b))],
    ['a token signed by a foreign RS256 key with an unknown key id', (b) => rs256Token(foreignKey.privateKey, 'not-a-bot-framework-key', claimsFor(b))],
  ];

  for (const [what, forge] of forgeries) {
    it(`refuses ${what} with 401, a generic body, and does nothing`, async () => {
      const before = bot.connector.requests.length;
      const answer = await postWithToken(bot, forge(bot));
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({ error: 'unauthorized' });
      expect(await bot.db.conversationRef.count({ where: { conversationId: answer.conversationId } })).toBe(0);
      expect(bot.connector.requests).toHaveLength(before);
    });
  }
});
