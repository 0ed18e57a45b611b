import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPartnershipFile } from '../../src/app/partnership-file.js';
import { ManualClock } from '../../src/core/clock.js';
import { importPartnership } from '../../src/directory/import-partnership.js';
import { eventually, repoRoot, slackSigningSecret, startBot, type BotHarness } from '../support/bot-harness.js';
import { blockActionsBody, postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { TeamsUser } from '../support/teams-chat.js';

// Issue 12: every command and every card action, for every role, allowed or refused as the features say, through the
// real bot (signed Slack requests; a sample, and the forms, through Teams). "Allowed": the feature did its thing (a
// change in the database, or the expected answer). "Refused": a clear refusal, an `access.refused` audit row, and no
// change at all. Refused rows all share one set of subjects; each allowed row that changes something gets its own.

const north = { team: 'T0NORTH01', tenant: '0c1d2e3f-4a5b-4c6d-8e7f-000000000a0a' };
const south = { team: 'T0SOUTH01', tenant: '0c1d2e3f-4a5b-4c6d-8e7f-000000000b0b' };
const aad = (n: number) => `0b000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Actor { role: string; slack: { userId: string; teamId: string }; teams: { aad: string; tenant: string } }
const member = (role: string, slackId: string, n: number): Actor => ({ role, slack: { userId: slackId, teamId: north.team }, teams: { aad: aad(n), tenant: north.tenant } });
const actors = {
  admin: member('admin (business manager)', 'U0NMBEA01', 1),
  independentChair: member('independent chair', 'U0NMIAN01', 2),
  groupChair: member('group chair (PQA)', 'U0NMGIN01', 3),
  prgMember: member('PRG member', 'U0NMPRI01', 4),
  agencyLead: member('agency lead', 'U0NMLEE01', 5),
  signatory: member('signatory', 'U0NMSID01', 6),
  ordinary: member('ordinary member', 'U0NMOLL01', 7),
  stageOwner: member('stage owner (PQA member)', 'U0NMOWE01', 8),
  otherPartnership: { role: 'admin of another partnership', slack: { userId: 'U0SMBEA01', teamId: south.team }, teams: { aad: aad(101), tenant: south.tenant } },
  stranger: { role: 'stranger', slack: { userId: 'U0NOBODY1', teamId: north.team }, teams: { aad: '0b000000-0000-4000-8000-0000000009f9', tenant: north.tenant } },
  adminElsewhere: { role: "admin's ids from another workspace/tenant", slack: { userId: 'U0NMBEA01', teamId: south.team }, teams: { aad: aad(1), tenant: south.tenant } },
} satisfies Record<string, Actor>;
type Role = keyof typeof actors;
const roles = Object.keys(actors) as Role[];
const members: Role[] = ['admin', 'independentChair', 'groupChair', 'prgMember', 'agencyLead', 'signatory', 'ordinary', 'stageOwner'];
const owners: Role[] = ['admin', 'groupChair', 'stageOwner'];
const deciders: Role[] = ['admin', 'independentChair', 'groupChair'];

type Act = { kind: 'command'; text: string } | { kind: 'press'; id: string; value: string } | { kind: 'form'; id: string; state: string; values: Record<string, string> };
const command = (text: string): Act => ({ kind: 'command', text });
const press = (id: string, value: string): Act => ({ kind: 'press', id, value });
const form = (id: string, state: string, values: Record<string, string>): Act => ({ kind: 'form', id, state, values });

/** The audit's name for what was refused: the button or form id, or the command's first word. */
const auditedAs = (act: Act) => (act.kind === 'command' ? act.text.split(' ')[0]! : act.kind === 'form' ? act.id : act.id);

const refusal = /Sorry, only|Only .+ can|can use these buttons|not in the partnership directory|no longer exists|no longer there|no longer in the schedule|no longer works|no longer waiting|is not a member/;
const wentWrong = /went wrong|try again later/i;

interface Shared {
  cycle: { id: string; number: number; stageId: string };
  paused: { id: string; number: number };
  /** A stage nobody has asked more time for (opening the form needs that). */
  quiet: string;
  request: string;
  ret: string;
  retStage: string;
  action: { id: string; number: number };
  doneAction: { id: string; number: number };
  skipped: string;
  south: { cycle: string; stage: string; request: string; ret: string; action: string; member: string; occurrence: string };
}

/** One action of the table: who may do it, what it looks like, and how to see that it was done. */
interface Spec {
  name: string;
  allowed: readonly Role[];
  act: (s: Shared, fresh: Fresh | undefined, role: Role) => Act;
  /** A subject of its own for each allowed row, when doing it changes the subject. */
  fresh?: () => Promise<Fresh>;
  /** Allowed: the change it made (true), or what the answer must say. */
  done: ((s: Shared, fresh: Fresh | undefined, role: Role) => Promise<boolean>) | RegExp;
  /** Roles this row does not apply to (commands act in the caller's own partnership, so a foreign member has nothing to craft there). */
  skip?: readonly Role[];
  /** Only through Teams (forms: Slack modals are covered by the other tests). */
  teamsOnly?: boolean;
  /** Allowed rows that must run one after another, in table order. */
  inOrder?: boolean;
}
type Fresh = Record<string, string | number>;

const clock = new ManualClock(DateTime.fromISO('2027-02-01T09:00:00Z')); // Monday 09:00 GMT
let bot: BotHarness;
let shared: Shared;
let seq = 0;
const nextTrigger = () => `trigger-m${++seq}`;
const memberIds = new Map<string, string>();

async function memberId(slug: string, key: string): Promise<string> {
  const cached = memberIds.get(`${slug}/${key}`);
  if (cached) return cached;
  const row = await bot.db.member.findFirstOrThrow({ where: { key, partnership: { slug } }, select: { id: true } });
  memberIds.set(`${slug}/${key}`, row.id);
  return row.id;
}
const memberKeyOf: Partial<Record<Role, string>> = {
  admin: 'bea-manager', independentChair: 'ian-chair', groupChair: 'gina-chair', prgMember: 'pria-prg', agencyLead: 'lee-lead', signatory: 'sid-signatory', ordinary: 'olly-member', stageOwner: 'owen-owner',
};

/** Runs one act through Slack and returns what the person was shown (a reply, a notice, or the modal that opened). */
async function viaSlack(actor: Actor, act: Act): Promise<string> {
  const id = nextTrigger();
  const responseUrl = bot.slackApi.responseUrl(id);
  const request = act.kind === 'command'
    ? slashCommandBody({ text: act.text, ...actor.slack, responseUrl, triggerId: id })
    : act.kind === 'press'
      ? blockActionsBody({ ...actor.slack, actions: [{ actionId: act.id, value: act.value }], triggerId: id, responseUrl, ephemeral: true })
      : undefined;
  if (!request) throw new Error('forms run through Teams');
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
  expect(res.status).toBe(200);
  const answer = await bot.slackApi.waitFor((c) => (c.method === 'response_url' && c.path.endsWith(id)) || (c.method === 'views.open' && c.body.trigger_id === id), { timeoutMs: 15_000 });
  return answer.method === 'views.open' ? `[form opened] ${JSON.stringify(answer.body)}` : JSON.stringify(answer.body);
}

/** The same act through Teams (forms as the Action.Execute of the form card). */
async function viaTeams(actor: Actor, act: Act): Promise<string> {
  const user = new TeamsUser(bot, actor.teams.aad, actor.teams.tenant, actor.role);
  if (act.kind === 'command') return user.ask(act.text);
  const answer = act.kind === 'press' ? await user.press(act.id, { value: act.value }) : await user.press(`form:${act.id}`, { state: act.state, ...act.values });
  const shown = JSON.stringify(answer.value);
  return answer.type === 'application/vnd.microsoft.card.adaptive' && /"Input\./.test(shown) ? `[form opened] ${shown}` : shown;
}

/** Everything a refused row must leave as it was (refusal replies and their audit rows aside). */
async function state() {
  const db = bot.db;
  return {
    cycles: await db.cycle.findMany({ select: { id: true, status: true, leadMemberId: true }, orderBy: { id: 'asc' } }),
    stages: await db.cycleStage.findMany({ select: { id: true, status: true, dueOn: true, doneNote: true }, orderBy: { id: 'asc' } }),
    snoozes: await db.stageSnooze.count(),
    requests: await db.extensionRequest.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } }),
    returns: await db.stageReturn.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } }),
    actions: await db.actionItem.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } }),
    feeds: await db.calendarFeed.count(),
    occurrences: await db.planOccurrence.findMany({ select: { id: true, status: true, movedTo: true }, orderBy: { id: 'asc' } }),
    pauses: await db.planPause.count(),
    audit: await db.auditEvent.count({ where: { action: { not: 'access.refused' } } }),
  };
}

async function refusalsAudited() {
  const rows = await bot.db.auditEvent.findMany({ where: { action: 'access.refused' }, orderBy: { id: 'asc' } });
  interface Refused { platform?: string; userId?: string; aadObjectId?: string; what?: string; reason?: string }
  return rows.map((r) => ({ ...(r.data as Refused), actorMemberId: r.actorMemberId, partnershipId: r.partnershipId, subjectType: r.subjectType, subjectId: r.subjectId }));
}

// ---- subjects ---------------------------------------------------------------------------------------------------

async function startCycle(plan: string, title: string, who: Actor = actors.admin, slug = 'northmoor') {
  const reply = await viaSlack(who, command(`cycle start ${plan} "${title}"`));
  expect(reply, title).toContain('Started cycle #');
  const cycle = await bot.db.cycle.findFirstOrThrow({ where: { title, partnership: { slug } }, include: { stages: { orderBy: { seq: 'asc' } } } });
  return { id: cycle.id, number: cycle.number, stageId: cycle.stages[0]!.id };
}
let titles = 0;
const freshCycle = async (plan = 'audit') => startCycle(plan, `${plan} ${++titles}`);
async function freshAction(title = `Action ${++titles}`, who: Actor = actors.admin, slug = 'northmoor', owner = 'owen-owner') {
  const reply = await viaSlack(who, command(`actions add pqa "${title}" ${owner} 2027-02-10`));
  expect(reply, title).toContain('Added action #');
  const row = await bot.db.actionItem.findFirstOrThrow({ where: { title, partnership: { slug } } });
  return { id: row.id, number: row.number };
}
async function pendingRequest(stageId: string, slug = 'northmoor') {
  const row = await bot.db.extensionRequest.create({
    data: { stageId, requestedById: await memberId(slug, 'owen-owner'), approverId: await memberId(slug, 'gina-chair'), proposedDueOn: '2027-03-01', reason: 'Case files are late' },
  });
  return row.id;
}
let requestStage: string | undefined;
const freshRequest = async () => ({ request: await pendingRequest(requestStage ??= (await freshCycle()).stageId) });
const doneAction = async () => {
  const action = await freshAction();
  await bot.db.actionItem.update({ where: { id: action.id }, data: { status: 'done', doneAt: new Date(), doneById: await memberId('northmoor', 'owen-owner') } });
  return action;
};
async function returnOf(cycleId: string) {
  return (await bot.db.stageReturn.findFirstOrThrow({ where: { stage: { cycleId } } })).id;
}
const stageStatus = async (id: string) => (await bot.db.cycleStage.findUniqueOrThrow({ where: { id } })).status;
const cycleStatus = async (id: string) => (await bot.db.cycle.findUniqueOrThrow({ where: { id } })).status;
const requestStatus = async (id: string) => (await bot.db.extensionRequest.findUniqueOrThrow({ where: { id } })).status;
const actionStatus = async (id: string) => (await bot.db.actionItem.findUniqueOrThrow({ where: { id } })).status;
const occurrence = () => bot.db.planOccurrence.findUniqueOrThrow({ where: { id: shared.skipped } });
const byActor = async (role: Role, action: string) => bot.db.auditEvent.count({ where: { action, actorMemberId: await memberId('northmoor', memberKeyOf[role]!) } });
const returnState = (returnId: string) => JSON.stringify({ returnId, figures: [{ key: 'referrals', label: 'Referrals received this quarter' }], narrative: true });
const startPending = (s: Shared, leadMemberId?: string) => JSON.stringify({ token: randomUUID(), planKey: 'audit', title: `Confirmed ${++titles}`, startOn: '2027-01-04', ...(leadMemberId ? { leadMemberId } : {}) });

// ---- the table --------------------------------------------------------------------------------------------------

const specs: Spec[] = [
  // Commands anyone may use.
  { name: 'help', allowed: roles, act: () => command('help'), done: /cycle/ },
  // A stranger's whoami answers "not in the directory": no refusal to audit (help and whoami are for everyone).
  { name: 'whoami', allowed: roles, skip: ['stranger', 'adminElsewhere'], act: () => command('whoami'), done: /./ },
  // Reading: members of the partnership.
  { name: 'tasks', allowed: [...members, 'otherPartnership'], act: () => command('tasks'), done: /./ },
  { name: 'cycle list', allowed: [...members, 'otherPartnership'], act: () => command('cycle list'), done: /./ },
  { name: 'cycle status <n>', allowed: members, skip: ['otherPartnership'], act: (s) => command(`cycle status ${s.cycle.number}`), done: /Gather the case files/ },
  { name: 'cycle schedule', allowed: [...members, 'otherPartnership'], act: () => command('cycle schedule'), done: /Yearly self-assessment/ },
  { name: 'requests', allowed: [...members, 'otherPartnership'], act: () => command('requests'), done: /./ },
  { name: 'actions', allowed: [...members, 'otherPartnership'], act: () => command('actions pqa'), done: /./ },
  { name: 'calendar', allowed: members, skip: ['otherPartnership'], act: () => command('calendar'), done: async (_s, _f, role) => (await bot.db.calendarFeed.count({ where: { createdById: await memberId('northmoor', memberKeyOf[role]!), groupId: null } })) === 1 },
  { name: 'calendar group prg', allowed: ['admin', 'prgMember'], skip: ['otherPartnership'], act: () => command('calendar group prg'), done: async (_s, _f, role) => (await bot.db.calendarFeed.count({ where: { createdById: await memberId('northmoor', memberKeyOf[role]!), groupId: { not: null } } })) === 1 },
  // Partnership admins' tools (the admin feature): the failed-delivery list and its Retry buttons.
  { name: 'admin failed', allowed: ['admin'], skip: ['otherPartnership'], act: () => command('admin failed'), done: /./ },
  { name: 'admin.failed.retry', allowed: ['admin', 'otherPartnership'], act: () => press('admin.failed.retry', randomUUID()), done: /Nothing to retry/ },
  { name: 'admin.failed.retry-all', allowed: ['admin', 'otherPartnership'], act: () => press('admin.failed.retry-all', 'all'), done: /Nothing to retry/ },
  // Changing cycles: admins (and the cycle's lead, here the admin who started it).
  { name: 'cycle start', allowed: ['admin'], skip: ['otherPartnership'], act: () => command('cycle start audit "Started from the matrix"'), done: async () => (await bot.db.cycle.count({ where: { title: 'Started from the matrix' } })) === 1 },
  { name: 'cycle move', allowed: ['admin'], skip: ['otherPartnership'], fresh: () => freshCycle(), act: (s, f) => command(`cycle move ${f?.number ?? s.cycle.number} gather 2027-02-22`), done: async (_s, f) => (await bot.db.cycleStage.findUniqueOrThrow({ where: { id: String(f!.stageId) } })).dueOn === '2027-02-22' },
  { name: 'cycle pause <n>', allowed: ['admin'], skip: ['otherPartnership'], fresh: () => freshCycle(), act: (s, f) => command(`cycle pause ${f?.number ?? s.cycle.number}`), done: async (_s, f) => (await cycleStatus(String(f!.id))) === 'paused' },
  { name: 'cycle resume <n>', allowed: ['admin'], skip: ['otherPartnership'], fresh: async () => { const c = await freshCycle(); await viaSlack(actors.admin, command(`cycle pause ${c.number}`)); return c; }, act: (s, f) => command(`cycle resume ${f?.number ?? s.paused.number}`), done: async (_s, f) => (await cycleStatus(String(f!.id))) === 'active' },
  { name: 'cycle cancel <n>', allowed: ['admin'], skip: ['otherPartnership'], act: (s) => command(`cycle cancel ${s.cycle.number}`), done: /Yes, cancel the cycle/ },
  // Recurring plans: admins only; one occurrence, changed in turn by the admin's rows.
  { name: 'cycle.occurrence.unskip (button)', allowed: ['admin'], inOrder: true, act: (s) => press('cycle.occurrence.unskip', s.skipped), done: async () => (await occurrence()).status === 'planned' },
  { name: 'cycle skip', allowed: ['admin'], skip: ['otherPartnership'], inOrder: true, act: () => command('cycle skip yearly 2027-04-01'), done: async () => (await occurrence()).status === 'skipped' },
  { name: 'cycle unskip', allowed: ['admin'], skip: ['otherPartnership'], inOrder: true, act: () => command('cycle unskip yearly 2027-04-01'), done: async () => (await occurrence()).status === 'planned' },
  { name: 'cycle reschedule', allowed: ['admin'], skip: ['otherPartnership'], inOrder: true, act: () => command('cycle reschedule yearly 2027-04-01 2027-04-08'), done: async () => (await occurrence()).movedTo === '2027-04-08' },
  { name: 'cycle.occurrence.move-back (button)', allowed: ['admin'], inOrder: true, act: (s) => press('cycle.occurrence.move-back', `${s.skipped}|2027-04-01`), done: async () => ((await occurrence()).movedTo ?? (await occurrence()).occursOn) === '2027-04-01' },
  { name: 'cycle pause <plan>', allowed: ['admin'], skip: ['otherPartnership'], inOrder: true, act: () => command('cycle pause yearly'), done: async () => (await bot.db.planPause.count()) === 1 },
  { name: 'cycle resume <plan>', allowed: ['admin'], skip: ['otherPartnership'], inOrder: true, act: () => command('cycle resume yearly'), done: async () => (await bot.db.planPause.count()) === 0 },
  // Action logs: the group's chair and admins add; the owner, the chair and admins close.
  { name: 'actions add', allowed: ['admin', 'groupChair'], skip: ['otherPartnership'], act: (_s, _f, role) => command(`actions add pqa "Added by ${role}" owen-owner 2027-02-10`), done: async (_s, _f, role) => (await bot.db.actionItem.count({ where: { title: `Added by ${role}` } })) === 1 },
  { name: 'actions done <n>', allowed: ['admin', 'groupChair', 'stageOwner'], skip: ['otherPartnership'], fresh: () => freshAction(), act: (s, f) => command(`actions done ${f?.number ?? s.action.number}`), done: async (_s, f) => (await actionStatus(String(f!.id))) === 'done' },
  { name: 'action-log.done', allowed: ['admin', 'groupChair', 'stageOwner'], fresh: () => freshAction(), act: (s, f) => press('action-log.done', String(f?.id ?? s.action.id)), done: async (_s, f) => (await actionStatus(String(f!.id))) === 'done' },
  { name: 'action-log.undo', allowed: ['admin', 'groupChair', 'stageOwner'], fresh: doneAction, act: (s, f) => press('action-log.undo', String(f?.id ?? s.doneAction.id)), done: async (_s, f) => (await actionStatus(String(f!.id))) === 'open' },
  // Stage cards: the stage's owners (the PQA group, its chair included), the cycle's lead and admins.
  { name: 'stage.done', allowed: owners, fresh: () => freshCycle(), act: (s, f) => press('stage.done', String(f?.stageId ?? s.cycle.stageId)), done: async (_s, f) => (await stageStatus(String(f!.stageId))) === 'done' },
  { name: 'stage.snooze.1d', allowed: owners, act: (s) => press('stage.snooze.1d', s.cycle.stageId), done: async (s, _f, role) => (await bot.db.stageSnooze.count({ where: { stageId: s.cycle.stageId, memberId: await memberId('northmoor', memberKeyOf[role]!) } })) === 1 },
  { name: 'stage.snooze.3d', allowed: owners, act: (s) => press('stage.snooze.3d', s.cycle.stageId), done: /Snoozed/ },
  { name: 'stage.snooze.1w', allowed: owners, act: (s) => press('stage.snooze.1w', s.cycle.stageId), done: /Snoozed/ },
  { name: 'stage.more-time', allowed: owners, act: (s) => press('stage.more-time', s.quiet), done: /\[form opened\]/ },
  { name: 'stage.note', allowed: owners, act: (s) => press('stage.note', s.cycle.stageId), done: /\[form opened\]/ },
  { name: 'cycle.open', allowed: members, act: (s) => press('cycle.open', s.cycle.id), done: /Gather the case files/ },
  { name: 'cycle.resume', allowed: ['admin'], fresh: async () => { const c = await freshCycle(); await viaSlack(actors.admin, command(`cycle pause ${c.number}`)); return c; }, act: (s, f) => press('cycle.resume', String(f?.id ?? s.paused.id)), done: async (_s, f) => (await cycleStatus(String(f!.id))) === 'active' },
  { name: 'cycle.cancel', allowed: ['admin'], fresh: () => freshCycle(), act: (s, f) => press('cycle.cancel', String(f?.id ?? s.cycle.id)), done: async (_s, f) => (await cycleStatus(String(f!.id))) === 'cancelled' },
  // Another partnership's admin starts the plan of that name in their own partnership, as `cycle start` would.
  { name: 'cycle.start.confirm', allowed: ['admin', 'otherPartnership'], act: (s) => press('cycle.start.confirm', startPending(s)), done: /Started cycle #/ },
  { name: 'cycle.start.cancel', allowed: [...members, 'otherPartnership'], act: () => press('cycle.start.cancel', randomUUID()), done: /Not started/ },
  // Requests for more time: the approver (the owning group's chair), the independent chair and admins; never the requester.
  { name: 'extension.approve', allowed: deciders, fresh: freshRequest, act: (s, f) => press('extension.approve', String(f?.request ?? s.request)), done: async (_s, f) => (await requestStatus(String(f!.request))) === 'approved' },
  { name: 'extension.decline', allowed: deciders, fresh: freshRequest, act: (s, f) => press('extension.decline', String(f?.request ?? s.request)), done: async (_s, f) => (await requestStatus(String(f!.request))) === 'declined' },
  { name: 'extension.list.approve', allowed: deciders, fresh: freshRequest, act: (s, f) => press('extension.list.approve', JSON.stringify({ request: f?.request ?? s.request, shown: [] })), done: async (_s, f) => (await requestStatus(String(f!.request))) === 'approved' },
  { name: 'extension.list.decline', allowed: deciders, fresh: freshRequest, act: (s, f) => press('extension.list.decline', JSON.stringify({ request: f?.request ?? s.request, shown: [] })), done: async (_s, f) => (await requestStatus(String(f!.request))) === 'declined' },
  // Agency returns: the agency's safeguarding leads and its signatory (not admins); closing with returns missing: the stage's owners.
  { name: 'return.submit', allowed: ['agencyLead', 'signatory'], act: (s) => press('return.submit', s.ret), done: /\[form opened\]/ },
  { name: 'return.secure-email', allowed: ['agencyLead', 'signatory'], fresh: async () => ({ ret: await returnOf((await freshCycle('dataset')).id) }), act: (s, f) => press('return.secure-email', String(f?.ret ?? s.ret)), done: async (_s, f) => (await bot.db.stageReturn.findUniqueOrThrow({ where: { id: String(f!.ret) } })).status === 'returned' },
  { name: 'return.close-stage', allowed: owners, fresh: () => freshCycle('dataset'), act: (s, f) => press('return.close-stage', String(f?.stageId ?? s.retStage)), done: async (_s, f) => (await stageStatus(String(f!.stageId))) === 'done' },
  // Forms, submitted by hand (through Teams: an edited Action.Execute is the easy way to craft one).
  { name: 'form stage.more-time', allowed: owners, teamsOnly: true, fresh: () => freshCycle(), act: (s, f) => form('stage.more-time', String(f?.stageId ?? s.cycle.stageId), { proposedDueOn: '2027-03-01', reason: 'Case files are late' }), done: async (_s, f) => (await bot.db.extensionRequest.count({ where: { stageId: String(f!.stageId) } })) === 1 },
  { name: 'form stage.note', allowed: owners, teamsOnly: true, act: (s) => form('stage.note', s.cycle.stageId, { note: 'Files chased' }), done: async (_s, _f, role) => (await byActor(role, 'cycle.stage.noted')) === 1 },
  { name: 'form return.submit', allowed: ['agencyLead', 'signatory'], teamsOnly: true, fresh: async () => ({ ret: await returnOf((await freshCycle('dataset')).id) }), act: (s, f) => form('return.submit', returnState(String(f?.ret ?? s.ret)), { 'figure-referrals': '12', narrative: 'Referrals rose after the schools campaign.' }), done: async (_s, f) => (await bot.db.stageReturn.findUniqueOrThrow({ where: { id: String(f!.ret) } })).status === 'returned' },
];

interface Row { spec: Spec; role: Role; expected: 'allowed' | 'refused' }
const rows: Row[] = specs.flatMap((spec) => roles.filter((role) => !spec.skip?.includes(role)).map((role) => ({ spec, role, expected: spec.allowed.includes(role) ? 'allowed' as const : 'refused' as const })));

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

beforeAll(async () => {
  bot = await startBot({
    partnership: null, clock, teams: true,
    env: { PARTNERSHIP_CONFIG: `${repoRoot}/test/support/partnerships/northmoor-roles.yaml`, DELIVERY_RATE_PER_SECOND: '500' },
  });
  await importPartnership(bot.db, await loadPartnershipFile(`${repoRoot}/test/support/partnerships/southmere-roles.yaml`));
  const cycle = await startCycle('audit', 'Shared audit');
  const paused = await startCycle('audit', 'Paused audit');
  await viaSlack(actors.admin, command(`cycle pause ${paused.number}`));
  const dataset = await startCycle('dataset', 'Shared dataset');
  const action = await freshAction('Shared action');
  const done = await doneAction();
  expect(await viaSlack(actors.admin, command('cycle skip yearly 2027-04-01'))).toContain('Skipped');
  const skipped = await bot.db.planOccurrence.findFirstOrThrow({ where: { planKey: 'yearly', status: 'skipped', partnership: { slug: 'northmoor' } } });
  const other = actors.otherPartnership;
  const southCycle = await startCycle('dataset', 'Southmere dataset', other, 'southmere');
  const southAction = await freshAction('Southmere action', other, 'southmere');
  shared = {
    cycle,
    paused: { id: paused.id, number: paused.number },
    quiet: (await startCycle('audit', 'Quiet audit')).stageId,
    request: await pendingRequest(cycle.stageId),
    ret: await returnOf(dataset.id),
    retStage: dataset.stageId,
    action,
    doneAction: done,
    skipped: skipped.id,
    south: { cycle: southCycle.id, stage: southCycle.stageId, request: await pendingRequest(southCycle.stageId, 'southmere'), ret: await returnOf(southCycle.id), action: southAction.id, member: await memberId('southmere', 'owen-owner'),
      occurrence: (await bot.db.planOccurrence.create({
        data: { partnership: { connect: { slug: 'southmere' } }, planKey: 'yearly', occursOn: '2027-04-01', startsAt: new Date('2027-03-18T09:00:00Z'), status: 'skipped' },
      })).id },
  };
}, 120_000);
afterAll(async () => {
  await bot?.stop();
});

function expectRefused(row: Row, shown: string, platform: string) {
  const label = `${row.spec.name} by ${actors[row.role].role} (${platform})`;
  expect(shown, label).toMatch(refusal);
  expect(shown, label).not.toMatch(wentWrong);
  expect(shown, label).not.toContain('[form opened]');
}

async function expectAllowed(row: Row, shown: string, fresh: Fresh | undefined, platform: string) {
  const label = `${row.spec.name} by ${actors[row.role].role} (${platform})`;
  expect(shown, label).not.toMatch(wentWrong);
  if (row.spec.done instanceof RegExp) {
    expect(shown, label).not.toMatch(refusal);
    expect(shown, label).toMatch(row.spec.done);
  } else {
    const done = row.spec.done;
    await eventually(() => done(shared, fresh, row.role), 10_000, `${label}, shown ${shown.slice(0, 300)}`);
  }
}

/** Each (actor, thing refused) pair is audited exactly as often as it was refused. */
async function expectAudited(refused: { row: Row; platform: 'slack' | 'teams' }[], since: number) {
  const audited = (await refusalsAudited()).slice(since);
  const key = (platform: string, user: string, what: string) => `${platform} ${user} ${what}`;
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const expected = count(refused.map(({ row, platform }) => key(platform, platform === 'slack' ? actors[row.role].slack.userId : actors[row.role].teams.aad, auditedAs(row.spec.act(shared, undefined, row.role)))));
  const seen = count(audited.map((a) => key(a.platform!, a.platform === 'slack' ? a.userId! : a.aadObjectId!, a.what!)));
  expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(expected));
}

describe('the authorisation matrix', () => {
  it('refuses every role that may not, politely, with an audit row and no change (Slack)', async () => {
    const before = await state();
    const since = (await refusalsAudited()).length;
    const refused = rows.filter((r) => r.expected === 'refused' && !r.spec.teamsOnly);
    await inBatches(refused, 8, async (row) => expectRefused(row, await viaSlack(actors[row.role], row.spec.act(shared, undefined, row.role)), 'slack'));
    expect(await state()).toEqual(before);
    await expectAudited(refused.map((row) => ({ row, platform: 'slack' as const })), since);
  }, 240_000);

  it('refuses the same through Teams, forms included', async () => {
    const before = await state();
    const since = (await refusalsAudited()).length;
    const sample = new Set(['stage.done', 'extension.approve', 'return.secure-email', 'action-log.done', 'cycle.cancel', 'cycle start', 'actions add', 'calendar group prg']);
    const refused = rows.filter((r) => r.expected === 'refused' && (r.spec.teamsOnly || sample.has(r.spec.name)));
    await inBatches(refused, 6, async (row) => expectRefused(row, await viaTeams(actors[row.role], row.spec.act(shared, undefined, row.role)), 'teams'));
    expect(await state()).toEqual(before);
    await expectAudited(refused.map((row) => ({ row, platform: 'teams' as const })), since);
  }, 240_000);

  it('lets every role that may, do it', async () => {
    const allowed = rows.filter((r) => r.expected === 'allowed');
    const run = async (row: Row) => {
      const fresh = row.spec.fresh ? await row.spec.fresh() : undefined;
      const act = row.spec.act(shared, fresh, row.role);
      const shown = row.spec.teamsOnly ? await viaTeams(actors[row.role], act) : await viaSlack(actors[row.role], act);
      await expectAllowed(row, shown, fresh, row.spec.teamsOnly ? 'teams' : 'slack');
    };
    await inBatches(allowed.filter((r) => !r.spec.inOrder), 8, run);
    for (const row of allowed.filter((r) => r.spec.inOrder)) await run(row);
  }, 240_000);

  it('refuses and audits buttons and forms carrying another partnership\'s ids, made-up ids and junk', async () => {
    const s = shared.south;
    const forged = (own: string) => [own, randomUUID(), 'junk', "'; drop table cycle; --"];
    const crafted: [string, string[]][] = [
      ['stage.done', forged(s.stage)], ['stage.snooze.1d', forged(s.stage)], ['stage.more-time', forged(s.stage)], ['stage.note', forged(s.stage)],
      ['return.close-stage', forged(s.stage)], ['cycle.open', forged(s.cycle)], ['cycle.resume', forged(s.cycle)], ['cycle.cancel', forged(s.cycle)],
      ['extension.approve', forged(s.request)], ['extension.decline', forged(s.request)],
      ['extension.list.approve', forged(s.request).map((request) => JSON.stringify({ request, shown: [] }))],
      ['action-log.done', forged(s.action)], ['action-log.undo', forged(s.action)],
      ['cycle.occurrence.unskip', forged(s.occurrence)], ['cycle.occurrence.move-back', forged(s.occurrence).map((id) => `${id}|2027-04-01`)],
      // Start anyway, with another partnership's member as the new cycle's lead.
      ['admin.failed.retry', ['junk', "'; drop table cycle; --"]],
      ['cycle.start.confirm', [startPending(shared, s.member), startPending(shared, randomUUID()), startPending(shared, 'junk')]],
    ];
    // An id that is not one of this partnership's failed messages is "nothing to retry"; junk is refused, never a failure.
    expect(await viaSlack(actors.admin, press('admin.failed.retry', randomUUID()))).toMatch(/Nothing to retry/);
    const agencyCrafted: [string, string[]][] = [['return.submit', forged(s.ret)], ['return.secure-email', forged(s.ret)]];
    const before = await state();
    const since = (await refusalsAudited()).length;
    const presses = [
      ...crafted.flatMap(([id, values]) => values.map((value) => ({ who: actors.admin, id, value }))),
      ...agencyCrafted.flatMap(([id, values]) => values.map((value) => ({ who: actors.agencyLead, id, value }))),
    ];
    await inBatches(presses, 8, async ({ who, id, value }) => {
      const shown = await viaSlack(who, press(id, value));
      expect(shown, `${id} ${value}`).toMatch(refusal);
      expect(shown, `${id} ${value}`).not.toMatch(/went wrong|Southmere|Multi-agency audit|Quarterly figures/i);
    });
    const forms = [
      form('stage.more-time', s.stage, { proposedDueOn: '2027-03-01', reason: 'x' }), form('stage.note', s.stage, { note: 'Overwritten?' }),
      form('stage.note', 'junk', { note: 'x' }), form('stage.more-time', randomUUID(), { proposedDueOn: '2027-03-01', reason: 'x' }),
    ];
    for (const f of forms) expect(await viaTeams(actors.admin, f)).toMatch(refusal);
    expect(await viaTeams(actors.agencyLead, form('return.submit', returnState(s.ret), { 'figure-referrals': '1' }))).toMatch(refusal);
    expect(await state()).toEqual(before);

    const audited = (await refusalsAudited()).slice(since);
    expect(audited).toHaveLength(presses.length + forms.length + 1);
    const northmoor = (await bot.db.partnership.findUniqueOrThrow({ where: { slug: 'northmoor' } })).id;
    for (const row of audited) {
      expect(row.partnershipId).toBe(northmoor);
      expect(row.actorMemberId).toBeTruthy();
      expect(['other-partnership', 'no-such-id', 'malformed-id']).toContain(row.reason);
      // Never what was sent: only a well-formed id is kept, as the subject.
      expect(JSON.stringify(row)).not.toMatch(/junk|drop table/);
    }
    const reasons = (what: string) => audited.filter((a) => a.what === what).map((a) => a.reason).sort();
    expect(reasons('stage.done')).toEqual(['malformed-id', 'malformed-id', 'no-such-id', 'other-partnership']);
    expect(reasons('extension.approve')).toEqual(['malformed-id', 'malformed-id', 'no-such-id', 'other-partnership']);
    expect(reasons('action-log.done')).toEqual(['malformed-id', 'malformed-id', 'no-such-id', 'other-partnership']);
    expect(reasons('return.secure-email')).toEqual(['malformed-id', 'malformed-id', 'no-such-id', 'other-partnership']);
    expect(audited.find((a) => a.what === 'stage.done' && a.reason === 'other-partnership')).toMatchObject({ subjectType: 'stage', subjectId: s.stage });
  }, 240_000);
});
