// A request signed for one Slack workspace or Teams tenant only ever acts as a member of the partnership bound to
// it. Partnerships that bind no workspace (or no tenant) are reached only from workspaces (tenants) bound to nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { loadPartnershipFile, parsePartnershipFile } from '../../src/app/partnership-file.js';
import { importPartnership } from '../../src/directory/import-partnership.js';
import { findMemberId } from '../../src/directory/member-lookup.js';
import { recordConversation } from '../../src/messaging/conversation-refs.js';
import { examplePartnership, slackSigningSecret, startBot, type BotHarness } from '../support/bot-harness.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { TeamsUser } from '../support/teams-chat.js';

const swindon = { team: 'T0SWIND01', tenant: '5ce40424-6cfb-47ba-9b27-f32ed2392389' };
const dudley = { team: 'T0DUDL001', tenant: '4c43f719-932f-4ee0-8b68-381262e6a677' };
const walsallTenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
const rachel = { slack: 'U0SWRWHIT', aad: '8108105a-1981-43ce-bbdc-73e877fb8cf8' };
/** A Warrington member; Warrington is imported here without its Slack workspace, as a partnership that binds none. */
const warringtonSlackUser = 'U0WASASHC';
const unboundWorkspace = 'T0NOBODY01';
const unboundTenant = '11111111-2222-4333-8444-555555555555';

let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon' });
  for (const name of ['dudley', 'walsall']) await importPartnership(bot.db, await loadPartnershipFile(examplePartnership(name)));
  const warrington = await readFile(examplePartnership('warrington'), 'utf8');
  const unbound = warrington.replace(/^  slack: \{ teamId: T0WARR001 \}\n/m, '');
  expect(unbound).not.toContain('T0WARR001');
  await importPartnership(bot.db, parsePartnershipFile(unbound, 'warrington.yaml'));
});
afterAll(async () => {
  await bot?.stop();
});

async function memberIdOf(slug: string, key: string): Promise<string> {
  return (await bot.db.member.findFirstOrThrow({ where: { key, partnership: { slug } }, select: { id: true } })).id;
}

async function slackWhoami(userId: string, teamId: string): Promise<string> {
  trigger += 1;
  const id = `lookup-${trigger}`;
  const request = slashCommandBody({ text: 'whoami', userId, teamId, responseUrl: bot.slackApi.responseUrl(id), triggerId: id });
  expect((await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret)).status).toBe(200);
  const post = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
  return JSON.stringify(post.body);
}

describe('who is asking, across partnerships', () => {
  it('a Swindon member writing from Dudley\'s Slack workspace is a stranger there, told to ask Dudley\'s business manager', async () => {
    const answer = await slackWhoami(rachel.slack, dudley.team);
    expect(answer).toContain("I don't know you yet");
    expect(answer).toContain('Andrea Whitmore');
    expect(answer).not.toContain('Rachel Whitmore');
    expect(answer).not.toContain('Swindon');
    // The same person in her own workspace is herself.
    expect(await slackWhoami(rachel.slack, swindon.team)).toContain('Rachel Whitmore');
  });

  it('a Swindon member in Dudley\'s Teams tenant is a stranger there too', async () => {
    const inDudley = await new TeamsUser(bot, rachel.aad, dudley.tenant, 'Rachel').ask('whoami');
    expect(inDudley).toContain("I don't know you yet");
    expect(inDudley).not.toContain('Rachel Whitmore');
    expect(await new TeamsUser(bot, rachel.aad, swindon.tenant, 'Rachel').ask('whoami')).toContain('Rachel Whitmore');
  });

  it('a workspace or tenant bound to no partnership reaches only partnerships that bind none', async () => {
    // Swindon binds its workspace and tenant: nobody reaches its members from elsewhere.
    expect(await findMemberId(bot.db, { platform: 'slack', userId: rachel.slack, teamId: unboundWorkspace })).toBeUndefined();
    expect(await findMemberId(bot.db, { platform: 'slack', userId: rachel.slack })).toBeUndefined();
    expect(await findMemberId(bot.db, { platform: 'teams', userId: '29:x', aadObjectId: rachel.aad, tenantId: unboundTenant })).toBeUndefined();
    // Warrington binds no Slack workspace here: its Slack users are known in a workspace no partnership claims...
    const warringtonMember = (await bot.db.member.findFirstOrThrow({ where: { slackUserId: warringtonSlackUser }, select: { id: true } })).id;
    expect(await findMemberId(bot.db, { platform: 'slack', userId: warringtonSlackUser, teamId: unboundWorkspace })).toBe(warringtonMember);
    // ...but never in another partnership's workspace.
    expect(await findMemberId(bot.db, { platform: 'slack', userId: warringtonSlackUser, teamId: swindon.team })).toBeUndefined();
    expect(await findMemberId(bot.db, { platform: 'slack', userId: warringtonSlackUser, teamId: dudley.team })).toBeUndefined();
  });

  it('does not file a Swindon member\'s chat in another tenant under their name', async () => {
    const elsewhere = await recordConversation(bot.db, {
      conversationId: 'a:rachel-in-walsall',
      scope: 'personal',
      tenantId: walsallTenant,
      serviceUrl: bot.connector.serviceUrl,
      userId: '29:rachel',
      aadObjectId: rachel.aad,
      reference: { conversation: { id: 'a:rachel-in-walsall' } },
    });
    expect(elsewhere.memberId).toBeUndefined();
    expect((await bot.db.conversationRef.findUniqueOrThrow({ where: { conversationId: 'a:rachel-in-walsall' } })).memberId).toBeNull();

    const home = await recordConversation(bot.db, {
      conversationId: 'a:rachel-at-home',
      scope: 'personal',
      tenantId: swindon.tenant,
      serviceUrl: bot.connector.serviceUrl,
      userId: '29:rachel',
      aadObjectId: rachel.aad,
      reference: { conversation: { id: 'a:rachel-at-home' } },
    });
    expect(home.memberId).toBe(await memberIdOf('swindon', 'rachel-whitmore'));
  });
});
