// Forged Bot Framework tokens that carry the key id of a real Bot Framework signing key must be refused with 401 and
// a generic body, never a 500 that echoes the token library's error text. Microsoft's OpenID metadata is played by
// nock (the bot fetches it from login.botframework.com); everything else is the real bot.
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHarness } from '../support/bot-harness.js';
import { teamsMessage } from '../support/teams-activities.js';

const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
const KNOWN_KID = 'bot-framework-key-1';
const appId = randomUUID();
const appPassword = 'the-app-password';
const microsoftKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function claimsFor(bot: BotHarness): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: bot.connector.serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 600 };
}

function unsignedParts(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ typ: 'JWT', ...header }))}.${base64url(JSON.stringify(claims))}`;
}

function rs256Token(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const body = unsignedParts({ alg: 'RS256', kid }, claims);
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}

function hs256Token(secret: string, kid: string, claims: Record<string, unknown>): string {
  const body = unsignedParts({ alg: 'HS256', kid }, claims);
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function unsignedToken(kid: string, claims: Record<string, unknown>): string {
  return `${unsignedParts({ alg: 'none', kid }, claims)}.`;
}

let conversationCounter = 0;

async function postWithToken(bot: BotHarness, token: string): Promise<{ status: number; body: string; conversationId: string }> {
  conversationCounter += 1;
  const conversationId = `a:1forged-${randomUUID().slice(0, 8)}-${conversationCounter}`;
  const activity = teamsMessage({ serviceUrl: bot.connector.serviceUrl, conversationId, text: 'help' });
  const answer = await postJson(`${bot.url}/api/messages`, activity, { authorization: `Bearer ${token}` });
  return { ...answer, conversationId };
}

/** node:http rather than fetch: nock's fetch interception refuses requests with a body on this Node version. */
function postJson(url: string, body: object, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

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
    const jwk = microsoftKey.publicKey.export({ format: 'jwk' });
    nock('https://login.botframework.com')
      .persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: 'https://login.botframework.com/v1/.well-known/keys' })
      .get('/v1/.well-known/keys')
      .reply(200, { keys: [{ kty: 'RSA', use: 'sig', kid: KNOWN_KID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
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
