// Every kind of message and form the bot sends, built by the real builders from hand-made fixtures and rendered
// by both renderers: Adaptive Cards must parse and validate with the official SDK, Block Kit must stay inside
// Slack's documented limits, and what a person needs to read and press must survive rendering.
//
// Messages that command and button handlers build inline (usage, pause and cancel confirmations, the calendar
// link, the "done" card with "Add a note") are taken from the real handlers, with the database-facing services
// they call replaced by stand-ins, so no database is needed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { ManualClock } from '../../src/core/clock.js';
import { WorkingCalendar } from '../../src/core/calendar.js';
import { forbidden } from '../../src/core/errors.js';
import { helpMessage, unknownCommandMessage } from '../../src/commands/help.js';
import type { CommandHandler, CommandResult } from '../../src/commands/types.js';
import { strangerMessage, whoamiMessage } from '../../src/commands/whoami.js';
import type { MemberProfile } from '../../src/directory/identity.js';
import { InteractionRouter } from '../../src/interactions/router.js';
import type { ActionResult } from '../../src/interactions/types.js';
import { failureMessage } from '../../src/messaging/failure-message.js';
import type { FieldErrors, Form, FormValues, Message, MessageAction } from '../../src/messaging/message.js';
import { renderSlackModal, slackFieldErrors } from '../../src/platforms/slack/render-form.js';
import { originalActionId, renderSlackMessage } from '../../src/platforms/slack/render-message.js';
import { renderAdaptiveCard, type AdaptiveCardJson } from '../../src/platforms/teams/render-card.js';
import { renderAdaptiveForm } from '../../src/platforms/teams/render-form.js';
import { withTypedChoices } from '../../src/forms/typed-choices.js';
import { pageForm } from '../../src/forms/page-form.js';
import { openFormMessage } from '../../src/forms/open-form.js';
import { expectValidAdaptiveCard, expectWithinBlockKitLimits } from '../support/card-validation.js';
import { welcomeMessage } from '../../src/platforms/teams/welcome.js';
import type { TeamsScope } from '../../src/platforms/teams/conversation-refs.js';
import { stageForms } from '../../src/features/cycles/actions.js';
import { cycleActions } from '../../src/features/cycles/commands.js';
import { cyclesFeature } from '../../src/features/cycles/index.js';
import { commandCatalogOf } from '../../src/app/install-features.js';
import { features } from '../../src/app/features.js';
import type { CycleDeps } from '../../src/features/cycles/context.js';
import { extensionActions, extensionDecidedCard, extensionRequestCard } from '../../src/features/cycles/extension-cards.js';
import { REMINDER_KINDS, type CyclePlan, type StageOwner, type StageState } from '../../src/features/cycles/model.js';
import { currentStageCard, reminderCard, settledStageCard, stageActions } from '../../src/features/cycles/stage-cards.js';
import { readMoreTimeValue } from '../../src/features/cycles/more-time-ref.js';
import { requestListActions } from '../../src/features/cycles/requests-command.js';
import type { CycleRow, StageRow } from '../../src/features/cycles/stage-row.js';
import type { StageView } from '../../src/features/cycles/stage-view.js';
import { cycleListMessage, cycleStatusCard, tasksMessage } from '../../src/features/cycles/status-cards.js';
import { closeWithMissingCard, currentReturnCard, encodeReturnFormState, returnActions, returnCard, returnForm, settledReturnCard } from '../../src/features/cycles/returns-cards.js';
import {
  noRecurringPlansMessage, occurrenceActions, planPausedMessage, planResumedMessage, rescheduledMessage, restoredMessage, scheduleListMessage, skippedMessage,
} from '../../src/features/cycles/occurrence-messages.js';
import { actionListCard, doneCard, newActionCard, reopenedCard } from '../../src/features/action-log/action-cards.js';
import { deadLetterListCard, retriedMessage } from '../../src/features/admin/failed-cards.js';
import type { ActionView } from '../../src/features/action-log/model.js';
import type { FeatureDeps } from '../../src/features/contract.js';
import { chairCard, disputeListCard, partyCard, proposalCard, statusCard } from '../../src/features/disputes/cards.js';
import { challengeLog } from '../../src/features/disputes/challenge-log.js';
import { disputesFeature } from '../../src/features/disputes/index.js';
import { DEFAULT_DISPUTE_POLICY, disputeButtons, type DisputeEventView, type DisputeView, type RiskView } from '../../src/features/disputes/model.js';
import { raiseForm } from '../../src/features/disputes/raise-form.js';
import { openAddRiskForm } from '../../src/features/disputes/risk-actions.js';
import { addedCard, closedCard, newOwnerCard, reopenedCard as riskReopenedCard, reviewedCard, riskReminderCard, riskTableCard } from '../../src/features/disputes/risk-cards.js';
import { exportRegister } from '../../src/features/disputes/risk-export.js';
import { addRiskForm, reviewRiskForm, riskAnswerErrors } from '../../src/features/disputes/risk-form.js';
import { riskButtons } from '../../src/features/disputes/risk-policy.js';
import { listDisputes } from '../../src/features/disputes/repository.js';
import type { Db } from '../../src/store/db.js';
import { visibleCardText } from '../support/card-text.js';
import { agencyCard, channelAlert, decisionCard, groupCard, leadCard, privateTo, receiptCard, reviewListCard } from '../../src/features/reviews/cards.js';
import { DEFAULT_CLOCKS, reviewButtons, SAFE_TEXT, type ReviewView } from '../../src/features/reviews/model.js';
import { notifyForm } from '../../src/features/reviews/notify-form.js';
import { withConfirmField, withConfirmFieldToRead } from '../../src/forms/identifying-confirm.js';
import { usageCard } from '../../src/commands/usage.js';
import * as s11Cards from '../../src/features/section11/cards.js';
import { DEFAULT_CHASE, DEFAULT_SCALE, s11Buttons, type ReturnView, type RoundView } from '../../src/features/section11/model.js';
import { roundReport } from '../../src/features/section11/report.js';
import { DEFAULT_STANDARDS } from '../../src/features/section11/standards.js';

// ---------------------------------------------------------------------------------------------------------------
// Stand-ins for the services the inline-built messages call (everything else below is the real code).

const stubs = vi.hoisted(() => ({
  cycle: undefined as unknown,
  doneView: undefined as unknown,
  profile: undefined as unknown,
  disputes: [] as unknown[],
  risks: [] as unknown[],
}));

vi.mock('../../src/features/cycles/repository.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/cycles/repository.js')>()),
  findCycleByNumber: vi.fn(async (_db: unknown, _partnershipId: string, reference: string | undefined) => (reference === '404' ? undefined : stubs.cycle)),
  loadStage: vi.fn(async () => {
    const view = stubs.doneView as StageView;
    return { cycle: view.cycle, stage: view.stage, stages: [view.stage] };
  }),
}));
vi.mock('../../src/features/cycles/service-cycle.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/cycles/service-cycle.js')>()),
  changeCycle: vi.fn(async (_deps: unknown, _profile: unknown, cycleId: string, change: string) => ({
    ...(stubs.cycle as CycleRow),
    id: cycleId,
    status: change === 'pause' ? 'paused' : change === 'cancel' ? 'cancelled' : 'active',
  })),
  startCycle: vi.fn(async () => {
    const cycle = stubs.cycle as CycleRow;
    return { cycle, stages: (stubs.doneView as StageView) ? [(stubs.doneView as StageView).stage] : [] };
  }),
}));
vi.mock('../../src/features/cycles/service-stage.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/cycles/service-stage.js')>()),
  markStageDone: vi.fn(async () => true),
  checkCanActOnStage: vi.fn(async () => undefined),
  snoozeStage: vi.fn(async () => ({ until: DateTime.fromISO('2026-10-08T09:30', { zone: 'Europe/London' }), dueOn: '2026-10-07', zone: 'Europe/London' })),
  decideExtension: vi.fn(async () => ({ changed: true, stageName: 'Month 1: initial scoping' })),
}));
// The fixtures' ids are not uuids and there is no database: every id here is the member's own partnership's.
vi.mock('../../src/features/cycles/ownership.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/cycles/ownership.js')>()),
  ownStageId: vi.fn(async (_db: unknown, _profile: unknown, value: string | undefined) => value ?? ''),
  ownCycleId: vi.fn(async (_db: unknown, _profile: unknown, value: string | undefined) => value ?? ''),
}));
vi.mock('../../src/workflow/partnership-calendar.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/workflow/partnership-calendar.js')>()),
  partnershipCalendar: vi.fn(async () => new WorkingCalendar({ zone: 'Europe/London' })),
}));
vi.mock('../../src/features/cycles/stage-view.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/cycles/stage-view.js')>()),
  loadStageView: vi.fn(async () => stubs.doneView),
}));
vi.mock('../../src/features/cycles/calendar-feed.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/cycles/calendar-feed.js')>()),
  createCalendarFeed: vi.fn(async (_db: unknown, _profile: unknown, publicUrl: string, groupKey?: string) => {
    if (groupKey === 'executive-board') throw forbidden('Only members of Warwickshire Safeguarding Executive Board (WSEB) can subscribe to its deadlines.');
    return { url: `${publicUrl}/calendar/${'Zx9_-'.repeat(9)}Qw.ics`, label: groupKey ? 'Quality Learning and Improvement Hubs deadlines' : 'your deadlines' };
  }),
  revokeCalendarFeeds: vi.fn(async () => 2),
}));
vi.mock('../../src/directory/member-lookup.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/directory/member-lookup.js')>()),
  loadMemberProfile: vi.fn(async () => stubs.profile),
  profileLoader: vi.fn(() => async () => stubs.profile),
}));
// Disputes and the risk register: the reads of rows (mapped to views by code tested against a database elsewhere),
// and closing a risk, which the Close risk button and `risks close` wrap in the card with Undo.
vi.mock('../../src/features/disputes/repository.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/disputes/repository.js')>()),
  listDisputes: vi.fn(async () => stubs.disputes),
}));
vi.mock('../../src/features/disputes/risk-repository.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/disputes/risk-repository.js')>()),
  everyRisk: vi.fn(async () => stubs.risks),
  openRisks: vi.fn(async () => (stubs.risks as { status: string }[]).filter((r) => r.status === 'open')),
}));
vi.mock('../../src/features/disputes/risk-service.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/features/disputes/risk-service.js')>()),
  closeRisk: vi.fn(async (_deps: unknown, _profile: unknown, ref: { id: string } | { number: number }) => {
    const risk = (stubs.risks as { id: string; number: number }[]).find((r) => ('id' in ref ? r.id === ref.id : r.number === ref.number))!;
    return { risk: { ...risk, status: 'closed', closedAt: new Date('2026-11-16T10:00:00Z') }, changed: true };
  }),
}));

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

const zone = 'Europe/London';
const now = DateTime.fromISO('2026-10-05T09:30', { zone });

const plan: CyclePlan = {
  key: 'focus-review',
  name: 'Strategic focus review',
  startDateIs: 'the first day of the review',
  group: 'quality-learning-improvement-hubs',
  stages: [],
};

const longTitle = `Neglect and cumulative harm in adolescence: strategic focus review across children's and adults' services, ${'including transitions at 18 '.repeat(5)}`.trim();

function cycleRow(overrides: Partial<CycleRow> = {}): CycleRow {
  return {
    id: 'c0a80101-0000-4000-8000-000000000007',
    partnershipId: 'p-warwickshire',
    number: 7,
    planKey: plan.key,
    planName: plan.name,
    plan,
    title: 'Neglect focus review',
    startOn: '2026-09-07',
    leadMemberId: 'm-hannah',
    status: 'active',
    ...overrides,
  };
}

let stageCounter = 0;
function stageRow(overrides: Partial<StageRow> = {}): StageRow {
  stageCounter += 1;
  return {
    id: `5ta9e000-0000-4000-8000-${String(stageCounter).padStart(12, '0')}`,
    cycleId: cycleRow().id,
    seq: 0,
    key: 'scoping',
    name: 'Month 1: initial scoping',
    doneMeans: 'Scope, terms of reference and the cases to audit agreed by the hub and shared with partners',
    owner: { kind: 'group', group: 'quality-learning-improvement-hubs' },
    opensOn: '2026-09-07',
    dueOn: '2026-10-07',
    plannedDueOn: '2026-10-07',
    status: 'open',
    openedAt: new Date('2026-09-07T08:00:00Z'),
    doneAt: null,
    doneById: null,
    reminders: { sendAt: '09:30', before: [5, 1], onOpen: true, onDueDay: true, overdueEvery: 2, escalateAfter: 3, escalateToManagerAfter: 8, escalationGroup: 'quality-learning-improvement-hubs' },
    ...overrides,
  };
}

function view(stage: Partial<StageRow> = {}, extra: Partial<StageView> = {}, cycle: Partial<CycleRow> = {}): StageView {
  return {
    stage: stageRow(stage),
    cycle: cycleRow(cycle),
    zone,
    ownerLabel: 'Quality Learning and Improvement Hubs',
    workingDaysLeft: 2,
    dueToday: false,
    ...extra,
  };
}

const hubs: StageOwner = { kind: 'group', group: 'quality-learning-improvement-hubs' };
const business: StageOwner = { kind: 'group', group: 'business-team' };

/** A six-stage cycle in every state a stage can be in: done, overdue, due soon, open, not open yet, cancelled. */
function sixStages(title = longTitle): { cycle: CycleRow; views: StageView[] } {
  const cycle = cycleRow({ title });
  const rows: [Partial<StageRow>, Partial<StageView>][] = [
    [{ seq: 0, key: 'scoping', name: 'Month 1: initial scoping', status: 'done', doneAt: new Date('2026-10-06T13:02:00Z'), doneById: 'm-priya', owner: hubs }, { doneByName: 'Priya Sandhu', workingDaysLeft: -20 }],
    [{ seq: 1, key: 'audits', name: 'Month 2: single- and multi-agency audits', dueOn: '2026-11-09', owner: hubs }, { workingDaysLeft: -3 }],
    [{ seq: 2, key: 'feedback', name: 'Month 3: feedback from service users, carers, families and practitioners', dueOn: '2026-12-07', owner: hubs }, { workingDaysLeft: 1 }],
    [{ seq: 3, key: 'recommendations', name: 'Month 4: recommendations, learning and key messages', dueOn: '2027-01-07', owner: hubs }, { workingDaysLeft: 40 }],
    [{ seq: 4, key: 'impact-check-6-months', name: 'Six-month impact analysis', status: 'pending', dueOn: '2027-08-09', owner: business }, { workingDaysLeft: 150, ownerLabel: 'Warwickshire Safeguarding Business Team' }],
    [{ seq: 5, key: 'impact-check-12-months', name: 'Twelve-month impact analysis', status: 'cancelled', dueOn: '2028-02-07', owner: business }, { workingDaysLeft: 280, ownerLabel: 'Warwickshire Safeguarding Business Team' }],
  ];
  return { cycle, views: rows.map(([stage, extra]) => ({ ...view(stage, extra), cycle })) };
}

const hannah: MemberProfile = {
  memberId: 'm-hannah',
  memberKey: 'hannah-whitcombe',
  partnershipId: 'p-warwickshire',
  partnershipSlug: 'warwickshire',
  partnershipName: 'Warwickshire Safeguarding',
  timezone: zone,
  displayName: 'Hannah Whitcombe',
  jobTitle: 'Safeguarding Business Manager',
  email: 'hannah.whitcombe@example.org',
  agency: { id: 'a-wcc', key: 'warwickshire-county-council', name: 'Warwickshire County Council' },
  roles: [
    { role: 'business_manager', scopeKey: '' },
    { role: 'admin', scopeKey: '' },
    { role: 'group_chair', scopeKey: 'group:business-team', scopeName: 'Warwickshire Safeguarding Business Team' },
    { role: 'member', scopeKey: '' },
  ],
  groups: [
    { id: 'g-bt', key: 'business-team', name: 'Warwickshire Safeguarding Business Team', kind: 'business_unit', position: 'chair' },
    { id: 'g-srs', key: 'safeguarding-reviews-subgroup', name: 'Safeguarding Reviews Subgroup', kind: 'practice_review', position: 'member' },
  ],
  teamsAadObjectId: 'fc1873c2-5567-4c66-b3ec-fb5bc937f050',
};

const priya: MemberProfile = {
  ...hannah,
  memberId: 'm-priya',
  memberKey: 'priya-sandhu',
  displayName: 'Priya Sandhu',
  jobTitle: 'Quality, Learning and Improvement Officer',
  roles: [{ role: 'member', scopeKey: '' }],
  groups: [{ id: 'g-qlih', key: 'quality-learning-improvement-hubs', name: 'Quality Learning and Improvement Hubs', kind: 'quality_assurance', position: 'member' }],
};

const newcomer: MemberProfile = { ...priya, memberId: 'm-new', memberKey: 'new-starter', displayName: 'New Starter', jobTitle: undefined, agency: undefined, roles: [], groups: [] };

// ---------------------------------------------------------------------------------------------------------------
// Rendering both ways, and what a person would see

type Json = Record<string, unknown>;


function visibleSlack(blocks: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'value' || key === 'action_id' || key === 'block_id' || key === 'private_metadata' || key === 'callback_id') continue;
        if (key === 'text' && typeof value === 'string') out.push(value);
        else walk(value);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** Markdown markers and Slack's escapes removed, so "*Done means:*" and "**Done means:**" both read "Done means:". */
const plain = (text: string) => text.replace(/[*`]/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

interface Rendered {
  teams: AdaptiveCardJson;
  slack: { text: string; blocks: KnownBlock[] };
  teamsText: string;
  slackText: string;
  teamsButtons: string[];
  slackButtons: string[];
  slackActionIds: string[];
}

function teamsButtons(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Json;
      if (typeof o['type'] === 'string' && (o['type'] as string).startsWith('Action.') && typeof o['title'] === 'string') out.push(o['title'] as string);
      for (const value of Object.values(o)) walk(value);
    }
  };
  walk(card);
  return out;
}

const slackButtonsOf = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements.flatMap((e) => (e.type === 'button' ? [{ label: e.text.text, id: e.action_id ?? '' }] : [])) : []));

/** Renders with both renderers and fails on any SDK problem or Block Kit limit. */
function renderBoth(message: Message): Rendered {
  const teams = renderAdaptiveCard(message);
  const slack = renderSlackMessage(message);
  expectValidAdaptiveCard(teams);
  expectWithinBlockKitLimits(slack.blocks);
  expect(slack.text.length, 'Slack notification text').toBeGreaterThan(0);
  expect((teams as Json)['fallbackText'], 'Teams fallback text').toBeTruthy();
  const buttons = slackButtonsOf(slack.blocks);
  return {
    teams,
    slack,
    teamsText: plain(visibleCardText(teams)),
    slackText: plain(visibleSlack(slack.blocks)),
    teamsButtons: teamsButtons(teams),
    slackButtons: buttons.map((b) => b.label),
    slackActionIds: buttons.map((b) => b.id),
  };
}

/** What a person must be able to read and press, on both platforms. */
function expectShows(r: Rendered, texts: string[], buttons: string[] = []): void {
  for (const text of texts) {
    expect(r.teamsText, `Teams card shows "${text}"`).toContain(text);
    expect(r.slackText, `Slack blocks show "${text}"`).toContain(text);
  }
  expect(r.teamsButtons, 'Teams buttons').toEqual(buttons);
  expect(r.slackButtons, 'Slack buttons').toEqual(buttons);
}

/** Action ids the feature put on the card, as the adapters recover them from what each platform sends back. */
function actionIdsOf(r: Rendered): string[] {
  const teams: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Json;
      if (o['type'] === 'Action.Execute' && typeof o['verb'] === 'string') teams.push(o['verb'] as string);
      for (const value of Object.values(o)) walk(value);
    }
  };
  walk(r.teams);
  expect(r.slackActionIds.map(originalActionId)).toEqual(teams);
  return teams;
}

interface RenderedForm {
  teams: AdaptiveCardJson;
  slack: Json;
  teamsText: string;
  slackText: string;
}

function renderFormBoth(form: Form, opts: { values?: FormValues; errors?: FieldErrors } = {}): RenderedForm {
  const teams = renderAdaptiveForm(form, opts);
  const slack = renderSlackModal(form, { values: opts.values }) as unknown as Json;
  expectValidAdaptiveCard(teams);
  expectWithinBlockKitLimits(slack);
  return { teams, slack, teamsText: plain(visibleCardText(teams)), slackText: plain(visibleSlack([slack['title'], slack['submit'], slack['blocks']])) };
}

/** Every feature-level action id seen on any rendered card, to prove no button kind was left out. */
const seenActionIds = new Set<string>();
/** Every exported builder name exercised below. */
const covered = new Set<string>();
/** What help lists outside the demo. */
const advertised = commandCatalogOf(features).filter((c) => !c.demoOnly);

const rendered = (name: string, message: Message): Rendered => {
  covered.add(name);
  const r = renderBoth(message);
  for (const id of actionIdsOf(r)) seenActionIds.add(id);
  return r;
};

// ---------------------------------------------------------------------------------------------------------------

describe('general messages', () => {
  it('help for a member and for a stranger lists the commands they may use', () => {
    const member = rendered('helpMessage', helpMessage(advertised, hannah));
    expectShows(member, ['Partnership Bot: what I can do', 'cycle status [number]', 'tasks', 'calendar [group <key>]', 'Case references only']);
    expect(member.teamsText).not.toContain('demo as');
    const stranger = rendered('helpMessage', helpMessage(advertised, undefined));
    expectShows(stranger, ['Partnership Bot: what I can do', 'whoami']);
  });

  it('whoami shows roles, agency and groups; a member with none says so', () => {
    const r = rendered('whoamiMessage', whoamiMessage(hannah));
    expectShows(r, ['Hannah Whitcombe', 'Warwickshire Safeguarding', 'Safeguarding Business Manager', 'Warwickshire County Council', 'Business manager; Partnership admin', 'Warwickshire Safeguarding Business Team', 'Chair', 'Safeguarding Reviews Subgroup']);
    const bare = rendered('whoamiMessage', whoamiMessage(newcomer));
    expectShows(bare, ['New Starter', 'None recorded', 'Member', 'Not in any group yet']);
  });

  it('a stranger is told who to ask and their platform id', () => {
    const teams = rendered('strangerMessage', strangerMessage({ platform: 'teams', userId: '29:1x', aadObjectId: 'aad-123' }, { partnershipName: 'Warwickshire Safeguarding', contacts: ['Hannah Whitcombe', 'Lee Watkins'] }));
    expectShows(teams, ["I don't know you yet", 'Ask Hannah Whitcombe or Lee Watkins at Warwickshire Safeguarding', 'aad-123']);
    const slack = rendered('strangerMessage', strangerMessage({ platform: 'slack', userId: 'U0STRANGER' }));
    expectShows(slack, ['Ask your partnership business manager', 'U0STRANGER']);
  });

  it('an unknown command suggests the closest one', () => {
    const r = rendered('unknownCommandMessage', unknownCommandMessage('taks', advertised));
    expectShows(r, ['Not a command I know', 'I don\'t know "taks". Did you mean tasks?', 'Type help for details.']);
  });

  it('a failure shows our own message for a BotError and a generic apology otherwise, never the internals', () => {
    const ours = rendered('failureMessage', failureMessage(forbidden("Only an admin or the cycle's lead can move dates in cycle #7.")));
    expectShows(ours, ["Only an admin or the cycle's lead can move dates in cycle #7."]);
    const theirs = rendered('failureMessage', failureMessage(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    expectShows(theirs, ['Sorry, something went wrong on our side and nothing was changed']);
    expect(theirs.teamsText + theirs.slackText + theirs.slack.text).not.toContain('ECONNREFUSED');
  });

  it('the Teams welcome says how to talk to the bot in each kind of conversation', () => {
    const wording: Record<TeamsScope, string> = { personal: 'Type help here', channel: '@mention me with help', groupChat: '@mention me with help' };
    for (const scope of Object.keys(wording) as TeamsScope[]) {
      const r = rendered('welcomeMessage', welcomeMessage(scope));
      expectShows(r, ['Hello from Partnership Bot', wording[scope]]);
    }
  });
});

describe('stage cards', () => {
  const owners = ['Mark done', 'Snooze 1 day', 'Snooze 3 days', 'Snooze 1 week', 'Ask for more time', 'Open cycle'];
  const escalation = ['Mark done', 'Ask for more time', 'Open cycle'];
  const headlines: Record<(typeof REMINDER_KINDS)[number], [string, Partial<StageView>]> = {
    opened: ['Now open: Month 3: feedback from service users, carers, families and practitioners', { workingDaysLeft: 21 }],
    before: ['Reminder: Month 3: feedback from service users, carers, families and practitioners is due in 5 working days', { workingDaysLeft: 5 }],
    due: ['Due today: Month 3: feedback from service users, carers, families and practitioners', { workingDaysLeft: 0, dueToday: true }],
    overdue: ['Overdue: Month 3: feedback from service users, carers, families and practitioners', { workingDaysLeft: -2 }],
    'escalate-chair': ['Escalation: Month 3: feedback from service users, carers, families and practitioners is 3 working days overdue', { workingDaysLeft: -3 }],
    'escalate-manager': ['Escalation to the business manager: Month 3: feedback from service users, carers, families and practitioners is 8 working days overdue', { workingDaysLeft: -8 }],
  };

  it.each(REMINDER_KINDS)('a %s reminder names the stage, cycle, owner, due date and what done means, with its buttons', (kind) => {
    const [headline, extra] = headlines[kind];
    const v = view({ name: 'Month 3: feedback from service users, carers, families and practitioners', dueOn: '2026-12-07' }, extra, { title: longTitle });
    const r = rendered('reminderCard', reminderCard(v, kind));
    const escalated = kind.startsWith('escalate');
    expectShows(r, [headline, '#7 Neglect and cumulative harm', 'Quality Learning and Improvement Hubs', 'Mon 7 Dec 2026', 'Done means: Scope, terms of reference'], escalated ? escalation : owners);
    expect(r.slack.blocks[0]).toMatchObject({ type: 'header' });
    expect(r.teamsText.includes('overdue and you chair the owning group'), 'escalation explains why you got it').toBe(escalated);
    expect(r.slack.text).toContain(headline.slice(0, 40));
  });

  it('every button carries the stage id (Open cycle the cycle id) on both platforms', () => {
    const v = view();
    const r = renderBoth(reminderCard(v, 'before'));
    const slackValues = slackButtonsOf(r.slack.blocks).map((b) => b.id);
    expect(slackValues).toEqual(['stage.done', 'stage.snooze.1d', 'stage.snooze.3d', 'stage.snooze.1w', 'stage.more-time', 'cycle.open']);
    const values = r.slack.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => (e as { value?: string }).value) : []));
    expect(values).toEqual([v.stage.id, v.stage.id, v.stage.id, v.stage.id, values[4], v.cycle.id]);
    // "Ask for more time" also carries which card it sits on, so Cancel gives that card back as it was.
    expect(readMoreTimeValue(values[4])).toEqual({ stageId: v.stage.id, card: { kind: 'before', title: 'Reminder: Month 1: initial scoping is due in 2 working days' } });
    expect(readMoreTimeValue(v.stage.id)).toEqual({ stageId: v.stage.id }); // a card sent before this still works
    expect(JSON.stringify(r.teams)).toContain(`"data":{"value":"${v.stage.id}"}`);
  });

  it('settled cards: done (by whom, when), cancelled, paused and moved, each with only "Open cycle"', () => {
    const done = view({ status: 'done', doneAt: new Date('2026-10-06T13:02:00Z'), doneById: 'm-priya' }, { doneByName: 'Priya Sandhu' });
    expectShows(rendered('settledStageCard', settledStageCard(done)), ['Done: Month 1: initial scoping', 'Done by Priya Sandhu, Tue 6 Oct, 14:02'], ['Open cycle']);
    const doneByUnknown = view({ status: 'done', doneAt: null });
    expectShows(rendered('settledStageCard', settledStageCard(doneByUnknown)), ['Done by a member'], ['Open cycle']);

    const cancelled = view({ status: 'cancelled' }, {}, { status: 'cancelled' });
    expectShows(rendered('currentStageCard', currentStageCard(cancelled)), ['Update: Month 1: initial scoping', 'Cycle cancelled: no further reminders'], ['Open cycle']);
    const paused = view({ status: 'open' }, {}, { status: 'paused' });
    expectShows(rendered('currentStageCard', currentStageCard(paused)), ['Update: Month 1: initial scoping', 'Cycle paused: reminders resume when it restarts'], ['Open cycle']);
    const completedCycle = view({ status: 'done', doneAt: new Date('2026-10-06T13:02:00Z') }, { doneByName: 'Priya Sandhu' }, { status: 'completed' });
    expectShows(rendered('currentStageCard', currentStageCard(completedCycle)), ['Done by Priya Sandhu'], ['Open cycle']);
  });

  it('a moved (or resumed) stage that is still open stays actionable and says its new date (or that it resumed)', () => {
    const moved = view({ dueOn: '2026-11-20' }, { workingDaysLeft: 34 });
    const r = rendered('currentStageCard', currentStageCard(moved));
    expectShows(r, ['Due date changed: Month 1: initial scoping is now due Fri 20 Nov 2026', 'due in 34 working days'], owners);
    const resumed = rendered('currentStageCard', currentStageCard(view({}, { workingDaysLeft: 3 }), 'resumed'));
    expectShows(resumed, ['Resumed: Month 1: initial scoping is due in 3 working days', 'Wed 7 Oct 2026'], owners);
    expect(resumed.teamsText).not.toContain('Due date changed');
    const pending = view({ status: 'pending', dueOn: '2026-11-20' }, { workingDaysLeft: 34 });
    expectShows(rendered('currentStageCard', currentStageCard(pending)), ['is now due Fri 20 Nov 2026'], owners);
  });
});

describe('cycle status, list and tasks', () => {
  it('a six-stage status card with long titles shows every stage, owner, due date and state, and the progress line', () => {
    const { cycle, views } = sixStages();
    const r = rendered('cycleStatusCard', cycleStatusCard(cycle, views, 'Hannah Whitcombe'));
    expectShows(r, [
      'Strategic focus review',
      'Hannah Whitcombe',
      'Mon 7 Sept 2026',
      'Active',
      '1. Month 1: initial scoping',
      'done by Priya Sandhu',
      '2. Month 2: single- and multi-agency audits',
      'Quality Learning and Improvement Hubs · due Mon 9 Nov 2026',
      'Overdue',
      '3. Month 3: feedback from service users, carers, families and practitioners',
      'Due soon',
      '4. Month 4: recommendations, learning and key messages',
      'Open',
      '5. Six-month impact analysis',
      'Warwickshire Safeguarding Business Team · due Mon 9 Aug 2027',
      'Not open yet',
      '6. Twelve-month impact analysis',
      'Cancelled',
      'Progress: 1 of 6 stages done, 1 overdue.',
    ]);
    // The title is longer than a Slack header allows: it is cut with an ellipsis, not rejected; Teams wraps it whole.
    const header = r.slack.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe('header');
    expect(header.text.text.startsWith('Cycle #7: Neglect and cumulative harm')).toBe(true);
    expect(header.text.text.endsWith('…')).toBe(true);
    expect(r.teamsText).toContain(`Cycle #7: ${longTitle}`);
  });

  it("a cycle's agenda items: on the status card (standing ones marked) and on its first stage's opening card only", () => {
    const agenda = [
      { id: 'ai-1', title: 'Learning from dispute #3: thresholds for strategy discussions', standing: false },
      { id: 'ai-2', title: 'Review the risk register', standing: true },
    ];
    const { cycle, views } = sixStages('Short');
    expectShows(rendered('cycleStatusCard', cycleStatusCard(cycle, views, 'Hannah Whitcombe', agenda)), ['Agenda items', 'Learning from dispute #3: thresholds for strategy discussions', 'Review the risk register', 'Standing item']);
    expect(renderBoth(cycleStatusCard(cycle, views, 'Hannah Whitcombe')).teamsText).not.toContain('Agenda items');

    const first = view({ status: 'open' }, { workingDaysLeft: 21, agenda });
    const owners = ['Mark done', 'Snooze 1 day', 'Snooze 3 days', 'Snooze 1 week', 'Ask for more time', 'Open cycle'];
    expectShows(rendered('reminderCard', reminderCard(first, 'opened')), ['On the agenda: Learning from dispute #3: thresholds for strategy discussions; Review the risk register (standing item)'], owners);
    expect(renderBoth(reminderCard(first, 'before')).teamsText).not.toContain('On the agenda');
    expect(renderBoth(reminderCard({ ...first, agenda: [] }, 'opened')).teamsText).not.toContain('On the agenda');
  });

  it('a status card with no lead says None', () => {
    const { cycle, views } = sixStages('Short');
    expectShows(rendered('cycleStatusCard', cycleStatusCard({ ...cycle, status: 'paused' }, views, undefined)), ['Cycle #7: Short', 'None', 'Paused']);
  });

  it('the cycle list with no cycles says how to start one; with 30 it lists every one within Slack limits', () => {
    expectShows(rendered('cycleListMessage', cycleListMessage([])), ['No cycles yet', 'cycle start <plan> "<title>"']);
    const rows = Array.from({ length: 30 }, (_, i) => ({
      cycle: cycleRow({ number: 30 - i, title: `${longTitle} ${30 - i}`, status: i % 3 === 0 ? 'active' : i % 3 === 1 ? 'completed' : 'cancelled' }),
      progress: `${i % 7} of 6 stages done`,
    }));
    const r = rendered('cycleListMessage', cycleListMessage(rows));
    expect(r.slack.text).toBe('30 cycles');
    expectShows(r, ['Cycles', '#30 Neglect and cumulative harm', '#1 Neglect and cumulative harm', 'Strategic focus review · 0 of 6 stages done', 'cycle status <number>']);
    expect(r.slack.blocks.length).toBeLessThanOrEqual(50);
    expect(r.slackText).not.toContain('more');
  });

  it('tasks: none says nothing is due; 60 shows the soonest first and says how many more were left out', () => {
    expectShows(rendered('tasksMessage', tasksMessage([])), ['Your tasks', 'Nothing is due for you right now.']);
    const days = (i: number) => DateTime.fromISO('2026-10-07').plus({ days: i }).toISODate()!;
    const views = Array.from({ length: 60 }, (_, i) => view({ name: `Stage ${i + 1} of a long plan`, dueOn: days(i) }, { workingDaysLeft: i, dueToday: i === 0 }));
    const r = rendered('tasksMessage', tasksMessage(views));
    expectShows(r, ['Your tasks', 'Stage 1 of a long plan', '#7 Neglect focus review · due Wed 7 Oct 2026 (due today)', 'Stage 2 of a long plan', 'due in 1 working day)']);
    expect(r.slack.text).toContain('60 stages waiting for you');
    expect(r.slack.blocks.length).toBe(50);
    expect(r.slackText).toMatch(/…and \d+ more/);
    expect(r.teamsText).toContain('…and 10 more');
  });
});

describe('more time', () => {
  const cycle = cycleRow({ title: longTitle });
  it('the request to the chair shows who asks, the dates and the reason, with Approve and Decline', () => {
    const r = rendered(
      'extensionRequestCard',
      extensionRequestCard({ requestId: 'x-1', stageName: 'Month 2: single- and multi-agency audits', cycle, requesterName: 'Priya Sandhu', currentDueOn: '2026-11-09', proposedDueOn: '2026-11-20', reason: 'Two agencies have not yet returned their audits (refs CR-12, CR-19). '.repeat(6), zone }),
    );
    expectShows(r, ['More time requested: Month 2: single- and multi-agency audits', 'Priya Sandhu', 'Mon 9 Nov 2026', 'Fri 20 Nov 2026', 'Reason: Two agencies'], ['Approve', 'Decline']);
  });

  it.each([true, false])('the decided card (approved: %s) says who decided and what happens to the date, with no buttons', (approved) => {
    const r = rendered(
      'extensionDecidedCard',
      extensionDecidedCard({ stageName: 'Month 2: single- and multi-agency audits', cycle, requesterName: 'Priya Sandhu', proposedDueOn: '2026-11-20', approved, deciderName: 'Gillian Ashworth', decidedAt: 'Tue 3 Nov, 10:15', zone }),
    );
    expectShows(
      r,
      approved
        ? ['More time approved: Month 2', 'Approved by Gillian Ashworth, Tue 3 Nov, 10:15', 'now due Fri 20 Nov 2026']
        : ['More time declined: Month 2', 'Declined by Gillian Ashworth, Tue 3 Nov, 10:15', 'The due date stays as it was.'],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Messages and forms built inside the command and button handlers

const clock = new ManualClock(now);
// The few reads the cycle commands and forms make beyond the stubbed modules: no timer is pending, no request waits.
const pendingRequests: unknown[] = [];
const fakeDb = { timer: { findUnique: async () => null }, extensionRequest: { findFirst: async () => null, findMany: async () => pendingRequests } } as unknown as Db;
const deps: CycleDeps = { db: fakeDb, clock, logger: console as never, platforms: { slack: true, teams: true } as never, publicUrl: 'https://bot.example.org', syncTimers: async () => {}, pushOutbox: async () => {}, requeueOutbox: async () => {} };
const commands = new Map<string, CommandHandler>();
const interactions = new InteractionRouter({ db: {} as Db, clock, resolveMemberId: async () => 'm-hannah' });

beforeAll(() => {
  const parts = cyclesFeature.install(deps);
  for (const [name, command] of Object.entries(parts.commands)) commands.set(name, typeof command === 'function' ? command : command.handler);
  for (const [id, handler] of Object.entries(parts.actions ?? {})) interactions.onAction(id, handler);
  for (const [id, handler] of Object.entries(parts.forms ?? {})) interactions.onForm(id, handler);
  stubs.cycle = cycleRow();
  stubs.doneView = view({ status: 'done', doneAt: new Date('2026-10-06T13:02:00Z'), doneById: 'm-priya' }, { doneByName: 'Priya Sandhu' });
  stubs.profile = hannah;
});

async function command(text: string): Promise<Message> {
  const [name, ...args] = text.split(' ');
  const result: CommandResult = await commands.get(name!)!({ identity: { platform: 'teams', userId: '29:h', aadObjectId: hannah.teamsAadObjectId }, profile: hannah, args, now });
  expect(result.kind).toBe('reply');
  return (result as { message: Message }).message;
}

async function press(actionId: string, value: string): Promise<ActionResult> {
  return interactions.runAction({ platform: 'teams', userId: '29:h', aadObjectId: hannah.teamsAadObjectId }, actionId, value);
}

describe('command replies built inline', () => {
  it('`cycle` alone shows the usage of every subcommand', async () => {
    const r = renderBoth(await command('cycle'));
    expectShows(r, ['cycle: commands', 'cycle start <plan> "<title>" [start date] [lead]', 'cycle status [number]', 'cycle list', 'cycle move <number> <stage> <date>', 'cycle pause | resume | cancel <number>']);
  });

  it('`cycle start` success names the cycle and its first stage', async () => {
    const r = renderBoth(await command('cycle start focus-review Neglect'));
    expectShows(r, ['Started cycle #7 "Neglect focus review" (Strategic focus review) with 1 stage. First: Month 1: initial scoping, due Wed 7 Oct 2026.']);
  });

  it('pausing confirms and offers an undo button; cancelling asks first with a danger button', async () => {
    const paused = renderBoth(await command('cycle pause 7'));
    expectShows(paused, ['Paused cycle #7. No reminders go out until it is resumed; due dates stay as they are.'], ['Undo: resume now']);
    for (const id of actionIdsOf(paused)) seenActionIds.add(id);
    const cancel = renderBoth(await command('cycle cancel 7'));
    expectShows(cancel, ['Cancel cycle 7? Every reminder stops and this cannot be undone.'], ['Yes, cancel the cycle']);
    for (const id of actionIdsOf(cancel)) seenActionIds.add(id);
    expect(cancel.slack.blocks.some((b) => b.type === 'actions' && b.elements.some((e) => (e as { style?: string }).style === 'danger'))).toBe(true);
    expect(JSON.stringify(cancel.teams)).toContain('"style":"destructive"');
  });

  it('`requests` says there is nothing to decide, or lists each request with Approve and Decline (the oldest ten, within Slack limits)', async () => {
    pendingRequests.length = 0;
    expectShows(renderBoth(await command('requests')), ['Nothing to decide: no requests for more time are waiting for you.']);
    for (let i = 1; i <= 12; i++) {
      pendingRequests.push({
        id: `x-${i}`,
        status: 'pending',
        approverId: 'm-gillian',
        requestedById: 'm-priya',
        proposedDueOn: '2026-10-21',
        reason: `Two agencies have not yet returned their audits (${i})`,
        requestedBy: { displayName: 'Priya Sandhu' },
        stage: { ...stageRow({ name: `Month ${i}: audits` }), cycle: cycleRow() },
      });
    }
    const listed = renderBoth(await command('requests'));
    expectShows(
      listed,
      ['Requests for more time', '12 requests for more time waiting for your decision.', 'Month 1: audits', 'Priya Sandhu', 'Wed 7 Oct 2026', 'Wed 21 Oct 2026', 'Two agencies have not yet returned their audits (10)', 'The oldest 10 are shown'],
      Array.from({ length: 10 }, () => ['Approve', 'Decline']).flat(),
    );
    expect(listed.slackText).not.toContain('Month 11: audits');
    for (const id of actionIdsOf(listed)) seenActionIds.add(id);

    // Approve pressed on the list: the list itself is redrawn, the decided request with its outcome and no buttons.
    const approve = listed.slack.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e) => (e as { action_id?: string }).action_id?.startsWith(requestListActions.approve)) as { value: string };
    pendingRequests.splice(10);
    Object.assign(pendingRequests[0]!, { status: 'approved', decidedBy: { displayName: 'Gillian Ashworth' }, decidedAt: new Date('2026-10-06T13:02:00Z') });
    const pressed = await press(requestListActions.approve, approve.value);
    expect(pressed.kind).toBe('card');
    const redrawn = rendered('requestListNow', (pressed as { card: Message }).card);
    expectShows(redrawn, ['9 requests for more time waiting for your decision.', 'Month 1: audits', 'Approved by Gillian Ashworth, Tue 6 Oct, 14:02. Now due Wed 21 Oct 2026.', 'Month 2: audits'], Array.from({ length: 9 }, () => ['Approve', 'Decline']).flat());
    expect(redrawn.slackText).not.toContain('The oldest 10 are shown');
    expectShows(renderBoth((pressed as { notice: Message }).notice), ['Approved: "Month 1: initial scoping" has its new due date, and its reminders now count down to the new date.']);
    pendingRequests.length = 0;
  });

  it('`calendar` replies with the private link (also for a group) and `calendar revoke` confirms', async () => {
    const mine = renderBoth(await command('calendar'));
    expectShows(mine, ['Your private calendar link', 'Subscribe to your deadlines in Outlook', 'https://bot.example.org/calendar/', '.ics', 'calendar revoke switches it off']);
    expect(mine.slack.text).toMatch(/https:\/\/bot\.example\.org\/calendar\/[A-Za-z0-9_-]{40,}\.ics/);
    const group = renderBoth(await command('calendar group quality-learning-improvement-hubs'));
    expectShows(group, ['Subscribe to Quality Learning and Improvement Hubs deadlines']);
    expectShows(renderBoth(await command('calendar group')), ['Say which group, e.g. calendar group business-team.']);
    expectShows(renderBoth(await command('calendar revoke')), ['Revoked 2 calendar links. Calendars subscribed to them stop updating.']);
  });
});

describe('button results built inline', () => {
  it('Mark done turns the card into "Done by …" with "Add a note" and "Open cycle"', async () => {
    const result = await press(stageActions.done, 'stage-1');
    expect(result.kind).toBe('card');
    const r = renderBoth((result as { card: Message }).card);
    expectShows(r, ['Done: Month 1: initial scoping', 'Done by Priya Sandhu, Tue 6 Oct, 14:02'], ['Add a note', 'Open cycle']);
    for (const id of actionIdsOf(r)) seenActionIds.add(id);
  });

  it('snooze, approve and decline answer privately in a card both platforms accept', async () => {
    const snoozed = await press(stageActions.snooze1d, 'stage-1');
    expect(snoozed.kind).toBe('notice');
    expectShows(renderBoth((snoozed as { message: Message }).message), ['Snoozed: no reminders about this stage to you until Thu 8 Oct, 09:30. The due date stays Wed 7 Oct 2026.']);
    const approved = await press(extensionActions.approve, 'x-1');
    expectShows(renderBoth((approved as { message: Message }).message), ['Approved: "Month 1: initial scoping" has its new due date']);
    const declined = await press(extensionActions.decline, 'x-1');
    expectShows(renderBoth((declined as { message: Message }).message), ['Declined: "Month 1: initial scoping" keeps its due date.']);
  });
});

describe('forms', () => {
  it('"Ask for more time" opens the form from the button, blank, with errors, and with what was typed kept', async () => {
    const opened = await press(stageActions.moreTime, 'stage-1');
    expect(opened.kind).toBe('form');
    const form = (opened as { form: Form }).form;
    // A platform reads a submission back with the form rebuilt from its state alone: the same fields.
    expect(form.fields.map((f) => f.id)).toEqual((await interactions.formFor(stageForms.moreTime, 'stage-1'))!.fields.map((f) => f.id));
    const blank = renderFormBoth(form);
    // The stage and its due date are named; dates to pick are written en-GB, never as a date picker shows them.
    for (const text of ['Ask for more time', 'Send request', 'Month 1: initial scoping', 'is due Wed 7 Oct 2026', 'New due date', 'Thu 8 Oct 2026', 'Why more time is needed']) {
      expect(blank.teamsText).toContain(text);
      expect(blank.slackText).toContain(text);
    }
    expect(blank.slackText).not.toContain('Sat 10 Oct 2026');
    expect(JSON.stringify(blank.teams)).not.toContain('Input.Date');
    // Teams gets a Cancel that sends nothing typed; a Slack modal has its own.
    expect(JSON.stringify(blank.teams)).toMatch(/"title":"Cancel","verb":"form:stage.more-time","associatedInputs":"none"/);
    expect((blank.slack['close'] as Json)['text']).toBe('Cancel');
    expect(blank.slack['private_metadata']).toBe((stubs.doneView as StageView).stage.id);

    const values = { proposedDueOn: '2026-10-21', reason: 'Two agencies have not returned their audits yet.' };
    const errors = { proposedDueOn: 'Pick a date after the current due date, Wed 7 Oct 2026.', reason: 'Say briefly why more time is needed.' };
    const withErrors = renderFormBoth(form, { values, errors });
    expect(withErrors.teamsText).toContain(errors.proposedDueOn);
    expect(withErrors.teamsText).toContain(errors.reason);
    expect(JSON.stringify(withErrors.teams)).toContain('"value":"2026-10-21"');
    expect(JSON.stringify(withErrors.teams)).toContain(values.reason);
    // Slack shows errors through the response to the submission, keyed by the blocks the modal has.
    const slackErrors = slackFieldErrors(errors).errors;
    const blockIds = (withErrors.slack['blocks'] as Json[]).map((b) => b['block_id']).filter(Boolean);
    expect(Object.keys(slackErrors).every((id) => blockIds.includes(id))).toBe(true);
    expect(JSON.stringify(withErrors.slack)).toContain('"initial_option":{"text":{"type":"plain_text","text":"Wed 21 Oct 2026"');
    expect(JSON.stringify(withErrors.slack)).toContain(values.reason);
  });

  it('"Ask for more time" drawn without its data (the database away) still shows the date that was picked', async () => {
    covered.add('withTypedChoices');
    const shell = (await interactions.formFor(stageForms.moreTime, 'stage-1'))!;
    const values = { proposedDueOn: '2026-10-21', reason: 'Two agencies have not returned their audits yet.' };
    const kept = renderFormBoth(withTypedChoices(shell, values), { values });
    expect(JSON.stringify(kept.teams)).toContain('"value":"2026-10-21"');
    expect(JSON.stringify(kept.slack)).toContain('"initial_option":{"text":{"type":"plain_text","text":"2026-10-21"');
    expect(kept.teamsText).toContain(values.reason);
  });

  it('"Add a note" opens the note form, blank and with a value and an error', async () => {
    const opened = await press(stageActions.addNote, 'stage-1');
    const form = (opened as { form: Form }).form;
    expect(form).toEqual(await interactions.formFor(stageForms.note, 'stage-1'));
    const blank = renderFormBoth(form);
    for (const text of ['Add a note', 'Save note', 'Note']) {
      expect(blank.teamsText).toContain(text);
      expect(blank.slackText).toContain(text);
    }
    const long = 'CR-12: chronology received. '.repeat(60);
    const withError = renderFormBoth(form, { values: { note: long }, errors: { note: 'Write the note, or close this form.' } });
    expect(withError.teamsText).toContain('Write the note, or close this form.');
    expect(Object.keys(slackFieldErrors({ note: 'x' }).errors)).toEqual(['note']);
  });

  it('every form the cycles feature registers is one of the forms above', async () => {
    expect(Object.values(stageForms).sort()).toEqual(['stage.more-time', 'stage.note']);
    for (const id of Object.values(stageForms)) expect(await interactions.formFor(id, 'stage-1')).toBeDefined();
  });
});

describe('paged forms (src/forms)', () => {
  it('a page with a notice, the review page and the "Open form" button render on both platforms', () => {
    const view = { formKey: 'toy.return', title: 'Toy return', subject: 'toy:r1', values: { summary: 'Audited', lead: 'm1' }, version: 2 };
    const pages = [
      { title: 'About training', fields: [{ kind: 'longText' as const, id: 'summary', label: 'Summary', required: true }] },
      { title: 'Who leads', fields: [{ kind: 'member' as const, id: 'lead', label: 'Lead', options: [{ value: 'm1', label: 'Sam Patel (Police)' }] }] },
    ];
    covered.add('pageForm');
    const page = renderFormBoth(pageForm({ ...view, pages, page: 1, notice: { text: 'Changed by Tom Ashdown at 14:02: your page was not saved.', tone: 'warning', reload: { label: 'Reload' } } }));
    for (const text of ['Step 2 of 3', 'Who leads', 'Changed by Tom Ashdown at 14:02', 'Reload', 'Back']) expect(page.teamsText).toContain(text);
    const review = renderFormBoth(pageForm({ ...view, pages, page: 2 }));
    for (const text of ['Step 3 of 3', 'Check your answers', 'Summary', 'Audited', 'Sam Patel (Police)']) {
      expect(review.teamsText).toContain(text);
      expect(review.slackText).toContain(text);
    }
    const button = rendered('openFormMessage', openFormMessage(pageForm({ ...view, pages, page: 0 })));
    expectShows(button, ['Toy return: press Open form to fill it in.'], ['Open form']);
  });
});

describe('per-agency return cards', () => {
  const progress = {
    total: 3,
    returned: 2,
    agencies: [
      { returnId: 'r-1', agencyKey: 'council', agencyName: 'Warwickshire County Council', status: 'returned' as const, method: 'form' },
      { returnId: 'r-2', agencyKey: 'police', agencyName: 'Warwickshire Police', status: 'returned' as const, method: 'secure-email' },
      { returnId: 'r-3', agencyKey: 'health', agencyName: 'South Warwickshire University NHS Foundation Trust', status: 'awaited' as const, method: null },
    ],
  };
  const spec = { from: { kind: 'all' as const }, as: 'form' as const, figures: [{ key: 'referrals', label: 'Referrals received this quarter' }], narrative: true };
  const ret = (status: 'awaited' | 'returned' | 'missing', method: string | null = null) => ({
    id: 'r-3', stageId: 'stage-1', agencyId: 'a-3', agencyKey: 'health', agencyName: 'South Warwickshire University NHS Foundation Trust',
    status, method, returnedAt: status === 'returned' ? new Date('2026-10-06T13:02:00Z') : null, returnedById: status === 'returned' ? 'm-1' : null,
  });
  const returnView = (status: 'awaited' | 'returned' | 'missing', extra: Partial<StageView> = {}, method: string | null = null) =>
    ({ ret: ret(status, method), spec, stage: view({ name: 'Quarterly dataset with narrative', dueOn: '2026-12-07' }, { returns: progress, ...extra }), returnedByName: 'Priya Sandhu' });

  it('the ask, reminders and chasers go to the leads with Submit return and Sent by secure email; escalations say why', () => {
    const ask = rendered('returnCard', returnCard(returnView('awaited', { workingDaysLeft: 10 }), 'opened'));
    expectShows(ask, ['Return needed: Quarterly dataset with narrative from South Warwickshire University NHS Foundation Trust', '2 of 3 returned; waiting for South Warwickshire University NHS Foundation Trust', 'Press Submit return'], ['Submit return', 'Sent by secure email', 'Open cycle']);
    const overdue = rendered('returnCard', returnCard(returnView('awaited', { workingDaysLeft: -1 }), 'overdue'));
    expectShows(overdue, ["Overdue: South Warwickshire University NHS Foundation Trust's return for Quarterly dataset with narrative"], ['Submit return', 'Sent by secure email', 'Open cycle']);
    const rep = rendered('returnCard', returnCard(returnView('awaited', { workingDaysLeft: -2 }), 'escalate-representative'));
    expectShows(rep, ['is 2 working days overdue', 'you represent the agency on the board'], ['Submit return', 'Sent by secure email', 'Open cycle']);
    const owner = rendered('returnCard', returnCard(returnView('awaited', { workingDaysLeft: -4 }), 'escalate-owner'));
    expectShows(owner, ['Escalation to the stage owner', 'you own the stage'], ['Open cycle']);
    const emailOnly = rendered('returnCard', returnCard({ ...returnView('awaited'), spec: { ...spec, as: 'secure-email', figures: [], narrative: false } }, 'due'));
    expectShows(emailOnly, ['Send it by secure email as agreed'], ['Sent by secure email', 'Open cycle']);
  });

  it('settled: returned by form or secure email, or recorded missing; the owner is asked before closing with returns missing', () => {
    expectShows(rendered('settledReturnCard', settledReturnCard(returnView('returned', {}, 'secure-email'))), ['Returned by secure email by Priya Sandhu'], ['Open cycle']);
    expectShows(rendered('settledReturnCard', settledReturnCard(returnView('missing'))), ['Not returned: recorded as missing when the stage was closed'], ['Open cycle']);
    const close = rendered('closeWithMissingCard', closeWithMissingCard(view({ name: 'Quarterly dataset with narrative' }, { returns: progress })));
    expectShows(close, ['Close it anyway?', 'South Warwickshire University NHS Foundation Trust'], ['Close with 1 missing', 'Open cycle']);
    const status = rendered('cycleStatusCard', cycleStatusCard(cycleRow(), [view({ name: 'Quarterly dataset with narrative' }, { returns: progress })], 'Hannah Whitcombe'));
    expectShows(status, ['Returns for Quarterly dataset with narrative: 2 of 3', 'Warwickshire Police', 'by secure email', 'not returned yet']);
  });

  it('after a pause, resume or cancel: paused keeps the buttons, resumed asks again, cancelled settles; `tasks` lists the return with how to send it', () => {
    const awaited = (cycle: Partial<CycleRow>, stage: Partial<StageRow> = {}) =>
      ({ ...returnView('awaited'), stage: view({ name: 'Quarterly dataset with narrative', dueOn: '2026-12-07', ...stage }, { returns: progress, workingDaysLeft: 10 }, cycle) });
    const paused = rendered('currentReturnCard', currentReturnCard(awaited({ status: 'paused' }), 'moved'));
    expectShows(paused, ["Paused: South Warwickshire University NHS Foundation Trust's return for Quarterly dataset with narrative", 'The return can still be sent.'], ['Submit return', 'Sent by secure email', 'Open cycle']);
    const resumed = rendered('currentReturnCard', currentReturnCard(awaited({ status: 'active' }), 'resumed'));
    expectShows(resumed, ["Resumed: South Warwickshire University NHS Foundation Trust's return for Quarterly dataset with narrative is due in 10 working days"], ['Submit return', 'Sent by secure email', 'Open cycle']);
    const moved = rendered('currentReturnCard', currentReturnCard(awaited({ status: 'active' }), 'moved'));
    expectShows(moved, ['is now due Mon 7 Dec 2026'], ['Submit return', 'Sent by secure email', 'Open cycle']);
    const cancelled = rendered('currentReturnCard', currentReturnCard(awaited({ status: 'cancelled' }, { status: 'cancelled' }), 'moved'));
    expectShows(cancelled, ['Cycle cancelled: no return needed'], ['Open cycle']);
    expect(cancelled.slackText + cancelled.teamsText).not.toContain('Submit return');

    const tasks = rendered('tasksMessage', tasksMessage([view({ name: 'Month 1: initial scoping', dueOn: '2026-12-08' })], [awaited({ status: 'active' })]));
    expectShows(tasks, ["Quarterly dataset with narrative: your agency's return (South Warwickshire University NHS Foundation Trust)", 'due Mon 7 Dec 2026 (due in 10 working days) · send it with Submit return on its card, or Sent by secure email', 'Month 1: initial scoping']);
    expect(tasks.slack.text).toBe('1 stage and 1 return waiting for you');
    expect(tasks.teamsText.indexOf('your agency\'s return')).toBeLessThan(tasks.teamsText.indexOf('Month 1: initial scoping'));
  });

  it('the return form asks for each figure and the narrative', () => {
    covered.add('returnForm');
    const form = renderFormBoth(returnForm(encodeReturnFormState('r-3', spec), 'South Warwickshire University NHS Foundation Trust'));
    for (const text of ['Submit return', 'South Warwickshire University NHS Foundation Trust: figures and a short narrative', 'Referrals received this quarter', 'Narrative', 'Case references only']) {
      expect(form.teamsText).toContain(text);
      expect(form.slackText).toContain(text);
    }
  });
});

describe('recurring plans: the schedule and what admins change', () => {
  const zone = 'Europe/London';
  const now = DateTime.fromISO('2027-01-04T10:00:00Z');
  const occurrence = { id: 'o-1', planKey: 'subgroup-meeting', groupKey: 'pqa', occursOn: '2027-01-12', movedTo: null, startsAt: new Date('2027-01-05T09:30:00Z') };

  it('`cycle schedule` lists each date with when its cycle starts, skipped and moved ones, and paused plans', () => {
    const r = rendered('scheduleListMessage', scheduleListMessage({
      heading: 'Coming dates of recurring plans',
      dates: [
        { planKey: 'subgroup-meeting', planName: 'Subgroup meeting', groupName: 'PQA', date: '2027-01-12', state: { kind: 'starts', at: new Date('2027-01-05T09:30:00Z') } },
        { planKey: 'executive-meeting', planName: 'Executive meeting', date: '2027-01-21', movedFrom: '2027-01-14', state: { kind: 'skipped', why: 'by Hannah Whitcombe' } },
        { planKey: 'annual-report', planName: 'Annual report', date: '2027-09-30', state: { kind: 'paused' } },
      ],
      paused: ['annual-report'],
    }, zone));
    expectShows(r, [
      'Coming dates of recurring plans (next 3).', 'Tue 12 Jan 2027 · Subgroup meeting (PQA)', 'cycle starts Tue 5 Jan 2027, 09:30',
      'skipped by Hannah Whitcombe, moved from Thu 14 Jan 2027', 'paused: will not start until the plan is resumed', 'Paused: annual-report. Type cycle resume <plan> to restart.',
    ]);
    expectShows(rendered('noRecurringPlansMessage', noRecurringPlansMessage()), ['No plan recurs yet, so nothing starts by itself.']);
  });

  it('skip offers Undo; unskip, reschedule, pause and resume confirm in words', () => {
    expectShows(rendered('skippedMessage', skippedMessage(occurrence, zone)), ['Skipped Tue 12 Jan 2027 of subgroup-meeting for pqa: its cycle will not start.'], ['Undo: bring it back']);
    expectShows(rendered('restoredMessage', restoredMessage(occurrence, zone, now)), ['Brought back Tue 12 Jan 2027 of subgroup-meeting: its cycle starts Tue 5 Jan, 09:30.']);
    expectShows(rendered('rescheduledMessage', rescheduledMessage({ ...occurrence, movedTo: '2027-01-19', from: '2027-01-12' }, zone, now)), ['Moved subgroup-meeting from Tue 12 Jan 2027 to Tue 19 Jan 2027. Its cycle starts Tue 5 Jan, 09:30.'], ['Undo: move it back']);
    expectShows(rendered('planPausedMessage', planPausedMessage('subgroup-meeting')), ['Paused subgroup-meeting: none of its dates start until you type cycle resume subgroup-meeting.']);
    expectShows(rendered('planResumedMessage', planResumedMessage('subgroup-meeting', ['2027-01-12'], zone)), ['Resumed subgroup-meeting. Skipped while paused: Tue 12 Jan 2027.']);
  });
});

describe('action logs', () => {
  const calendar = new WorkingCalendar({ zone: 'Europe/London' });
  const zone = 'Europe/London';
  const now = DateTime.fromISO('2027-03-08T10:00:00Z'); // Monday
  const action: ActionView = {
    id: 'a-1', partnershipId: 'p-1', number: 3, title: 'Re-audit the strategy discussions', dueOn: '2027-03-05', status: 'open',
    group: { id: 'g-1', key: 'pqa', name: 'Performance and Quality Assurance' }, owner: { id: 'm-1', name: 'Helen Ashby' },
  };

  it('the list marks overdue actions, or says there are none', () => {
    const listed = rendered('actionListCard', actionListCard('Open actions: PQA', 'No open actions.', [action, { ...action, id: 'a-2', number: 4, dueOn: '2027-03-12' }], now, calendar, 'owner', 'actions done <number> when one is done.'));
    expectShows(listed, ['2 open actions, 1 overdue.', '#3 Re-audit the strategy discussions', 'Helen Ashby · due Fri 5 Mar 2027 (1 working day overdue)', 'due in 4 working days', 'actions done <number> when one is done.']);
    expectShows(renderBoth(actionListCard('Open actions: PQA', 'No open actions.', [], now, calendar, 'owner', 'hint')), ['No open actions.']);
  });

  it('a new action, done and reopened cards, each with the facts', () => {
    expectShows(rendered('newActionCard', newActionCard(action, 'Sharon Doyle', zone)), ['New action for you: #3', 'Sharon Doyle added this to the Performance and Quality Assurance action log', 'Helen Ashby'], ['Mark done']);
    expectShows(rendered('doneCard', doneCard({ ...action, status: 'done', doneBy: { name: 'Helen Ashby', at: new Date('2027-03-08T10:05:00Z') } }, zone)), ['Action #3: done', 'Done by Helen Ashby, Mon 8 Mar, 10:05.']);
    expectShows(rendered('reopenedCard', reopenedCard(action, 'Sharon Doyle', zone)), ['Action #3 is open again', 'Sharon Doyle undid "done"'], ['Mark done']);
  });
});

describe('admin: messages that could not be delivered', () => {
  const letter = (i: number) => ({ id: `o-${i}`, failedAt: new Date('2027-03-08T10:05:00Z'), to: 'channel C0GONE', kind: 'a card about a stage', why: 'the channel no longer exists, or the bot is not in it' });

  it('the list, with Retry for each and Retry all, and "and N more" past the cap', () => {
    const list = rendered('deadLetterListCard', deadLetterListCard([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(letter), 14, 'Europe/London'));
    expectShows(list, ['14 messages could not be delivered', '#1 A card about a stage to channel C0GONE', 'Mon 8 Mar 2027, 10:05: the channel no longer exists', '…and 4 more'], [...Array.from({ length: 10 }, (_, i) => `Retry #${i + 1}`), 'Retry all']);
    expectShows(renderBoth(deadLetterListCard([], 0, 'Europe/London')), ['nothing is waiting to be retried']);
  });

  it('the confirmation of a retry', () => {
    expectShows(rendered('retriedMessage', retriedMessage(3)), ['Retrying 3 messages now.']);
    expectShows(renderBoth(retriedMessage(0)), ['Nothing to retry']);
  });
});

describe('disputes and the risk register', () => {
  const calendar = new WorkingCalendar({ zone: 'Europe/London' });
  const now = DateTime.fromISO('2026-11-16T10:00', { zone: 'Europe/London' }); // Monday
  const stages = [...DEFAULT_DISPUTE_POLICY.stages]; // 5 working days each, then 28 calendar days with the chair
  // Raising a dispute keeps the limits it runs to: an urgent one's stages before the chair's have the urgent limit.
  const urgentStages = stages.map((s, i) => (i < stages.length - 1 ? { ...s, limit: { workingDays: 1 } } : s));
  const sam = { id: 'm-sam', name: 'Sam Patel', agency: 'Warwickshire Police' };
  const jo = { id: 'm-jo', name: 'Jo Carter', agency: 'Warwickshire County Council' };
  const gillian = { id: 'm-gillian', name: 'Gillian Ashworth' };

  /** Dispute #3 at stage 2 (line managers), which started Tue 10 Nov: its five working days end Tue 17 Nov. */
  function dispute(overrides: Partial<DisputeView> = {}): DisputeView {
    return {
      id: 'd0a80101-0000-4000-8000-000000000003',
      partnershipId: 'p-warwickshire',
      number: 3,
      subject: 'Threshold decision on a referral for a strategy discussion',
      tried: 'The practitioners talked it through on 3 Nov; the line managers met on 11 Nov without agreeing.',
      outcomeSought: 'A strategy discussion is convened for the case this week.',
      caseRef: 'CR-2031',
      urgent: false,
      raisedAt: new Date('2026-11-02T09:15:00Z'),
      status: 'open',
      stages,
      stageIndex: 1,
      stageStartedAt: new Date('2026-11-10T09:30:00Z'),
      stageDueOn: '2026-11-17',
      raisedBy: sam,
      otherParty: jo,
      chair: undefined,
      chairAck: undefined,
      jointMeetingOn: undefined,
      mediator: undefined,
      proposed: undefined,
      outcome: undefined,
      resolvedBy: undefined,
      resolvedAt: undefined,
      learning: undefined,
      ...overrides,
    };
  }

  /** Dispute #5 with the chair since Mon 9 Nov: the joint meeting must be held within 28 calendar days, by Mon 7 Dec. */
  const atChair = (overrides: Partial<DisputeView> = {}) =>
    dispute({ id: 'd0a80101-0000-4000-8000-000000000005', number: 5, stageIndex: 3, stageStartedAt: new Date('2026-11-09T09:30:00Z'), stageDueOn: '2026-12-07', chair: gillian, ...overrides });

  // Raised in October (British Summer Time) and escalated stage by stage since: times read in UK local time.
  const history: DisputeEventView[] = [
    { at: new Date('2026-10-19T09:15:00Z'), kind: 'raised', stageIndex: 0, actor: 'Sam Patel', detail: undefined },
    { at: new Date('2026-10-27T09:30:00Z'), kind: 'escalated', stageIndex: 1, actor: undefined, detail: undefined },
    { at: new Date('2026-11-02T14:05:00Z'), kind: 'proposed', stageIndex: 1, actor: 'Sam Patel', detail: 'A joint visit with the allocated social worker' },
    { at: new Date('2026-11-03T08:40:00Z'), kind: 'declined', stageIndex: 1, actor: 'Jo Carter', detail: undefined },
    { at: new Date('2026-11-09T09:30:00Z'), kind: 'escalated-early', stageIndex: 2, actor: 'Jo Carter', detail: 'Heads of service could not agree the threshold for CR-2031' },
  ];
  const chairButtons = ['Acknowledge', 'Schedule joint meeting', 'Appoint mediator', 'Record outcome', 'Delegate', 'Add to risk register'];

  // The few reads the disputes code makes beyond the stubbed repositories: the partnership, its chair, members and agencies.
  const audits: unknown[] = [];
  const disputeTx = {
    partnership: { findUniqueOrThrow: async () => ({ slug: 'warwickshire', timezone: 'Europe/London', sections: {} }) },
    roleAssignment: { findFirst: async () => ({ memberId: gillian.id }) },
    member: { findMany: async () => [{ id: 'm-hannah', displayName: 'Hannah Whitcombe', agency: { name: 'Warwickshire County Council' } }, { id: 'm-lee', displayName: 'Lee Watkins', agency: { name: 'Warwickshire Police' } }] },
    agency: { findMany: async () => [{ id: 'a-police', name: 'Warwickshire Police' }, { id: 'a-wcc', name: 'Warwickshire County Council' }] },
    auditEvent: { create: async (args: { data: unknown }) => (audits.push(args.data), { id: 1n }) },
  };
  const disputeDb = { ...disputeTx, $transaction: async (work: (tx: unknown) => Promise<unknown>) => work(disputeTx) } as unknown as Db;
  const disputeDeps: FeatureDeps = { db: disputeDb, clock: new ManualClock(now), logger: console as never, platforms: { slack: true, teams: true } as never, publicUrl: 'https://bot.example.org', syncTimers: async () => {}, pushOutbox: async () => {}, requeueOutbox: async () => {} };
  let parts: ReturnType<typeof disputesFeature.install> | undefined;
  const disputeParts = () => (parts ??= disputesFeature.install(disputeDeps));

  async function disputeCommand(text: string, profile: MemberProfile = hannah): Promise<Message> {
    const [name, ...args] = text.split(' ');
    const command = disputeParts().commands[name!]!;
    const result: CommandResult = await (typeof command === 'function' ? command : command.handler)({ identity: { platform: 'slack', userId: 'U0HANNAH' }, profile, args, now });
    expect(result.kind).toBe('reply');
    return (result as { message: Message }).message;
  }

  /** The rows of a message's CSV file, after checking it starts with the byte-order mark Excel needs. */
  function csvOf(message: Message): string[] {
    const file = message.sections.find((s) => s.kind === 'file');
    expect(file).toMatchObject({ kind: 'file', mimeType: 'text/csv' });
    const text = Buffer.from((file as { data: string }).data, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    return text.slice(1).trimEnd().split(/\r?\n/);
  }

  /** Text only (the buttons are checked on their own where a Teams confirmation adds one). */
  function expectText(r: Rendered, texts: string[]): void {
    for (const text of texts) {
      expect(r.teamsText, `Teams card shows "${text}"`).toContain(text);
      expect(r.slackText, `Slack blocks show "${text}"`).toContain(text);
    }
  }
  const noButtons = (r: Rendered) => {
    expect(r.teamsButtons).toEqual([]);
    expect(r.slackButtons).toEqual([]);
  };

  it("the parties' card: where it stands, when the stage ends, who is involved and what happens next, with Agree an outcome and Escalate now", () => {
    const r = rendered('partyCard', partyCard(dispute(), now, calendar));
    expectShows(r, [
      'Dispute #3: Threshold decision on a referral for a strategy discussion',
      'Dispute #3 is at stage 2 of 4 (Line managers).',
      'Sam Patel (Warwickshire Police) and Jo Carter (Warwickshire County Council)',
      '2 of 4: Line managers',
      'Stage ends', 'Tue 17 Nov 2026 (1 working day left; 5 working days for this stage)',
      'CR-2031',
      'A strategy discussion is convened for the case this week.',
      "At this stage: Both practitioners' line managers.",
      'Unresolved by the end of Tue 17 Nov 2026, it goes to stage 3 (Senior managers). Either of you can escalate sooner, with a reason.',
    ], ['Agree an outcome', 'Escalate now']);
    expect(r.teamsText).not.toContain('immediate risk');

    // On its last day it "ends today"; once the day has passed, "time has run out".
    expectText(renderBoth(partyCard(dispute(), DateTime.fromISO('2026-11-17T16:00', { zone }), calendar)), ['Tue 17 Nov 2026 (ends today; 5 working days for this stage)']);
    expectText(renderBoth(partyCard(dispute(), DateTime.fromISO('2026-11-18T09:00', { zone }), calendar)), ['Tue 17 Nov 2026 (time has run out; 5 working days for this stage)']);

    // Urgent (a child at immediate risk) starts at senior managers with one working day, raised this morning: the card
    // the raiser gets by direct message says the stage has the urgent limit, not the usual five days.
    const urgentDispute = dispute({ urgent: true, stages: urgentStages, stageIndex: 2, stageStartedAt: new Date('2026-11-16T09:30:00Z'), stageDueOn: '2026-11-17' });
    const urgent = rendered('partyCard', partyCard(urgentDispute, now, calendar, 'Raised: dispute #3. Jo Carter has been told and can agree an outcome with you from their card.'));
    expectShows(urgent, [
      'Raised: dispute #3. Jo Carter has been told and can agree an outcome with you from their card.',
      'Urgency', 'A child is at immediate risk',
      '3 of 4: Senior managers',
      'Tue 17 Nov 2026 (1 working day left; 1 working day for this stage)',
      'Unresolved by the end of Tue 17 Nov 2026, it goes to stage 4 (Partnership level, with the chair).',
    ], ['Agree an outcome', 'Escalate now']);
    expect(urgent.teamsText).not.toContain('5 working days for this stage');
  });

  it('an outcome proposed: the parties see it waiting, the other party gets Confirm outcome and Not agreed; once settled, no buttons', () => {
    const learning = 'Both agencies apply the same threshold for strategy discussions.';
    const proposed = dispute({ proposed: { outcome: 'A strategy discussion is held by Thu 19 Nov.', learning, byId: jo.id, byName: jo.name } });
    expectShows(rendered('partyCard', partyCard(proposed, now, calendar)), ['Outcome proposed by Jo Carter, waiting for the other party to confirm: A strategy discussion is held by Thu 19 Nov.'], ['Agree an outcome', 'Escalate now']);
    const r = rendered('proposalCard', proposalCard(proposed, now, calendar));
    expectShows(r, [
      'Confirm the outcome of dispute #3?',
      'Jo Carter proposes an outcome for dispute #3. Confirm it to close the dispute at stage 2 of 4 (Line managers), or say it is not agreed.',
      'Proposed outcome', 'A strategy discussion is held by Thu 19 Nov.',
      'Learning to share', learning,
      'Sam Patel (Warwickshire Police) and Jo Carter (Warwickshire County Council)',
    ], ['Confirm outcome', 'Not agreed']);
    expect(renderBoth(proposalCard(dispute({ proposed: { ...proposed.proposed!, learning: undefined } }), now, calendar)).teamsText).not.toContain('Learning to share');
    const agreed = dispute({ status: 'resolved', outcome: 'A strategy discussion is held by Thu 19 Nov.', resolvedAt: new Date('2026-11-16T10:00:00Z') });
    noButtons(rendered('proposalCard', proposalCard(agreed, now, calendar)));
  });

  it('settled on the parties\' card: agreed at a stage, decided by the chair, or withdrawn, with no buttons and no deadline', () => {
    const agreed = rendered('partyCard', partyCard(dispute({ status: 'resolved', outcome: 'A strategy discussion is held by Thu 19 Nov.' }), now, calendar));
    expectShows(agreed, ['Dispute #3 is settled.', 'Resolved at stage 2 of 4 (Line managers). Agreed by both parties: A strategy discussion is held by Thu 19 Nov.']);
    expect(agreed.teamsText).not.toContain('Stage ends');
    expect(agreed.teamsText).not.toContain('Learning flagged');
    const decided = rendered('partyCard', partyCard(atChair({ status: 'resolved', resolvedBy: 'Gillian Ashworth', outcome: 'The police convene a strategy discussion.', learning: 'Thresholds training for both agencies' }), now, calendar));
    expectShows(decided, ['Resolved at stage 4 of 4 (Partnership level, with the chair). Decided by Gillian Ashworth (final): The police convene a strategy discussion.', 'Learning flagged for the workforce: Thresholds training for both agencies']);
    expect(decided.slackText).not.toContain('Joint meeting by');
    expectShows(rendered('partyCard', partyCard(dispute({ status: 'withdrawn', stageIndex: 0 }), now, calendar)), ['Withdrawn at stage 1 of 4 (Practitioner to practitioner).']);
  });

  it("an open dispute at its last stage: the parties' card shows the joint-meeting deadline and the chair, but no Agree or Escalate", () => {
    const r = rendered('partyCard', partyCard(atChair(), now, calendar));
    expectShows(r, [
      'Dispute #5 is at stage 4 of 4 (Partnership level, with the chair).',
      'Joint meeting by', 'Mon 7 Dec 2026 (15 working days left; 28 calendar days for this stage)',
      'Gillian Ashworth (not yet acknowledged)',
      'At this stage: The chair convenes a joint meeting; the business manager supports.',
    ]);
    expect(r.teamsText).not.toContain('Unresolved by the end of');
  });

  it("the chair's card: the joint-meeting deadline, what has been tried, the whole history and every chair action", () => {
    const r = rendered('chairCard', chairCard(atChair(), history, now, calendar, 'Dispute #5 has reached the chair.'));
    expectShows(r, [
      'Dispute #5: Threshold decision on a referral for a strategy discussion',
      'Dispute #5 has reached the chair.',
      'Joint meeting by', 'Mon 7 Dec 2026 (15 working days left; 28 calendar days for this stage)',
      'Gillian Ashworth (not yet acknowledged)',
      'What has been tried', 'the line managers met on 11 Nov without agreeing',
      'History',
      'Mon 19 Oct, 10:15 · Raised by Sam Patel', 'Stage 1 (Practitioner to practitioner)',
      'Tue 27 Oct, 09:30 · Time ran out unresolved: escalated',
      'Mon 2 Nov, 14:05 · Outcome proposed by Sam Patel', 'Stage 2 (Line managers): A joint visit with the allocated social worker',
      'Tue 3 Nov, 08:40 · Proposed outcome not agreed by Jo Carter',
      'Mon 9 Nov, 09:30 · Escalated early by Jo Carter', 'Stage 3 (Senior managers): Heads of service could not agree the threshold for CR-2031',
    ], chairButtons);
    // Teams allows five actions in a row: the sixth goes on a second row, not dropped.
    expect(JSON.stringify(r.teams).match(/"type":"ActionSet"/g)?.length).toBe(2);

    // Acknowledged, with a meeting date and a mediator: no Acknowledge any more, the rest stays.
    const acked = atChair({ chairAck: { name: 'Gillian Ashworth', at: new Date('2026-11-10T08:00:00Z') }, jointMeetingOn: '2026-12-01', mediator: 'Coventry and Warwickshire Mediation' });
    const events = [...history, { at: new Date('2026-11-10T08:00:00Z'), kind: 'acknowledged', stageIndex: 3, actor: 'Gillian Ashworth', detail: undefined }, { at: new Date('2026-11-11T11:20:00Z'), kind: 'meeting-scheduled', stageIndex: 3, actor: 'Gillian Ashworth', detail: 'Tue 1 Dec 2026' }];
    expectShows(rendered('chairCard', chairCard(acked, events, now, calendar, 'Dispute #5 is with the chair.')), [
      'Gillian Ashworth (acknowledged by Gillian Ashworth)', 'Joint meeting', 'Tue 1 Dec 2026', 'Mediator', 'Coventry and Warwickshire Mediation',
      'Tue 10 Nov, 08:00 · Acknowledged by Gillian Ashworth', 'Wed 11 Nov, 11:20 · Joint meeting scheduled by Gillian Ashworth',
    ], chairButtons.slice(1));
  });

  it("a settled dispute on the chair's card: the decision and its history, with no buttons", () => {
    const decided = atChair({ status: 'resolved', resolvedBy: 'Gillian Ashworth', outcome: 'The police convene a strategy discussion.', resolvedAt: new Date('2026-11-16T10:00:00Z') });
    const events = [...history, { at: new Date('2026-11-16T10:00:00Z'), kind: 'decided', stageIndex: 3, actor: 'Gillian Ashworth', detail: 'The police convene a strategy discussion.' }];
    const r = rendered('chairCard', chairCard(decided, events, now, calendar, 'Dispute #5 is settled.'));
    expectShows(r, ['Dispute #5 is settled.', 'Decided by Gillian Ashworth (final): The police convene a strategy discussion.', "Mon 16 Nov, 10:00 · The chair's decision (final) by Gillian Ashworth"]);
    expect(r.teamsText).not.toContain('Joint meeting by');
  });

  it("the business manager's card when nobody acknowledged: the same deadline and history, but only Delegate", () => {
    const heading = 'Dispute #5 reached the chair and nobody has acknowledged it yet. Please contact the chair or the deputy, or delegate it to someone who can take it.';
    const events = [...history, { at: new Date('2026-11-10T09:30:00Z'), kind: 'chair-pinged', stageIndex: 3, actor: undefined, detail: undefined }, { at: new Date('2026-11-11T09:30:00Z'), kind: 'manager-pinged', stageIndex: 3, actor: undefined, detail: undefined }];
    const r = rendered('chairCard', chairCard(atChair(), events, now, calendar, heading, true));
    expectShows(r, [
      heading,
      'Joint meeting by', 'Mon 7 Dec 2026 (15 working days left; 28 calendar days for this stage)',
      'Gillian Ashworth (not yet acknowledged)',
      'What has been tried', 'History',
      'Tue 10 Nov, 09:30 · Chair pinged again', 'Wed 11 Nov, 09:30 · No acknowledgement: the business manager was told',
    ], ['Delegate']);
    expect(actionIdsOf(r)).toEqual([disputeButtons.delegate]);
    // Once it is settled there is nothing left to hand on.
    noButtons(rendered('chairCard', chairCard(atChair({ status: 'withdrawn' }), events, now, calendar, 'Dispute #5 is settled.', true)));
  });

  it("a long-running dispute's history stays within Slack's limits and keeps the chair's buttons", () => {
    const pings = Array.from({ length: 60 }, (_, i): DisputeEventView => ({ at: new Date(Date.UTC(2026, 10, 9, 9, 30) + i * 3_600_000), kind: 'chair-pinged', stageIndex: 3, actor: undefined, detail: undefined }));
    const r = rendered('chairCard', chairCard(atChair(), [...history, ...pings], now, calendar, 'Dispute #5 has reached the chair.'));
    expect(r.slack.blocks.length).toBeLessThanOrEqual(50);
    expectShows(r, ['Joint meeting by', 'Mon 7 Dec 2026'], chairButtons);
  });

  it('`dispute status`: the card with the whole timeline, Agree and Escalate while open, and Add to risk register', () => {
    const r = rendered('statusCard', statusCard(dispute(), history.slice(0, 4), now, calendar));
    expectShows(r, ['Dispute #3 is at stage 2 of 4 (Line managers).', 'Timeline', 'Mon 19 Oct, 10:15 · Raised by Sam Patel', 'Tue 3 Nov, 08:40 · Proposed outcome not agreed by Jo Carter'], ['Agree an outcome', 'Escalate now', 'Add to risk register']);
    // Settled, the learning can still go on the risk register; at the last stage there is nothing for a party to press.
    expectShows(rendered('statusCard', statusCard(dispute({ status: 'resolved', outcome: 'Agreed.' }), history, now, calendar)), ['Dispute #3 is settled.'], ['Add to risk register']);
    expectShows(rendered('statusCard', statusCard(atChair(), history, now, calendar)), ['Mon 7 Dec 2026 (15 working days left; 28 calendar days for this stage)'], ['Add to risk register']);
  });

  it('`dispute list`: each dispute with its parties, stage and state in words, or what to do when there are none', () => {
    const disputes = [
      atChair(),
      dispute({ id: 'd-4', number: 4, subject: 'Whether a child protection conference is needed', urgent: true, stages: urgentStages, stageIndex: 2, stageStartedAt: new Date('2026-11-16T09:30:00Z'), stageDueOn: '2026-11-17' }),
      dispute({ stageDueOn: '2026-11-13' }),
      dispute({ id: 'd-2', number: 2, subject: 'Sharing a health chronology', status: 'resolved', outcome: 'Shared by Fri 6 Nov.' }),
      dispute({ id: 'd-1', number: 1, subject: 'Attendance at strategy meetings', status: 'withdrawn', stageIndex: 0 }),
    ];
    const r = rendered('disputeListCard', disputeListCard('Every dispute', disputes, now, calendar, 'There are no open disputes.'));
    expectShows(r, [
      'Every dispute',
      '#5 Threshold decision on a referral', 'stage 4 of 4 (Partnership level, with the chair), joint meeting by Mon 7 Dec 2026', 'Open',
      '#4 Whether a child protection conference is needed', 'stage 3 of 4 (Senior managers), ends Tue 17 Nov 2026', 'Urgent',
      '#3 Threshold decision on a referral', 'stage 2 of 4 (Line managers), ends Fri 13 Nov 2026', 'Time run out',
      '#2 Sharing a health chronology', 'Sam Patel (Warwickshire Police) and Jo Carter (Warwickshire County Council) · resolved', 'Resolved',
      '#1 Attendance at strategy meetings', 'Withdrawn',
      "5 disputes, 3 open. Type dispute status <number> for one's timeline.",
    ]);
    // At the chair's stage the date is the joint meeting's deadline, not the end of a stage it could move on from.
    expect(r.teamsText).not.toContain('ends Mon 7 Dec 2026');
    expect(r.slackText).not.toContain('ends Mon 7 Dec 2026');
    expectShows(rendered('disputeListCard', disputeListCard('Your disputes', [], now, calendar, 'You have no disputes. `dispute raise` starts one.')), ['Your disputes', 'You have no disputes. dispute raise starts one.']);
  });

  // --- The risk register ------------------------------------------------------------------------

  const lee = { id: 'm-lee', name: 'Lee Watkins' };
  const risk = (overrides: Partial<RiskView>): RiskView => {
    const r: RiskView = {
      id: 'r0a80101-0000-4000-8000-000000000001', partnershipId: 'p-warwickshire', number: 1, risk: 'Health partners cannot attend strategy meetings from April',
      impact: 4, likelihood: 4, score: 16, owner: lee, mitigation: 'Agree a rota with the ICB designated nurses; escalate gaps to the Executive.', reviewOn: '2027-02-01', status: 'open', disputeNumber: undefined,
      ...overrides,
    };
    return { ...r, score: r.impact * r.likelihood };
  };
  const register = [
    risk({ reviewOn: '2026-11-13' }),
    risk({ id: 'r-2', number: 2, risk: 'Thresholds applied differently by police and council', impact: 3, likelihood: 4, owner: { id: 'm-hannah', name: 'Hannah Whitcombe' }, reviewOn: '2026-11-16', disputeNumber: 5 }),
    risk({ id: 'r-3', number: 3, risk: 'Annual report data late from one agency', impact: 2, likelihood: 3, reviewOn: '2027-01-15' }),
    risk({ id: 'r-4', number: 4, risk: 'Website hosting contract lapses', impact: 1, likelihood: 2, reviewOn: '2027-03-01' }),
  ];
  const openRiskButtons = ['Record review', 'Close risk'];

  /** Record review and Close risk; closing asks first: a Slack confirm dialog, and on Teams a ShowCard holding the real "Close it". */
  function expectRiskButtons(r: Rendered, number: number): void {
    expect(r.slackButtons).toEqual(openRiskButtons);
    expect(r.teamsButtons).toEqual([...openRiskButtons, 'Close it']);
    const close = r.slack.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e) => (e as { action_id?: string }).action_id === riskButtons.close) as { confirm?: { title: { text: string }; confirm: { text: string } } };
    expect(close.confirm?.title.text).toBe(`Close risk #${number}?`);
    expect(close.confirm?.confirm.text).toBe('Close it');
  }

  it('`risks`: the open register, highest score first, each score with its band in words (never colour alone), overdue reviews marked', () => {
    const r = rendered('riskTableCard', riskTableCard(register, now, zone));
    expectShows(r, [
      'Risk register', '4 open risks, 2 high or very high, 1 overdue for review.',
      'Owner', 'Score (impact × likelihood)', 'Review',
      'Health partners cannot attend', 'Lee Watkins', '16 Very high (4 × 4)', 'Fri 13 Nov 2026 (overdue)',
      'Thresholds applied different', 'Hannah Whitcombe', '12 High (3 × 4)', 'Mon 16 Nov 2026 (today)', // Slack's fixed-width table cuts a risk at 30 characters
      'Annual report data late', '6 Medium (2 × 3)', 'Website hosting contract laps', '2 Low (1 × 2)', 'Mon 1 Mar 2027',
      'Score = impact × likelihood: 1-4 Low, 5-9 Medium, 10-14 High, 15-25 Very high.',
    ]);
    // Five columns on Teams, and on Slack's text table too; highest score first.
    const tables: Json[] = [];
    const findTables = (node: unknown): void => {
      if (Array.isArray(node)) for (const n of node) findTables(n);
      else if (typeof node === 'object' && node !== null) {
        if ((node as Json)['type'] === 'Table') tables.push(node as Json);
        for (const value of Object.values(node as Json)) findTables(value);
      }
    };
    findTables(r.teams);
    expect(tables).toHaveLength(1);
    expect(tables[0]!['columns']).toHaveLength(5);
    expect(r.slackText).toMatch(/^# \| Risk +\| Owner +\| Score \(impact × likelihood\) \| Review$/m);
    const order = ['16 Very high', '12 High', '6 Medium', '2 Low'].map((score) => r.teamsText.indexOf(score));
    expect(order.every((at) => at > -1) && [...order].sort((a, b) => a - b).join() === order.join()).toBe(true);
    expect(r.teamsText).toContain('Thresholds applied differently by police and council (from dispute #5)');
    // Every coloured cell says what it means in words (and a sign) too: Teams colours the cell, Slack has only the words.
    const coloured: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) for (const n of node) walk(n);
      else if (typeof node === 'object' && node !== null) {
        const o = node as Json;
        if (o['type'] === 'TableCell' && o['style']) coloured.push(`${o['style'] as string}: ${visibleCardText(o['items'])}`);
        else for (const value of Object.values(o)) walk(value);
      }
    };
    walk(r.teams);
    expect(coloured).toEqual([
      'attention: ❗ 16 Very high (4 × 4)', 'attention: ❗ Fri 13 Nov 2026 (overdue)', 'attention: ❗ 12 High (3 × 4)', 'warning: ⚠️ Mon 16 Nov 2026 (today)', 'warning: ⚠️ 6 Medium (2 × 3)', 'good: ✅ 2 Low (1 × 2)',
    ]);
    for (const cell of ['❗ 16 Very high (4 × 4)', '❗ 12 High (3 × 4)', '⚠️ 6 Medium (2 × 3)', '✅ 2 Low (1 × 2)', '❗ Fri 13 Nov 2026 (overdue)', '⚠️ Mon 16 Nov 2026 (today)']) expect(r.slackText).toContain(cell);
    expect(renderBoth(riskTableCard(register.slice(2), now, zone)).teamsText).toContain('2 open risks.');
    expectShows(rendered('riskTableCard', riskTableCard([], now, zone)), ['The risk register has no open risks.', 'Type risks add to add a risk']);
  });

  it('a risk added: the answer to whoever added it, and the card to an owner someone else named', () => {
    const added = risk({ number: 5, reviewOn: '2027-02-01' });
    expectShows(rendered('addedCard', addedCard(added, false, zone)), [
      'Risk #5 added', 'Added risk #5 to the register, scored 16 Very high. Lee Watkins has been told and will be reminded before its review on Mon 1 Feb 2027.',
      'Score', '16 Very high (impact 4 Major × likelihood 4 Likely)', 'Owner', 'Lee Watkins', 'Mitigation', 'Agree a rota with the ICB designated nurses', 'Next review', 'Mon 1 Feb 2027',
    ]);
    expectShows(rendered('addedCard', addedCard({ ...added, disputeNumber: 5 }, true, zone)), ['You will be reminded before its review on Mon 1 Feb 2027.', 'From', 'Dispute #5']);
    const owner = rendered('newOwnerCard', newOwnerCard(added, 'Hannah Whitcombe', zone));
    expectText(owner, ['Risk #5 on the register is yours', 'Hannah Whitcombe added it to the risk register with you as its owner. You will be reminded before Mon 1 Feb 2027, its review date.', '16 Very high (impact 4 Major × likelihood 4 Likely)']);
    expectRiskButtons(owner, 5);
  });

  it('review reminders: before, on the day and overdue, each with Record review and Close risk', () => {
    const before = rendered('riskReminderCard', riskReminderCard(risk({ reviewOn: '2026-11-23' }), 'before', now, calendar));
    expectText(before, ['Risk #1 is due for review in 5 working days', 'Its review date is Mon 23 Nov 2026. Check the score and the mitigation, then press Record review.']);
    expectRiskButtons(before, 1);
    const due = rendered('riskReminderCard', riskReminderCard(risk({ reviewOn: '2026-11-16' }), 'due', now, calendar));
    expectText(due, ['Risk #1 is due for review today', 'Its review date is today, Mon 16 Nov 2026.']);
    expectRiskButtons(due, 1);
    const chase = rendered('riskReminderCard', riskReminderCard(risk({ reviewOn: '2026-11-13' }), 'chase', now, calendar));
    expectText(chase, ['Risk #1 is overdue for review', 'It was due for review Fri 13 Nov 2026 and shows as overdue on the register the Executive sees.']);
    expectRiskButtons(chase, 1);
  });

  it('every copy of a risk card after a review, a close (with Undo on the pressed copy) and an Undo of the close', async () => {
    const reviewed = rendered('reviewedCard', reviewedCard(risk({ impact: 4, likelihood: 2, reviewOn: '2027-05-04' }), 'Lee Watkins', new Date('2026-11-16T10:00:00Z'), zone));
    expectShows(reviewed, ['Risk #1: reviewed', 'Reviewed by Lee Watkins, Mon 16 Nov, 10:00. Next review Tue 4 May 2027.', '8 Medium (impact 4 Major × likelihood 2 Unlikely)']);
    const closed = rendered('closedCard', closedCard({ ...risk({}), status: 'closed', closedAt: new Date('2026-11-16T10:00:00Z') }, 'Hannah Whitcombe', zone));
    expectShows(closed, ['Risk #1: closed', 'Closed by Hannah Whitcombe, Mon 16 Nov, 10:00. No more review reminders.']);
    expectShows(rendered('closedCard', closedCard(risk({}), undefined, zone)), ['Closed. No more review reminders.']);
    const reopened = rendered('reopenedCard', riskReopenedCard(risk({ reviewOn: '2026-11-13' }), 'Hannah Whitcombe', zone));
    expectText(reopened, ['Risk #1 is open again', 'Hannah Whitcombe undid "closed": it is back on the register, with its review on Fri 13 Nov 2026.']);
    expectRiskButtons(reopened, 1);

    // Close risk pressed: the real handler turns the pressed card into the closed card with Undo.
    stubs.risks = register;
    const pressed = await disputeParts().actions![riskButtons.close]!({ identity: { platform: 'slack', userId: 'U0HANNAH' }, profile: hannah, actionId: riskButtons.close, value: register[0]!.id, now });
    expect(pressed.kind).toBe('card');
    expectShows(rendered('closeRiskPressed', (pressed as { card: Message }).card), ['Risk #1: closed', 'Closed by Hannah Whitcombe, Mon 16 Nov, 10:00.'], ['Undo']);
  });

  it('`risks close`, `risks help` and `dispute` alone answer in words; `risks close` offers Undo', async () => {
    stubs.risks = register;
    const close = renderBoth(await disputeCommand('risks close 4'));
    expectShows(close, ['Closed risk #4 "Website hosting contract lapses". It is off the open register (still in the export) and its review reminders have stopped.'], ['Undo']);
    for (const id of actionIdsOf(close)) seenActionIds.add(id);
    expectShows(renderBoth(await disputeCommand('risks help')), ['risks: commands', 'risks review <number>', 'risks export']);
    expectShows(renderBoth(await disputeCommand('dispute')), ['dispute: commands', 'dispute raise', 'dispute escalate <number> "<reason>"', 'dispute log [year]']);
    // The business manager sees which dispute a risk came from; a member who cannot see every dispute is not told one exists.
    const table = renderBoth(await disputeCommand('risks'));
    expectShows(table, ['4 open risks, 2 high or very high, 1 overdue for review.']);
    expect(table.teamsText).toContain('Thresholds applied differently by police and council (from dispute #5)');
    const members = renderBoth(await disputeCommand('risks', priya));
    expectShows(members, ['4 open risks, 2 high or very high, 1 overdue for review.', 'Thresholds applied different', '12 High (3 × 4)']);
    expect(members.teamsText).toContain('Thresholds applied differently by police and council\n');
    expect(members.teamsText + members.slackText).not.toContain('dispute #5');
  });

  it('the add form (from a dispute, naming it) and the review form, blank and with what was typed and the errors kept', async () => {
    covered.add('addRiskForm');
    const members = [{ value: 'm-hannah', label: 'Hannah Whitcombe (Warwickshire County Council)' }, { value: 'm-lee', label: 'Lee Watkins (Warwickshire Police)' }];
    const form = addRiskForm({ disputeId: atChair().id, disputeNumber: 5 }, { members, ownerId: 'm-hannah' });
    const blank = renderFormBoth(form);
    for (const text of ['Add to the risk register', 'Add risk', 'It will be linked to dispute #5.', 'Risk', 'Case references only', 'Impact if it happens', '1 – Negligible', '5 – Severe', 'Likelihood', '5 – Almost certain', 'Owner', 'Lee Watkins (Warwickshire Police)', 'Mitigation', 'Review date']) {
      expect(blank.teamsText).toContain(text);
      expect(blank.slackText).toContain(text);
    }
    const values = { risk: 'Thresholds applied differently by police and council', impact: '3', likelihood: '4', ownerId: 'm-lee', mitigation: 'Joint threshold training in January.', reviewOn: '2026-11-21' };
    const errors = riskAnswerErrors(form, values, calendar, now);
    expect(errors).toEqual({ reviewOn: 'Sat 21 Nov 2026 is not a working day: give Fri 20 Nov 2026 or Mon 23 Nov 2026.' });
    const typed = renderFormBoth(addRiskForm({ disputeNumber: 5 }, { members, typed: values }), { values, errors });
    expect(typed.teamsText).toContain(errors.reviewOn);
    expect(JSON.stringify(typed.teams)).toContain(values.mitigation);
    expect(JSON.stringify(typed.slack)).toContain(values.mitigation);

    covered.add('reviewRiskForm');
    const review = renderFormBoth(reviewRiskForm(register[1]!));
    for (const text of ['Review risk #2', 'Record review', 'Thresholds applied differently by police and council', 'Change the score or the mitigation', 'Impact if it happens', 'Next review date', 'Mitigation']) {
      expect(review.teamsText).toContain(text);
      expect(review.slackText).toContain(text);
    }
    // The score and mitigation as they stand are already filled in.
    expect(JSON.stringify(review.teams)).toContain(register[1]!.mitigation);
    expect(JSON.stringify(review.slack)).toContain('"initial_option":{"text":{"type":"plain_text","text":"3 – Moderate"');
  });

  it('`risks add` opens the add form with the members to pick the owner from, starting with whoever adds it', async () => {
    covered.add('openAddRiskForm');
    const form = await openAddRiskForm(disputeDeps, hannah, {}, { risk: 'Health partners cannot attend' });
    const r = renderFormBoth(form);
    for (const text of ['Add to the risk register', 'Hannah Whitcombe (Warwickshire County Council)', 'Lee Watkins (Warwickshire Police)', 'Health partners cannot attend']) expect(r.teamsText + r.slackText).toContain(text);
    expect(r.teamsText).not.toContain('It will be linked to dispute');
    expect(form.fields.find((f) => f.id === 'ownerId')?.initial).toBe('m-hannah');
  });

  it('`dispute raise` opens the form with the agencies, the members and both kinds of urgency', async () => {
    covered.add('raiseForm');
    const r = renderFormBoth(await raiseForm(disputeDeps, 'p-warwickshire'));
    for (const text of [
      'Raise a disagreement', 'Raise', 'Resolve it at the lowest level you can', 'The other agency', 'Warwickshire Police', 'The person you disagree with', 'Lee Watkins (Warwickshire Police)',
      'What the disagreement is about', 'Case reference (if about a case)', 'What has been tried so far', 'The outcome you are seeking',
      'Standard', 'A child is at immediate risk',
      'Standard starts at stage 1 (Practitioner to practitioner). Immediate risk starts at Senior managers with 1 working day per stage.',
    ]) {
      expect(r.teamsText).toContain(text);
      expect(r.slackText).toContain(text);
    }
  });

  it('`dispute log`: the challenge log for the year as a CSV file; only chairs and admins may have it', async () => {
    // Newest first from the database; #1 was raised at 00:30 on Tue 20 Oct in UK (summer) time, 23:30 the day before in UTC.
    const withdrawn = dispute({ id: 'd-1', number: 1, subject: 'Attendance at strategy meetings', caseRef: undefined, status: 'withdrawn', stageIndex: 0, raisedAt: new Date('2026-10-19T23:30:00Z') });
    stubs.disputes = [atChair({ status: 'resolved', outcome: 'The police convene a strategy discussion.', resolvedAt: new Date('2026-11-16T10:00:00Z'), learning: 'Thresholds training' }), dispute(), withdrawn];
    const log = await challengeLog(disputeDeps, hannah, 2026);
    const r = rendered('challengeLog', log);
    expectShows(r, ['Challenge log 2026', 'Challenge log 2026: 3 disputes raised.']);
    expect(r.slackText).toContain('📎 Challenge log 2026 (challenge-log-2026.csv) · attached below');
    expect(r.teamsText).toContain('📎 Challenge log 2026 (challenge-log-2026.csv');
    expect(vi.mocked(listDisputes)).toHaveBeenLastCalledWith(expect.anything(), 'p-warwickshire', { includeSettled: true, raisedSince: new Date('2026-01-01T00:00:00Z'), raisedBefore: new Date('2027-01-01T00:00:00Z') });
    const csv = csvOf(log);
    expect(csv[0]).toBe('Number,Raised,Subject,Case reference,Raised by,Raised by agency,Other party,Other agency,Urgent,Stage reached,Status,Outcome,Resolved,Learning');
    // Oldest first, dates as ISO days in UK time (a spreadsheet sorts them), the status capitalised; a stage name with a
    // comma stays one cell.
    expect(csv[1]).toBe('1,2026-10-20,Attendance at strategy meetings,,Sam Patel,Warwickshire Police,Jo Carter,Warwickshire County Council,No,1. Practitioner to practitioner,Withdrawn,,,');
    expect(csv[2]).toBe('3,2026-11-02,Threshold decision on a referral for a strategy discussion,CR-2031,Sam Patel,Warwickshire Police,Jo Carter,Warwickshire County Council,No,2. Line managers,Open,,,');
    expect(csv[3]).toBe('5,2026-11-02,Threshold decision on a referral for a strategy discussion,CR-2031,Sam Patel,Warwickshire Police,Jo Carter,Warwickshire County Council,No,"4. Partnership level, with the chair",Resolved,The police convene a strategy discussion.,2026-11-16,Thresholds training');
    expect(csv).toHaveLength(4);
    await expect(challengeLog(disputeDeps, priya, 2026)).rejects.toThrow('Only the chair, the business manager or an admin can export the challenge log.');
  });

  it('`risks export`: every entry, open and closed, as a CSV file for the annual report, the export audited', async () => {
    stubs.risks = [...register, { ...risk({ id: 'r-6', number: 6, risk: '=HYPERLINK("x")', impact: 2, likelihood: 2 }), status: 'closed' }].map((r) => ({ ...r, addedBy: 'Hannah Whitcombe', addedAt: new Date('2026-09-01T09:00:00Z'), closedAt: r.status === 'closed' ? new Date('2026-11-16T10:00:00Z') : undefined }));
    audits.length = 0;
    const exported = await exportRegister(disputeDeps, hannah, now);
    const r = rendered('exportRegister', exported);
    expectShows(r, ['Risk register export', 'The risk register as a CSV file for the annual report: 5 entries, 4 open and 1 closed.']);
    expect(r.slackText).toContain('📎 Risk register (CSV) (risk-register-warwickshire-2026-11-16.csv) · attached below');
    const csv = csvOf(exported);
    expect(csv[0]).toBe('Number,Risk,Impact,Likelihood,Score,Band,Owner,Mitigation,Review date,Status,Dispute,Added on,Added by,Closed on');
    expect(csv[2]).toBe('2,Thresholds applied differently by police and council,3,4,12,High,Hannah Whitcombe,Agree a rota with the ICB designated nurses; escalate gaps to the Executive.,2026-11-16,Open,5,2026-09-01,Hannah Whitcombe,');
    // A cell someone typed starting with "=" is never run as a formula.
    expect(csv[5]).toMatch(/^6,"?'=HYPERLINK/);
    expect(audits).toEqual([expect.objectContaining({ action: 'disputes.risk.exported', actor: 'Hannah Whitcombe', data: { entries: 5 } })]);

    stubs.risks = [];
    expectShows(renderBoth(await exportRegister(disputeDeps, hannah, now)), ['The risk register is empty: the file has only its header row.']);
    await expect(exportRegister(disputeDeps, priya, now)).rejects.toThrow('can export the whole risk register');
  });
});

describe('rapid reviews', () => {
  const calendar = new WorkingCalendar({ zone: 'Europe/London' });
  const now = DateTime.fromISO('2027-03-15T10:00', { zone: 'Europe/London' }); // Monday
  const summary = 'A child was seriously injured at home; the school had raised concerns the week before.';
  const members = [
    { id: 'm-helen', name: 'Helen Ashby' }, { id: 'm-kirsty', name: 'Kirsty Doyle' }, { id: 'm-nicola', name: 'Nicola Brooks' },
  ];

  /** Review #1 (a serious child safeguarding incident), aware Fri 12 Mar 2027, may also need a DHR; two agencies asked for chronologies. */
  function review(overrides: Partial<ReviewView> = {}): ReviewView {
    return {
      id: 'e0a80101-0000-4000-8000-000000000001',
      partnershipId: 'p-walsall',
      number: 1,
      type: 'child',
      caseRef: 'CSPR-2027-004',
      awareOn: '2027-03-12',
      nationalNotifiedOn: undefined,
      summary,
      notifier: { id: 'm-ian', name: 'Ian Rowley' },
      groupKey: 'practice-review-group',
      settings: { ...DEFAULT_CLOCKS },
      jointWith: 'dhr',
      leadProcess: undefined,
      leadChoices: [],
      status: 'open',
      meetingOn: undefined,
      attendees: [],
      recommendation: undefined,
      recommendationNote: undefined,
      recommendedBy: undefined,
      decision: undefined,
      decisionReasons: undefined,
      nationalToldOn: undefined,
      decidedAt: undefined,
      decidedBy: undefined,
      createdAt: new Date('2027-03-15T10:00:00Z'),
      acks: [{ memberId: 'm-helen', name: 'Helen Ashby', at: new Date('2027-03-15T10:05:00Z') }],
      agencies: [
        { agencyId: 'a-council', name: 'Walsall Council', confirmedAt: new Date('2027-03-16T11:00:00Z'), confirmedBy: 'Nicola Brooks' },
        { agencyId: 'a-police', name: 'West Midlands Police', confirmedAt: undefined, confirmedBy: undefined },
      ],
      milestones: [],
      ...overrides,
    };
  }
  /** Decided (an LCSPR) on Mon 29 Mar with the Panel told; the follow-through's first step done. */
  const decided = () => review({
    status: 'decided', nationalNotifiedOn: '2027-03-16', meetingOn: '2027-03-25', attendees: ['m-helen', 'm-kirsty', 'm-nicola'],
    recommendation: 'lcspr', recommendedBy: 'Helen Ashby', recommendationNote: 'Learning about information sharing between school and health.',
    decision: 'lcspr', decisionReasons: 'The criteria are met: serious harm, and the agencies could have worked together better.', nationalToldOn: '2027-03-30',
    decidedAt: new Date('2027-03-30T13:15:00Z'), decidedBy: 'Christopher Hale', leadProcess: 'child',
    milestones: [
      { key: 'terms', name: 'Terms of reference agreed', position: 0, dueOn: '2027-04-28', doneOn: '2027-04-20' },
      { key: 'reviewer', name: 'Reviewer commissioned', position: 1, dueOn: '2027-05-13', doneOn: undefined },
      { key: 'report', name: 'Final report to the partners', position: 2, dueOn: '2027-08-31', doneOn: undefined },
      { key: 'publication', name: 'Report published', position: 3, dueOn: '2027-09-30', doneOn: undefined },
    ],
  });

  const clocks = [
    'National notification to the Panel and Ofsted: by Fri 19 Mar 2027', '5 working days from awareness, Fri 12 Mar 2027 · 4 working days left',
    "Agencies' chronologies to the business unit: by Tue 30 Mar 2027", 'Rapid review completed and sent to the Panel: by Tue 6 Apr 2027',
  ];

  const noButtonsOn = (r: Rendered) => {
    expect(r.teamsButtons).toEqual([]);
    expect(r.slackButtons).toEqual([]);
  };

  function expectPrivate(r: Rendered): void {
    expect(r.slack.text, 'Slack notification text').toBe(SAFE_TEXT);
    expect((r.teams as Json)['fallbackText'], 'Teams fallback text').toBe(SAFE_TEXT);
  }

  it("the group's card: everything, the summary included, who has acknowledged, and what the group can do next", () => {
    const r = rendered('groupCard', privateTo(members.map((m) => m.id), groupCard(review(), members, now, calendar, 'New for the Practice Review Group: serious child safeguarding incident, case CSPR-2027-004.')));
    expectPrivate(r);
    expectShows(r, [
      'Review #1 · case CSPR-2027-004', 'New for the Practice Review Group: serious child safeguarding incident, case CSPR-2027-004.',
      'Serious child safeguarding incident', 'Partnership aware', 'Fri 12 Mar 2027', 'Notified to the Panel and Ofsted', 'Not yet recorded',
      'May also need a Domestic Homicide Review; the chairs have not yet agreed which process leads',
      'Summary (not identifying)', summary, 'Notified by', 'Ian Rowley', ...clocks,
      'Chronologies by the secure route', 'Confirmed sent by Nicola Brooks, Tue 16 Mar, 11:00', 'West Midlands Police', 'Waiting',
      'Acknowledged: Helen Ashby. Not yet: Kirsty Doyle, Nicola Brooks.',
    ], ['Acknowledge', 'Record national notification', 'Set meeting date', 'Record recommendation']);
    // Once the national notification is recorded its button goes; the meeting and recommendation buttons say "Change".
    const later = rendered('groupCard', groupCard(review({ nationalNotifiedOn: '2027-03-16', meetingOn: '2027-03-25', recommendation: 'lcspr', recommendedBy: 'Helen Ashby' }), members, now, calendar, 'Review #1: case CSPR-2027-004.'));
    expectShows(later, ['Tue 16 Mar 2027', 'Rapid review meeting', 'Thu 25 Mar 2027', 'Local child safeguarding practice review (LCSPR) (recorded by Helen Ashby)'], ['Acknowledge', 'Change meeting date', 'Change recommendation']);
    const settled = rendered('groupCard', groupCard(decided(), members, DateTime.fromISO('2027-05-03T10:00', { zone: 'Europe/London' }), calendar, 'Review #1 is decided.'));
    expectShows(settled, [
      'Decision', 'Local child safeguarding practice review (LCSPR), by Christopher Hale on Tue 30 Mar, 14:15', 'The Panel and Ofsted told of the decision', 'Tue 30 Mar 2027',
      'The Child safeguarding practice review leads (agreed by the chairs)', 'Follow-through', 'Terms of reference agreed: done Tue 20 Apr 2027', 'Reviewer commissioned: by Thu 13 May 2027',
      'Reasons for the decision: The criteria are met', 'Recommendation note: Learning about information sharing between school and health.',
    ], ['Record a step done']);
  });

  it("the group's channel: the case reference and the clocks only, never the summary", () => {
    const r = rendered('channelAlert', channelAlert(review(), now, calendar));
    expectShows(r, ['Review #1 · case CSPR-2027-004', 'New serious child safeguarding incident: case CSPR-2027-004 (review #1). Members have the details in their direct chat with the bot.', 'Clocks', ...clocks]);
    expect(r.slack.text).toBe('New notification for the group: case CSPR-2027-004');
    expect(`${r.teamsText}\n${r.slackText}`).not.toContain(summary);
    expect(`${r.teamsText}\n${r.slackText}`).not.toContain('Ian Rowley');
  });

  it("the notifier's receipt and the decision maker's card: the clocks and where it stands, never the summary", () => {
    const receipt = rendered('receiptCard', privateTo(['m-ian'], receiptCard(review(), now, calendar, 'Sent privately to the Practice Review Group. Your receipt for case CSPR-2027-004, with the clocks now running:')));
    expectPrivate(receipt);
    expectShows(receipt, ['Sent privately to the Practice Review Group. Your receipt for case CSPR-2027-004, with the clocks now running:', 'Case reference', 'CSPR-2027-004', ...clocks]);
    expect(`${receipt.teamsText}\n${receipt.slackText}`).not.toContain(summary);
    expectShows(rendered('receiptCard', receiptCard(decided(), now, calendar, 'Review #1 is decided.')), ['Follow-through', 'Report published: by Thu 30 Sept 2027']);

    const recommended = review({ recommendation: 'lcspr', recommendedBy: 'Helen Ashby', recommendationNote: 'Learning about information sharing.', attendees: ['m-helen', 'm-kirsty'], meetingOn: '2027-03-25' });
    const decision = rendered('decisionCard', privateTo(['m-chris'], decisionCard(recommended, now, calendar, 'The group recommends for case CSPR-2027-004: Local child safeguarding practice review (LCSPR). Please record your decision, with reasons.')));
    expectPrivate(decision);
    expectShows(decision, [
      'The group recommends for case CSPR-2027-004', 'Recommendation', 'Local child safeguarding practice review (LCSPR) (recorded by Helen Ashby)',
      "The group's note: Learning about information sharing.", '2 attended the rapid review meeting.', ...clocks,
    ], ['Record decision']);
    expect(`${decision.teamsText}\n${decision.slackText}`).not.toContain(summary);
    noButtonsOn(rendered('decisionCard', decisionCard(decided(), now, calendar, 'Review #1 is decided.')));
  });

  it("an involved agency's lead: confirm the chronology went by the secure route; once confirmed, thanks and no button", () => {
    const r = rendered('agencyCard', privateTo(['m-kirsty'], agencyCard(review(), 'a-police', '2027-03-30', calendar, "A rapid review has started. Please send West Midlands Police's chronology or summary for case CSPR-2027-004 to the business unit by the secure route by Tue 30 Mar 2027, then press Confirm sent.")));
    expectPrivate(r);
    expectShows(r, [
      'Case CSPR-2027-004: chronology due Tue 30 Mar 2027', "Please send West Midlands Police's chronology or summary for case CSPR-2027-004 to the business unit by the secure route by Tue 30 Mar 2027",
      'Agency', 'West Midlands Police', 'Send by', 'The chronology goes by the secure route, never in chat.',
    ], ['Confirm sent']);
    expect(r.teamsText).not.toContain(summary);
    const done = rendered('agencyCard', agencyCard(review(), 'a-council', '2027-03-30', calendar, 'Confirm it was sent.'));
    expectShows(done, ["Walsall Council's chronology for case CSPR-2027-004 was confirmed sent by Nicola Brooks. Thank you."]);
  });

  it('a joint case: each chair chooses which process leads; once agreed, no buttons', () => {
    const chosen = review({ leadChoices: [{ memberId: 'm-helen', name: 'Helen Ashby', process: 'child' }] });
    const r = rendered('leadCard', privateTo(['m-helen', 'm-chris'], leadCard(chosen, 'Case CSPR-2027-004 may need both a Child safeguarding practice review and a Domestic Homicide Review. Agree at the outset which process leads: each chair chooses below.')));
    expectPrivate(r);
    expectShows(r, ['Case CSPR-2027-004: which process leads?', 'Processes', 'Child safeguarding practice review or Domestic Homicide Review', 'Chosen so far', 'Helen Ashby: Child safeguarding practice review'],
      ['Child safeguarding practice review leads', 'Domestic Homicide Review leads']);
    expect(r.teamsText).not.toContain(summary);
    expectShows(rendered('leadCard', leadCard(review({ leadProcess: 'child' }), 'The chairs have agreed which process leads.')), ['Agreed: the Child safeguarding practice review leads, with a joint report to both boards.']);
  });

  it('`review list`: each review with its next clock or its decision, or what to do when there are none', () => {
    const adult = review({ id: 'e0a80101-0000-4000-8000-000000000002', number: 2, type: 'adult', caseRef: 'SAR-2027-001', awareOn: '2027-02-01', jointWith: undefined, agencies: [], acks: [] });
    const r = rendered('reviewListCard', privateTo(['m-helen'], reviewListCard('Open reviews', [adult, review(), decided()], now, calendar, 'There are no open reviews for your groups.')));
    expectPrivate(r);
    expectShows(r, [
      '#2 case SAR-2027-001', 'Safeguarding Adults Review referral · Referral acknowledged by Mon 8 Feb 2027', 'Overdue',
      '#1 case CSPR-2027-004', 'Serious child safeguarding incident · National notification to the Panel and Ofsted by Fri 19 Mar 2027 (4 working days left)', 'Open',
      'decided: Local child safeguarding practice review (LCSPR)', 'Decided', 'Type review status <number> for one review with its history.',
    ]);
    expect(r.teamsText).not.toContain(summary);
    expectShows(rendered('reviewListCard', reviewListCard('Open reviews', [], now, calendar, 'There are no open reviews for your groups. `review notify` starts one.')), ['There are no open reviews for your groups. review notify starts one.']);
  });

  it('`review notify` opens the form with the agencies; a flagged summary comes back with the tick box', async () => {
    const deps = { db: { agency: { findMany: async () => [{ id: 'a-council', name: 'Walsall Council' }, { id: 'a-police', name: 'West Midlands Police' }] } } } as unknown as FeatureDeps;
    covered.add('notifyForm');
    const form = await notifyForm(deps, 'p-walsall');
    const r = renderFormBoth(form);
    for (const text of [
      'Notify a case review', 'Send to the group', 'Goes privately to the Practice Review Group', 'Type', 'Serious child safeguarding incident', 'Safeguarding Adults Review referral',
      'Domestic Homicide Review notification', 'Learning referral (may not meet the criteria)', 'Case reference', 'Agencies involved', 'Walsall Council', 'West Midlands Police',
      'May it also need another kind of review?', 'Also: Domestic Homicide Review notification', 'Brief summary (no names, dates of birth or addresses)',
    ]) {
      expect(r.teamsText, text).toContain(text);
      expect(r.slackText, text).toContain(text);
    }
    covered.add('withConfirmField');
    const values = { type: 'child', caseRef: 'CSPR-2027-004', awareOn: '2027-03-12', summary: 'Seen at 12 Market Street health centre.' };
    const flagged = renderFormBoth(withConfirmField(form, ['summary'], values), { errors: { summary: 'This looks like it contains a street address.' } });
    // (Slack shows a submission's errors itself, beside the blocks of the open modal.)
    expect(flagged.teamsText).toContain('This looks like it contains a street address.');
    for (const text of ['Not identifying?', 'I have checked: these are not identifying details', 'Seen at 12 Market Street health centre.']) {
      expect(flagged.teamsText, text).toContain(text);
      expect(JSON.stringify(flagged.slack), text).toContain(text);
    }
    covered.add('withConfirmFieldToRead');
    expect(withConfirmFieldToRead(form).fields.map((f) => f.id)).toEqual(['type', 'caseRef', 'awareOn', 'nationalNotifiedOn', 'agencies', 'jointWith', 'summary', 'confirmNotIdentifying']);
  });
});

describe('Section 11 rounds', () => {
  const calendar = new WorkingCalendar({ zone: 'Europe/London' });
  const now = DateTime.fromISO('2027-05-04T10:00', { zone: 'Europe/London' }); // Tuesday, after the early May bank holiday
  const round: RoundView = {
    id: 'r-1', partnershipId: 'p-walsall', number: 1, title: 'Section 11 audit 2027', variant: 's11', dueOn: '2027-06-30', launchedOn: '2027-03-01', status: 'open',
    settings: { ...DEFAULT_CHASE, standards: DEFAULT_STANDARDS.s11, scale: DEFAULT_SCALE, moderatedBy: 'performance-quality-assurance' }, createdAt: new Date('2027-03-01T10:00:00Z'),
  };
  const answers = { 's1:rating': 'met', 's1:evidence': 'Board minutes, March 2027', 's3:rating': 'partly-met', 's3:action': 'Publish the structure chart', 's3:owner': 'm-nicola', 's3:target': '2027-09-30', 's4:rating': 'not-applicable', 's4:na': 'We provide no services to children directly' };
  const ret = (overrides: Partial<ReturnView> = {}): ReturnView => ({
    id: 'ret-1', roundId: 'r-1', partnershipId: 'p-walsall', agencyId: 'a-council', agencyKey: 'walsall-council', agencyName: 'Walsall Council', status: 'not_started', hasDraft: false, dueOn: '2027-06-30',
    carriedFromId: null, answers: null, submittedAt: null, submittedById: null, signedOffAt: null, moderation: null, response: null, ...overrides,
  });
  const submitted = ret({ status: 'submitted', answers, submittedAt: new Date('2027-05-04T09:00:00Z'), submittedById: 'm-nicola' });

  it("a lead's card: where the return stands, Start return and Ask for more time; once returned, the comment and Open return", () => {
    expectShows(rendered('leadCard', s11Cards.leadCard(round, ret({ carriedFromId: 'old' }), 'Section 11 audit 2027 has started.', now, calendar)),
      ['Section 11 audit 2027 · Walsall Council', 'Not started', 'Wed 30 Jun 2027 (40 working days left)', 'Carried forward', 'confirm or update each standard'], ['Start return', 'Ask for more time']);
    const history = [{ at: new Date('2027-05-04T09:30:00Z'), kind: 'sent-back', actor: 'Joanne Fairweather', detail: 'Standard 6 needs the DBS audit figures.' }];
    expectShows(rendered('leadCard', s11Cards.leadCard(round, ret({ status: 'returned', hasDraft: true, answers }), 'Sent back.', now, calendar, history)),
      ['Draft', 'Returned by Joanne Fairweather:', 'Standard 6 needs the DBS audit figures.'], ['Open return', 'Ask for more time']);
    expectShows(rendered('leadCard', s11Cards.leadCard(round, ret({ dueOn: '2027-04-30' }), 'Overdue.', now, calendar)), ['was due Fri 30 Apr 2027 (1 working day overdue)'], ['Start return', 'Ask for more time']);
  });

  it("the signatory's card lists each standard's rating in words with its letter, and Sign off / Send back", () => {
    const r = rendered('signOffCard', s11Cards.signOffCard(round, submitted, 'Nicola Brooks submitted the return.', 'Nicola Brooks', 'Europe/London'));
    expectShows(r, ['1. Senior management commitment', 'Met (M)', '3. Clear line of accountability', 'Partially met (P)', 'Action: Publish the structure chart', 'Not applicable (X)', 'Not rated'], ['Sign off', 'Send back']);
    expectShows(rendered('signOffCard', s11Cards.signOffCard(round, { ...submitted, status: 'signed_off' }, 'Signed off.', 'Nicola Brooks', 'Europe/London')), ['Signed off']);
  });

  it("the reviewers' card shows the self-assessed and moderated ratings, the feedback and the response, with Moderate and Return for more evidence", () => {
    const moderated = { ...submitted, moderation: { ratings: { s1: 'partly-met' }, feedback: 'Good evidence; the audit of supervision is missing.', byId: 'm-stuart', at: '2027-05-04T10:00:00Z' }, response: 'We will add the audit in June.' };
    expectShows(rendered('reviewerCard', s11Cards.reviewerCard(round, moderated, 'Moderated.')),
      ['Self-assessed ratings', 'Moderated: Partially met (P)', 'Moderated: not yet', 'Good evidence; the audit of supervision is missing.', 'We will add the audit in June.'], ['Change moderation', 'Return for more evidence']);
    expectShows(rendered('feedbackCard', s11Cards.feedbackCard(round, moderated, 'Feedback is in.')), ['Your ratings and the moderated ratings', 'Feedback:', 'Your response:'], ['Change response']);
  });

  it('`s11 status`: every agency with counts, or only the viewer\'s own line and the totals', () => {
    const returns = [ret(), ret({ id: 'ret-2', agencyKey: 'west-midlands-police', agencyName: 'West Midlands Police', status: 'signed_off' }), ret({ id: 'ret-3', agencyKey: 'cafcass', agencyName: 'Cafcass', hasDraft: true })];
    const all = rendered('statusCard', s11Cards.statusCard(round, returns, now, calendar));
    expectShows(all, ['Section 11 audit 2027, round 1: 3 agencies', 'Not started: 1', 'Draft: 1', 'Signed off: 1', 'West Midlands Police', 'Cafcass']);
    const own = rendered('statusCard', s11Cards.statusCard(round, returns, now, calendar, ['walsall-council']));
    expectShows(own, ['Your agency', 'Walsall Council', 'Signed off: 1']);
    expect(own.teamsText).not.toContain('West Midlands Police');
  });

  it('a request for more time, to the business unit: Approve or Decline; once decided, who decided', () => {
    const ext = { id: 'x-1', untilOn: '2027-07-16', reason: 'Our safeguarding lead is on leave in June.', status: 'pending', by: 'Nicola Brooks' };
    expectShows(rendered('extensionCard', s11Cards.extensionCard(round, ret(), ext, 'Europe/London')), ['asks for more time', 'until Fri 16 Jul 2027', 'Our safeguarding lead is on leave in June.'], ['Approve', 'Decline']);
    expectShows(rendered('extensionCard', s11Cards.extensionCard(round, ret(), { ...ext, status: 'approved', decidedBy: 'Sharon McDermott' }, 'Europe/London')), ['was approved by Sharon McDermott']);
    expectShows(rendered('actionReminderCard', s11Cards.actionReminderCard('Section 11 audit 2027 · Walsall Council', 'Reminder: the improvement action is due.', 'act-1')), ['Reminder: the improvement action is due.'], ['Done']);
  });

  it('a command word alone lists its forms, each with what it does', () => {
    const r = rendered('usageCard', usageCard('s11', 's11 launch | open | status', [{ title: 's11 open [round]', detail: "Fill in your agency's return" }, { title: 's11 status [round]', detail: 'Where every return stands' }]));
    expectShows(r, ['s11: commands', 's11 open [round]', "Fill in your agency's return", 's11 status [round]']);
  });

  it('`s11 report`: the heat map as an image with its alt text, the CSV as a file, the actions listed', async () => {
    const rows = [{ ...submitted, id: 'ret-1', roundId: 'r-1', status: 'submitted', agencyId: 'a-council', answers, moderation: null, response: null, carriedFromId: null, dueOn: '2027-06-30', partnershipId: 'p-walsall', submittedAt: null, submittedById: null, signedOffAt: null, signedOffById: null, createdAt: new Date(), updatedAt: new Date() }];
    const tx = {
      s11Return: { findMany: async () => rows },
      agency: { findMany: async () => [{ id: 'a-council', key: 'walsall-council', name: 'Walsall Council' }] },
      formDraft: { findMany: async () => [] },
      s11Action: { findMany: async () => [{ id: 'act-1', returnId: 'ret-1', standardKey: 's3', text: 'Publish the structure chart', ownerId: 'm-nicola', targetOn: '2027-04-30', doneOn: null }] },
      member: { findMany: async () => [{ id: 'm-nicola', displayName: 'Nicola Brooks' }] },
    } as unknown as Db;
    const r = rendered('roundReport', await roundReport(tx, round, '2027-05-04', 'Europe/London'));
    expectShows(r, ['1 of 1 returns in', 'Improvement actions (1 open of 1)', 'Walsall Council, standard 3: Publish the structure chart', 'Nicola Brooks · by Fri 30 Apr 2027', 'Overdue', 's11-round-1-2027-ratings.csv']);
  });
});

describe('the list above is exhaustive', () => {
  it('every button the cycles feature defines appeared on a rendered card', () => {
    const defined = [...Object.values(stageActions), ...Object.values(extensionActions), ...Object.values(requestListActions), ...Object.values(cycleActions), ...Object.values(returnActions), ...Object.values(occurrenceActions)];
    expect(defined.filter((id) => !seenActionIds.has(id))).toEqual([]);
  });

  it('every button the disputes feature defines appeared on a rendered card', () => {
    // Every one sits on a card: Agree an outcome and Escalate now on the parties' card, Confirm outcome and Not agreed on
    // the proposal, the chair's five on the chair's card, Add to risk register on the chair's and status cards,
    // Record review and Close risk on risk cards, and Undo on the card a close leaves behind.
    const defined = [...Object.values(disputeButtons), ...Object.values(riskButtons)];
    expect(defined.filter((id) => !seenActionIds.has(id))).toEqual([]);
  });

  it('every button the reviews feature defines appeared on a rendered card', () => {
    expect(Object.values(reviewButtons).filter((id) => !seenActionIds.has(id))).toEqual([]);
  });

  it('every button the Section 11 feature defines appeared on a rendered card', () => {
    expect(Object.values(s11Buttons).filter((id) => !seenActionIds.has(id))).toEqual([]);
  });

  it('every exported message builder in src was rendered above (or only reads the database and calls one that was)', () => {
    const readsThenBuilds: Record<string, string> = {
      cycleStatus: 'cycleStatusCard',
      cycleStatusCardById: 'cycleStatusCard',
      cycleList: 'cycleListMessage',
      myTasks: 'tasksMessage',
      scheduleMessage: 'scheduleListMessage',
      skipCommand: 'skippedMessage',
      unskipCommand: 'restoredMessage',
      rescheduleCommand: 'rescheduledMessage',
      pausePlanCommand: 'planPausedMessage',
      resumePlanCommand: 'planResumedMessage',
      failedList: 'deadLetterListCard',
      retryFailed: 'retriedMessage',
      // Loads the risk, checks the member may review it and that it is still open, then builds the form.
      openReviewForm: 'reviewRiskForm',
      chairCardNow: 'chairCard',
      // The group's members from the database, then the group's card.
      groupCardNow: 'groupCard',
    };
    const src = path.resolve(import.meta.dirname, '../../src');
    const builders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          for (const m of readFileSync(full, 'utf8').matchAll(/^export (?:async )?function (\w+)\(.*\): (?:Promise<)?(?:Message|Form)>? \{$/gm)) builders.push(m[1]!);
        }
      }
    };
    walk(src);
    expect(builders.length).toBeGreaterThan(10);
    for (const [loader, builder] of Object.entries(readsThenBuilds)) {
      expect(builders, `${loader} is still a builder`).toContain(loader);
      expect(covered.has(builder), `${loader} delegates to ${builder}, which was rendered`).toBe(true);
    }
    expect(builders.filter((b) => !covered.has(b) && !(b in readsThenBuilds)).sort()).toEqual([]);
  });
});
