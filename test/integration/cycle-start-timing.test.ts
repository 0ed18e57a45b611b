import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, slackSigningSecret, eventually, type BotHarness } from '../support/bot-harness.js';
import { blockActionsBody, postSignedSlackRequest, signSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { visibleCardText } from '../support/card-text.js';

// Starting a cycle says when its first stage's owners hear about it (a start at a weekend or in the evening waits for
// 09:30 on the next working day), and a back-dated start whose first stage is already overdue asks first: nothing is
// created until "Start anyway", and pressing it twice starts one cycle. The pressed warning turns into what happened,
// with nothing left to press.
const seen = (answer: { value: unknown }) => visibleCardText(answer.value);
const teamsButtons = (answer: { value: unknown }) => JSON.stringify(answer.value).match(/"type":"Action\.[A-Za-z]+"/g) ?? [];
const zone = 'Europe/London';
const london = (iso: string) => DateTime.fromISO(iso, { zone }).toUTC();
/** en-GB short month as this platform's ICU writes it ("Sep" or "Sept"). */
const sep = DateTime.fromISO('2026-09-07').setLocale('en-GB').toFormat('LLL');

/** The value of the button with this action id, wherever it sits in a rendered card or Block Kit message. */
function buttonValue(rendered: unknown, actionId: string): string {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const n = node as Record<string, unknown>;
      if (n.verb === actionId) found = (n.data as { value?: string }).value;
      else if (typeof n.action_id === 'string' && n.action_id.startsWith(actionId) && typeof n.value === 'string') found = n.value;
      else Object.values(n).forEach(walk);
    }
  };
  walk(rendered);
  if (!found) throw new Error(`no ${actionId} button in ${JSON.stringify(rendered)}`);
  return found;
}

describe('starting a cycle in Teams', () => {
  const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
  const clock = new ManualClock(london('2026-09-05T21:00'));
  let bot: BotHarness;
  let hannah: TeamsUser;

  beforeAll(async () => {
    bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
    await giveEveryMemberATeamsChat(bot, tenant);
    hannah = new TeamsUser(bot, 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', tenant, 'Hannah'); // business manager and admin
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('on a Saturday evening, says the first announcement goes at 09:30 on Monday', async () => {
    const reply = await hannah.ask('cycle start focus-review "Weekend start" 2026-09-04');
    expect(reply).toContain('Started cycle #1');
    expect(reply).toContain(`The first announcement goes at 09:30 on Monday 7 ${sep} 2026.`);
  });

  it('on a weekday morning, says the owners have been told now', async () => {
    clock.set(london('2026-09-08T10:00'));
    const reply = await hannah.ask('cycle start focus-review "Weekday start" 2026-09-08');
    expect(reply).toContain('Started cycle #2');
    expect(reply).toContain('Its owners have been told now.');
  });

  it('back-dated with its first stage overdue: warns, creates nothing, and Start anyway pressed twice starts one cycle', async () => {
    const before = await bot.db.cycle.count();
    const warning = await hannah.ask('cycle start focus-review "Summer review" 2026-07-01');
    // Two stages would be overdue and a third open at once: each is named, not only the first.
    expect(warning).toContain('Start anyway? Month 1: initial scoping and Month 2: single- and multi-agency audits would already be overdue');
    expect(warning).toMatch(/makes 2 stages overdue at once: Month 1: initial scoping \(due Fri 31 Jul 2026, already \d+ working days overdue\) and Month 2: single- and multi-agency audits \(due Tue 1 Sep(t)? 2026, already 5 working days overdue\)/);
    expect(warning).toContain('Month 3: feedback from service users, carers, families and practitioners would open straight away too.');
    expect(warning).toContain('Nothing has been created yet.');
    expect(warning).toContain('Start anyway');
    expect(warning).toContain('Cancel');
    expect(await bot.db.cycle.count()).toBe(before);

    const card = hannah.cards().filter((c) => c.includes('Start anyway')).at(-1)!;
    const value = buttonValue(JSON.parse(card), 'cycle.start.confirm');
    const answers = await Promise.all([hannah.press('cycle.start.confirm', { value }), hannah.press('cycle.start.confirm', { value })]);
    expect(await bot.db.cycle.count()).toBe(before + 1);
    // Each press answers with the warning card turned into the outcome: no buttons left, nothing "not yet created".
    for (const answer of answers) {
      expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
      expectValidAdaptiveCard(answer.value);
      expect(teamsButtons(answer)).toEqual([]);
      expect(seen(answer)).not.toContain('Nothing has been created yet');
    }
    const texts = answers.map(seen);
    expect(texts.filter((t) => t.includes('Started cycle #3 "Summer review"'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('already started as cycle #3'))).toHaveLength(1);
    expect(await bot.db.cycle.count({ where: { title: 'Summer review' } })).toBe(1);

    // An old copy of the warning pressed again later is still answered kindly, and starts nothing.
    const late = await hannah.press('cycle.start.confirm', { value });
    expect(seen(late)).toContain('That cycle was already started as cycle #3. Nothing new was created.');
    expect(teamsButtons(late)).toEqual([]);
    expect(await bot.db.cycle.count()).toBe(before + 1);
  });

  it('only the first stage overdue: names it alone', async () => {
    clock.set(london('2026-09-08T10:00'));
    const warning = await hannah.ask('cycle start focus-review "August review" 2026-08-03');
    expect(warning).toContain('Start anyway? Month 1: initial scoping would already be overdue');
    expect(warning).toMatch(/makes its first stage, Month 1: initial scoping, due Thu 3 Sep(t)? 2026: already 3 working days overdue/);
    expect(warning).not.toContain('stages overdue at once');
    expect(warning).toContain('Month 2: single- and multi-agency audits would open straight away too.');
  });

  it('Cancel on the warning creates nothing', async () => {
    const before = await bot.db.cycle.count();
    await hannah.ask('cycle start focus-review "Never started" 2026-06-01');
    const card = hannah.cards().filter((c) => c.includes('Never started')).at(-1)!;
    const cancelled = await hannah.press('cycle.start.cancel', { value: buttonValue(JSON.parse(card), 'cycle.start.cancel') });
    expect(cancelled.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(cancelled.value);
    expect(seen(cancelled)).toContain('Not started: nothing was created.');
    expect(seen(cancelled)).not.toContain('Nothing has been created yet');
    expect(teamsButtons(cancelled)).toEqual([]);
    expect(await bot.db.cycle.count()).toBe(before);
  });
});

describe('starting a cycle in Slack', () => {
  const team = 'T0SWIND01';
  const manager = 'U0DEMOUSER'; // Alex Demo: business manager and admin
  const clock = new ManualClock(london('2026-09-06T15:00')); // a Sunday afternoon
  let bot: BotHarness;
  let trigger = 0;

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, teams: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function command(text: string): Promise<unknown> {
    const id = `start-${++trigger}`;
    await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId: manager, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
    return (await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 })).body;
  }

  async function press(actionId: string, value: string): Promise<string> {
    const triggerId = `press-${++trigger}`;
    const body = blockActionsBody({ userId: manager, teamId: team, actions: [{ actionId, value }], triggerId, responseUrl: bot.slackApi.responseUrl(triggerId), ephemeral: true });
    await fetch(`${bot.url}/slack/events`, { method: 'POST', body: body.body, headers: { 'content-type': body.contentType, ...signSlackRequest(body.body, slackSigningSecret) } });
    return JSON.stringify((await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(triggerId), { timeoutMs: 10_000 })).body);
  }

  it('on a Sunday, says the first announcement goes at 09:30 on Monday', async () => {
    const reply = JSON.stringify(await command('cycle start executive-meeting "Executive, October 2026" 2026-10-05'));
    expect(reply).toContain('Started cycle #1');
    expect(reply).toContain(`The first announcement goes at 09:30 on Monday 7 ${sep} 2026.`);
  });

  it('back-dated with its first stage overdue: warns, creates nothing, and Start anyway pressed twice starts one cycle', async () => {
    clock.set(london('2026-09-08T10:00'));
    const warning = await command('cycle start executive-meeting "Executive, August 2026" 2026-08-03');
    expect(JSON.stringify(warning)).toContain('would already be overdue');
    expect(JSON.stringify(warning)).toContain('Start anyway');
    expect(await bot.db.cycle.count()).toBe(1);

    const value = buttonValue(warning, 'cycle.start.confirm');
    const answers = await Promise.all([press('cycle.start.confirm', value), press('cycle.start.confirm', value)]);
    expect(await bot.db.cycle.count()).toBe(2);
    expect(answers.filter((a) => a.includes('Started cycle #2'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('already started as cycle #2'))).toHaveLength(1);
    // Each press replaces the warning it was pressed on with the outcome: no buttons, nothing "not yet created".
    for (const answer of answers) {
      expect(answer).toContain('"replace_original":true');
      expect(answer).not.toContain('"type":"button"');
      expect(answer).not.toContain('Nothing has been created yet');
    }
    // An old copy pressed again later: answered kindly, nothing started.
    const late = await press('cycle.start.confirm', value);
    expect(late).toContain('That cycle was already started as cycle #2. Nothing new was created.');
    expect(late).not.toContain('"type":"button"');

    const another = await command('cycle start executive-meeting "Executive, July 2026" 2026-07-06');
    const cancelled = await press('cycle.start.cancel', buttonValue(another, 'cycle.start.cancel'));
    expect(cancelled).toContain('Not started: nothing was created.');
    expect(cancelled).toContain('"replace_original":true');
    expect(cancelled).not.toContain('"type":"button"');
    expect(cancelled).not.toContain('Nothing has been created yet');
    expect(await bot.db.cycle.count()).toBe(2);
  });
});
