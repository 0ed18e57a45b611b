// Teams token validation against a local OpenID metadata endpoint (TEAMS_OPENID_METADATA_URL, as a sovereign cloud
// would configure it, with TEAMS_TOKEN_ISSUER): a token signed by the key it publishes is accepted and handled;
// unsigned, expired, not yet valid, wrong audience, wrong issuer, wrong key and missing tokens get 401 and change nothing.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';
import { BOT_FRAMEWORK_ISSUER, channelClaims, jwkFor, postWithToken, rs256Token, unsignedToken } from '../support/bot-framework-tokens.js';

const KID = 'local-signing-key';
const appId = randomUUID();
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

let metadata: Server;
let issuer: string;
let metadataRequests = 0;
let bot: BotHarness;

beforeAll(async () => {
  metadata = createServer((req, res) => {
    metadataRequests += 1;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [jwkFor(signingKey.publicKey, KID)] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
  bot = await startBot({
    teams: { appId, appPassword: 'the-app-password' },
    env: { TEAMS_OPENID_METADATA_URL: `${issuer}/.well-known/openid-configuration`, TEAMS_TOKEN_ISSUER: issuer },
  });
});
afterAll(async () => {
  await bot?.stop();
  await new Promise((resolve) => metadata?.close(resolve));
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({ ...channelClaims(bot, appId), iss: issuer, ...overrides });

async function stored(conversationId: string) {
  return {
    conversation: await bot.db.conversationRef.count({ where: { conversationId } }),
    receipts: await bot.db.inboundReceipt.count(),
    outbox: await bot.db.outboxMessage.count(),
  };
}

describe('Teams tokens checked against a local OpenID metadata endpoint', () => {
  it('accepts a token signed by the published key and handles the message', async () => {
    const before = await stored('none');
    const answer = await postWithToken(bot, rs256Token(signingKey.privateKey, KID, claims()));
    expect(answer.status).toBe(200);
    expect(metadataRequests).toBeGreaterThan(0);
    await eventually(async () => (await stored(answer.conversationId)).conversation === 1, 10_000, 'the conversation to be stored');
    expect((await stored(answer.conversationId)).outbox).toBeGreaterThan(before.outbox);
  });

  const refused: [string, () => string | undefined][] = [
    ['an unsigned token (alg none)', () => unsignedToken(KID, claims())],
    ['an expired token (beyond the five minutes of clock skew allowed)', () => rs256Token(signingKey.privateKey, KID, claims({ iat: nowSeconds() - 3600, nbf: nowSeconds() - 3600, exp: nowSeconds() - 10 * 60 }))],
    ['a token not valid for another ten minutes', () => rs256Token(signingKey.privateKey, KID, claims({ iat: nowSeconds(), nbf: nowSeconds() + 10 * 60, exp: nowSeconds() + 20 * 60 }))],
    ['a token for another bot (wrong audience)', () => rs256Token(signingKey.privateKey, KID, claims({ aud: randomUUID() }))],
    ['a token from another issuer', () => rs256Token(signingKey.privateKey, KID, claims({ iss: 'https://issuer.example.org' }))],
    ['a token with the public cloud issuer the bot was configured away from', () => rs256Token(signingKey.privateKey, KID, claims({ iss: BOT_FRAMEWORK_ISSUER }))],
    ['a token signed by a key the endpoint does not publish', () => rs256Token(foreignKey.privateKey, KID, claims())],
    ['no Authorization header', () => undefined],
  ];

  for (const [what, token] of refused) {
    it(`refuses ${what} with 401 and stores nothing`, async () => {
      const before = await stored('none');
      const connectorCalls = bot.connector.requests.length;
      const answer = await postWithToken(bot, token());
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({ error: 'unauthorized' });
      expect(await stored(answer.conversationId)).toEqual({ ...before, conversation: 0 });
      expect(bot.connector.requests).toHaveLength(connectorCalls);
    });
  }
});
