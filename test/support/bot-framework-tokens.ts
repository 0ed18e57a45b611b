// Bot Framework (Teams) bearer tokens built by hand: RS256-signed with a local key, HS256, or unsigned, with any
// claims, for tests of the bot's token validation; and a POST of an activity bearing one.
import { createHmac, randomUUID, sign, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import type { BotHarness } from './bot-harness.js';
import { teamsMessage } from './teams-activities.js';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Claims a channel token carries: valid for ten more minutes, for `appId`, naming the bot's fake Bot Connector. */
export function channelClaims(bot: BotHarness, appId: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: bot.connector.serviceUrl, nbf: nowSeconds - 60, iat: nowSeconds - 60, exp: nowSeconds + 600 };
}

function unsignedParts(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ typ: 'JWT', ...header }))}.${base64url(JSON.stringify(claims))}`;
}

export function rs256Token(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const body = unsignedParts({ alg: 'RS256', kid }, claims);
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}

export function hs256Token(secret: string, kid: string, claims: Record<string, unknown>): string {
  const body = unsignedParts({ alg: 'HS256', kid }, claims);
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export function unsignedToken(kid: string, claims: Record<string, unknown>): string {
  return `${unsignedParts({ alg: 'none', kid }, claims)}.`;
}

/** The public half of `key` as a JWKS entry Bot Framework's metadata would list (endorsed for Teams). */
export function jwkFor(key: KeyObject, kid: string): Record<string, unknown> {
  const jwk = key.export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] };
}

let conversationCounter = 0;

/** POSTs a `help` message in a conversation of its own to /api/messages; `token` undefined sends no Authorization. */
export async function postWithToken(bot: BotHarness, token: string | undefined): Promise<{ status: number; body: string; conversationId: string }> {
  conversationCounter += 1;
  const conversationId = `a:1token-${randomUUID().slice(0, 8)}-${conversationCounter}`;
  const activity = teamsMessage({ serviceUrl: bot.connector.serviceUrl, conversationId, text: 'help' });
  const answer = await postJson(`${bot.url}/api/messages`, activity, token === undefined ? {} : { authorization: `Bearer ${token}` });
  return { ...answer, conversationId };
}

/** node:http rather than fetch: nock's fetch interception refuses requests with a body on this Node version. */
export function postJson(url: string, body: object, headers: Record<string, string>): Promise<{ status: number; body: string }> {
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
