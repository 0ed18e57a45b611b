// Privacy of the logs: after a scenario touching every feature on both platforms, with a marker in every free-text
// field (reasons, notes, narratives, action titles) and command argument, secrets in the configuration and a few forced failures, no captured log line (every
// level, Bolt's and botbuilder's output included) holds a marker or a secret.
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { repoRoot, slackBotToken, slackSigningSecret, eventually, startBot, type BotHarness } from '../support/bot-harness.js';
import { captureLog } from '../support/log-capture.js';
import { blockActionsBody, eventCallbackBody, signSlackRequest, slackViewStateValues, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';
import { teamsMessage } from '../support/teams-activities.js';
import { TeamsUser } from '../support/teams-chat.js';

const MARKER = 'ZQX-MARKER-17';
const RESPONSE_URL_SECRET = 'ZQXRESPONSEURL';
const TEAMS_APP_PASSWORD = 'ZQX-teams-app-password-5be1c0';
const { lines, logger } = captureLog('trace');
const consoleLines: string[] = [];
let calendarToken = '';

const swindon = { team: 'T0SWIND01', tenant: '5ce40424-6cfb-47ba-9b27-f32ed2392389', manager: 'U0DEMOUSER', daniel: 'U0SWDHUGH', teamsManager: '00000000-0000-0000-0000-0000000000d0' };
const riverside = { team: 'T0RIVER01', alex: 'U0RVALEX1', lena: 'U0RVLENA1' };
let sequence = 0;

/** A Slack client for one bot: commands, presses, modal submissions and events, signed as Slack signs them. */
function slackOf(bot: BotHarness, team: string) {
  const post = (request: SlackRequest) =>
    fetch(`${bot.url}/slack/events`, { method: 'POST', body: request.body, headers: { 'content-type': request.contentType, ...signSlackRequest(request.body, slackSigningSecret) } });
  return {
    post,
    /** Sends a slash command; resolves with the answer posted to its (secret) response_url. */
    async command(text: string, userId: string): Promise<string> {
      const id = `${RESPONSE_URL_SECRET}-${++sequence}`;
      const res = await post(slashCommandBody({ text, userId, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: `trigger-${sequence}` }));
      expect(res.status).toBe(200);
      return JSON.stringify((await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 15_000 })).body);
    },
    async press(userId: string, actionId: string, value: string): Promise<string> {
      const triggerId = `trigger-${++sequence}`;
      const res = await post(blockActionsBody({ userId, teamId: team, actions: [{ actionId, value }], triggerId, responseUrl: bot.slackApi.responseUrl(`${RESPONSE_URL_SECRET}-${sequence}`) }));
      expect(res.status).toBe(200);
      return triggerId;
    },
    async openedView(triggerId: string) {
      const open = await bot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === triggerId, { timeoutMs: 15_000 });
      return open.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    },
  };
}

async function asOwner(bot: BotHarness, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: bot.database.url });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}


let main: BotHarness;
let returns: BotHarness;
let teamsSecured: BotHarness;

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
  }
  const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z'));
  main = await startBot({ partnership: 'swindon', clock, logger, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  returns = await startBot({
    partnership: null, teams: false, logger, clock: new ManualClock(DateTime.fromISO('2027-02-01T09:00:00Z')),
    env: { PARTNERSHIP_CONFIG: `${repoRoot}/test/support/partnerships/riverside-returns.yaml`, DELIVERY_RATE_PER_SECOND: '500' },
  });
  teamsSecured = await startBot({ partnership: null, slack: false, logger, teams: { appId: '3f1c5b7e-privacy-app', appPassword: TEAMS_APP_PASSWORD } });
}, 60_000);
afterAll(async () => {
  await main?.stop();
  await returns?.stop();
  await teamsSecured?.stop();
  vi.restoreAllMocks();
});

describe('the logs after a scenario of every feature', () => {
  it('Slack: commands (and mistakes), a DM, an @mention, ask for more time, the action log, with failures on the way', async () => {
    const slack = slackOf(main, swindon.team);
    expect(await slack.command(`cycle start executive-meeting "${MARKER} executive title" 2026-10-05`, swindon.manager)).toContain('Started cycle #1');
    expect(await slack.command(`cycle start ${MARKER}-plan "${MARKER} title"`, swindon.manager)).toContain('There is no plan');
    expect(await slack.command(`cycle pause ${MARKER}-cycle`, swindon.manager)).toContain('There is no cycle');
    expect(await slack.command(`actions add executive "${MARKER} slack action" daniel-hughes 2026-09-30`, swindon.manager)).toContain('Added action #1');
    expect(await slack.command(`actions add executive "${MARKER} action" ${MARKER}-owner 2026-09-30`, swindon.manager)).toContain('I could not find');
    expect(await slack.command(`${MARKER}-unknown-command with ${MARKER} arguments`, swindon.manager)).not.toContain('Started');

    // Ask for more time, with the reason typed in the modal.
    const cycle = await main.db.cycle.findFirstOrThrow({ include: { stages: { orderBy: { seq: 'asc' } } } });
    const stageId = cycle.stages[0]!.id;
    const view = await slack.openedView(await slack.press(swindon.daniel, 'stage.more-time', stageId));
    const sent = await slack.post(viewSubmissionBody({
      userId: swindon.daniel, teamId: swindon.team, viewId: 'V0PRIVACY1', callbackId: view.callback_id, privateMetadata: view.private_metadata,
      values: { proposedDueOn: { proposedDueOn: { type: 'static_select', selected_option: { value: '2026-09-16' } } }, reason: { reason: { type: 'plain_text_input', value: `${MARKER} slack reason` } } },
    }));
    expect(sent.status).toBe(200);
    await eventually(async () => (await main.db.extensionRequest.count()) === 1 || undefined, 15_000, 'extension request stored');

    // A DM and an @mention; the DM's answer cannot be delivered (channel_not_found).
    main.slackApi.failNext('chat.postMessage', { error: 'channel_not_found', times: 20 });
    const dm = await slack.post(eventCallbackBody({ teamId: swindon.team, event: { type: 'message', channel_type: 'im', channel: 'D0PRIVACY1', user: swindon.manager, text: `cycle status ${MARKER} dm`, ts: '1700000001.000100' } }));
    expect(dm.status).toBe(200);
    await eventually(async () => (await main.db.outboxMessage.findFirst({ where: { target: { path: ['channel'], equals: 'D0PRIVACY1' }, status: { not: 'pending' } } })) ?? undefined, 30_000, 'the DM answer given up');
    const mention = await slack.post(eventCallbackBody({ teamId: swindon.team, event: { type: 'app_mention', channel: 'C0SWEXEC01', user: swindon.manager, text: `<@U0BOT0001> help ${MARKER} mention`, ts: '1700000002.000100' } }));
    expect(mention.status).toBe(200);

    // The database refuses a write (as a constraint would) while an action with a marker is added.
    await asOwner(main, `ALTER TABLE "ActionItem" ADD CONSTRAINT privacy_refused CHECK (title NOT LIKE '%REFUSED%') NOT VALID`);
    const refused = await slack.command(`actions add executive "${MARKER} REFUSED" daniel-hughes 2026-09-30`, swindon.manager);
    expect(refused).not.toContain('Added action');
    await asOwner(main, 'ALTER TABLE "ActionItem" DROP CONSTRAINT privacy_refused');
    // A response_url that fails.
    main.slackApi.failNext('response_url', { status: 500, times: 20 });
    const id = `${RESPONSE_URL_SECRET}-failing`;
    await slack.post(slashCommandBody({ text: `cycle status ${MARKER}-failing`, userId: swindon.manager, teamId: swindon.team, responseUrl: main.slackApi.responseUrl(id), triggerId: 'trigger-failing' }));
    await main.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 15_000, count: 2 });
    expect(await main.db.actionItem.count({ where: { title: { contains: MARKER } } })).toBe(1);
  }, 120_000);

  it('Teams: messages (and mistakes), ask for more time, the action log, and the calendar feed', async () => {
    const alex = new TeamsUser(main, swindon.teamsManager, swindon.tenant, 'Alex Demo');
    expect(await alex.ask(`cycle start ${MARKER}-plan "${MARKER} teams title"`)).toContain('There is no plan');
    expect(await alex.ask(`actions add executive "${MARKER} teams action" daniel-hughes 2026-09-30`)).toContain('Added action #2');
    expect(await alex.ask(`${MARKER} hello`)).toBeTruthy();
    const cycle = await main.db.cycle.findFirstOrThrow({ include: { stages: { orderBy: { seq: 'asc' } } } });
    const form = await alex.press('form:stage.more-time', { state: cycle.stages[1]!.id, proposedDueOn: '2026-09-30', reason: `${MARKER} teams reason` });
    expect(form.statusCode).toBe(200);
    const noted = await alex.press('form:stage.note', { state: cycle.stages[0]!.id, note: `${MARKER} teams note` });
    expect(noted.statusCode).toBe(200);
    await eventually(async () => (await main.db.auditEvent.count({ where: { action: 'cycle.stage.noted' } })) === 1 || undefined, 15_000, 'note recorded');

    const calendar = await alex.ask('calendar');
    calendarToken = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(calendar)?.[1] ?? '';
    expect(calendarToken).not.toBe('');
    expect((await fetch(`${main.url}/calendar/${calendarToken}.ics`)).status).toBe(200);
    expect((await fetch(`${main.url}/calendar/${calendarToken}x.ics`)).status).toBe(404);

    // A Teams message in a team channel, mentioning the bot, and one the Bot Connector refuses to take the answer of.
    const channelMessage = teamsMessage({ serviceUrl: main.connector.serviceUrl, conversationId: '19:privacy@thread.tacv2', conversationType: 'channel', tenantId: swindon.tenant, fromId: `29:${swindon.teamsManager}`, fromName: 'Alex Demo', fromAadObjectId: swindon.teamsManager, text: `help ${MARKER} channel`, mentionBot: true, teamId: '19:privacy@thread.tacv2' });
    expect((await fetch(`${main.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(channelMessage) })).status).toBeLessThan(300);
    await eventually(() => main.connector.sentActivities('19:privacy@thread.tacv2').length > 0, 15_000, 'the channel answered');
  }, 120_000);

  it("Slack: a return's narrative typed in its form", async () => {
    const slack = slackOf(returns, riverside.team);
    expect(await slack.command('cycle start quarterly-dataset "Dataset Q3 2026-27" 2027-02-01', riverside.alex)).toContain('Started cycle #1');
    const council = await eventually(() => returns.db.stageReturn.findFirst({ where: { agency: { name: 'Riverside Council' } } }).then((r) => r ?? undefined), 15_000, 'return');
    const view = await slack.openedView(await slack.press(riverside.lena, 'return.submit', council.id));
    const submit = (narrative: string) => slack.post(viewSubmissionBody({
      userId: riverside.lena, teamId: riverside.team, viewId: `V0PRIVRET${++sequence}`, callbackId: view.callback_id, privateMetadata: view.private_metadata,
      values: slackViewStateValues(view, { 'figure-referrals': '42', 'figure-open-cases': '17', narrative }),
    }));
    // Flagged: the modal comes back drawn again with the note and a tick box for a false positive.
    expect((await (await submit(`${MARKER} narrative; ring 07700 900123`)).json()) as unknown).toMatchObject({ response_action: 'update' });
    expect((await submit(`${MARKER} narrative, Child A stepped down`)).status).toBe(200);
    await eventually(async () => (await returns.db.stageReturn.findUniqueOrThrow({ where: { id: council.id } })).status === 'returned' || undefined, 15_000, 'returned');
  }, 60_000);

  it('Teams with an app password: an unsigned request is refused', async () => {
    const activity = teamsMessage({ serviceUrl: teamsSecured.connector.serviceUrl, conversationId: 'a:privacy', conversationType: 'personal', tenantId: swindon.tenant, fromId: '29:someone', fromName: 'Someone', text: `help ${MARKER}` });
    const res = await fetch(`${teamsSecured.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MARKER}.not.a.jwt` }, body: JSON.stringify(activity) });
    expect(res.status).toBe(401);
  });

  it('hold no marker, no free text and no secret in any line, at any level', () => {
    const all = [...lines, ...consoleLines];
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.some((l) => l.includes('"component":"bolt"'))).toBe(true);
    const secrets = [MARKER, RESPONSE_URL_SECRET, slackBotToken, slackSigningSecret, TEAMS_APP_PASSWORD, calendarToken, '07700 900123', 'Child A stepped down'];
    for (const secret of secrets) expect(all.filter((l) => l.includes(secret)), `log lines holding "${secret}"`).toEqual([]);
  });
});
