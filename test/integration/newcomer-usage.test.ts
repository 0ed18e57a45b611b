import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, slackSigningSecret, type BotHarness } from '../support/bot-harness.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { TeamsUser } from '../support/teams-chat.js';

// What a newcomer to Swindon reads in `help` and in the `cycle` usage lines, in Teams and in Slack: every
// `<placeholder>` shows, and the examples name Swindon's own plans and stages (not another partnership's).
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const alexAad = '00000000-0000-0000-0000-0000000000d0'; // Alex Demo: business manager and admin
const alexSlack = 'U0DEMOUSER';
const team = 'T0SWIND01';
const clock = new ManualClock(DateTime.fromISO('2027-03-01T09:00:00Z')); // Monday 09:00 in London
let bot: BotHarness;
let alex: TeamsUser;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock });
  alex = new TeamsUser(bot, alexAad, tenant, 'Alex Demo');
});
afterAll(async () => {
  await bot?.stop();
});

/** Every TextBlock as Teams shows it: what looks like an HTML tag is dropped, invisible characters show as nothing. */
function teamsShows(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const n = node as Record<string, unknown>;
      if (n['type'] === 'TextBlock' && typeof n['text'] === 'string') out.push(n['text']);
      if (Array.isArray(n['facts'])) for (const f of n['facts'] as { title: string; value: string }[]) out.push(`${f.title} ${f.value}`);
      Object.entries(n).forEach(([key, value]) => key !== 'facts' && walk(value));
    }
  };
  walk(card);
  return out.join('\n').replace(/<[A-Za-z/!?][^>]*>/g, '').replace(/\u2060/g, '').replace(/\*\*/g, '');
}

/** Alex says `text` in Teams; the card Teams shows in reply. */
async function inTeams(text: string): Promise<string> {
  await alex.ask(text);
  const last = bot.connector.sentActivities(alex.conversationId).at(-1);
  return teamsShows(last?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content);
}

/** Alex types `/safeguarding text` in Slack; the reply as Slack shows it (mrkdwn entities decoded). */
async function inSlack(text: string): Promise<{ shown: string; raw: string }> {
  const id = `trigger-${++trigger}`;
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId: alexSlack, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  expect(res.status).toBe(200);
  const call = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) for (const [key, value] of Object.entries(node)) key === 'text' && typeof value === 'string' ? texts.push(value) : walk(value);
  };
  walk(call.body['blocks']);
  const raw = texts.join('\n');
  return { raw, shown: raw.replace(/`/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') };
}

async function swindonPlans(): Promise<{ key: string; name: string; stages: { key: string }[] }[]> {
  const p = await bot.db.partnership.findFirstOrThrow({ select: { sections: true } });
  return (p.sections as { plans: { key: string; name: string; stages: { key: string }[] }[] }).plans;
}

describe('placeholders in angle brackets', () => {
  it('show in Teams help, where they used to vanish as if they were HTML', async () => {
    const shown = await inTeams('help');
    expect(shown).toContain('cycle start <plan> "<title>"');
    expect(shown).toContain('calendar [group <key>]');
  });

  it('show in Slack help, escaped so Slack does not read them as links', async () => {
    const { shown, raw } = await inSlack('help');
    expect(shown).toContain('cycle start <plan> "<title>"');
    expect(shown).toContain('calendar [group <key>]');
    expect(raw).not.toMatch(/<plan>|<key>/);
  });
});

describe('examples in usage lines', () => {
  it("name the partnership's own first plan, with a title and today's date, on both platforms", async () => {
    const [plan] = await swindonPlans();
    const example = `cycle start ${plan!.key} "${plan!.name}, March 2027" 2027-03-01`;
    for (const shown of [await inTeams('cycle start'), (await inSlack('cycle start')).shown]) {
      expect(shown).toContain('Usage: cycle start <plan> "<title>" [start date] [lead]');
      expect(shown).toContain(example);
      expect(shown).not.toContain('focus-review');
    }
  });

  it("name a stage of that plan when moving a due date, on both platforms", async () => {
    const [plan] = await swindonPlans();
    for (const shown of [await inTeams('cycle move 1'), (await inSlack('cycle move 1')).shown]) {
      expect(shown).toContain('Usage: cycle move <number> <stage> <date>');
      expect(shown).toContain(`cycle move 1 ${plan!.stages[0]!.key} 2027-03-15`);
      expect(shown).not.toContain('audits');
    }
  });

  it("write a date example from today when a date cannot be read", async () => {
    const [plan] = await swindonPlans();
    for (const shown of [await inTeams(`cycle start ${plan!.key} "Test" 31/02/2027 alex-demo`), (await inSlack(`cycle start ${plan!.key} "Test" 31/02/2027 alex-demo`)).shown]) {
      expect(shown).toContain('"31/02/2027" is not a date. Write dates as 2027-03-01 or 1/3/2027.');
    }
    // (Swindon's recurring meetings start their own cycles; none is this one.)
    expect(await bot.db.cycle.count({ where: { title: 'Test' } })).toBe(0);
  });
});
