// Section 11 access (issue 9, point 9): every role against every action, on the Walsall example in Teams. A lead sees
// and edits only their agency's return, a signatory signs only theirs, the business unit and the PQA group see all,
// nobody else sees ratings. The matrix below is the whole of it: each column runs in the order of a return's life
// (launch, extension, submit, send back, sign off, more evidence, moderate, respond, actions, report, close); in each
// column the refused people press first (the words they see, nothing changed in the database, the refusal audited)
// and then the allowed ones (the effect they see and what it changed). Crafted payloads (another agency's return id, an
// id that names nothing, junk, another partnership's id) read the same, and are audited as what they are.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULT_CHASE, DEFAULT_SCALE } from '../../src/features/section11/model.js';
import { DEFAULT_STANDARDS } from '../../src/features/section11/standards.js';
import { eventually, outboxDrained, startBot, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { teamsCardActionData } from '../support/teams-activities.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

const zone = 'Europe/London';
const tenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
const title = 'Section 11 audit 2027';

// ---- who stands for each role ---------------------------------------------------------------------------------------
// Agency A is the ICB rather than Walsall Council: both the council's leads (Nicola Brooks, Stuart Pemberton) are in
// the PQA group, which sees every return, so neither could show what a lead alone may do. Of the agencies that name a
// signatory (the council, the ICB, the police) only the ICB has a lead outside the PQA group (Gary Monk; its other lead,
// Helen Ashby, is the PQA vice-chair), so "B" is two other agencies: West Midlands Fire for its lead and West Midlands
// Police for its signatory (Kirsty Doyle, the police lead, is in the PQA group).
const people = {
  /** NHS Black Country ICB's safeguarding lead; in no PQA group, holds no admin role. */
  leadA: 'gary-monk',
  /** West Midlands Fire's lead: a lead of another agency, in neither the PQA group nor the business unit. */
  leadB: 'dean-whitehouse',
  /** The ICB's signatory (a partner lead on the Executive Group, which gives no Section 11 rights). */
  signA: 'dr-angela-frost',
  /** West Midlands Police's signatory: a signatory of another agency. */
  signB: 'paul-harrington',
  /** The business manager (business_manager and admin roles): the business unit. */
  bm: 'sharon-mcdermott',
  /** A PQA member who leads no agency and holds no admin role (he is in the business-unit group, which grants none). */
  pqa: 'ian-rowley',
  /** The PQA chair; also a Walsall Council lead, but the council is not in this round and he is no lead of the ICB. */
  pqaChair: 'stuart-pemberton',
  /** The Independent Chair: chairs the Executive Group, holds no Section 11 role (no lead, signatory, PQA or admin). */
  other: 'christopher-hale',
} as const;
type Role = keyof typeof people;
const roles = Object.keys(people) as Role[];

// ---- the matrix ---------------------------------------------------------------------------------------------------
// Y: allowed; O: allowed for their own agency only (another agency's line, return or actions stays hidden); N: refused.
const Y = 'Y';
const O = 'O';
const N = 'N';
type Cell = typeof Y | typeof O | typeof N;

const matrix: Record<string, Cell[]> = {
  //                                  leadA leadB signA signB  bm   pqa  pqaChair other
  's11 launch':                     [N,    N,    N,    N,     Y,   N,   N,       N],
  's11 open':                       [Y,    O,    N,    N,     N,   N,   N,       N],
  's11.open (A)':                   [Y,    N,    N,    N,     N,   N,   N,       N],
  's11.extension (A)':              [Y,    N,    N,    N,     N,   N,   N,       N],
  's11.extension.approve':          [N,    N,    N,    N,     Y,   N,   N,       N],
  's11.extension.decline':          [N,    N,    N,    N,     Y,   N,   N,       N],
  'submit (A)':                     [Y,    N,    N,    N,     N,   N,   N,       N],
  's11 status':                     [O,    O,    O,    O,     Y,   Y,   Y,       N],
  's11.send-back (A)':              [N,    N,    Y,    N,     N,   N,   N,       N],
  's11.sign-off (A)':               [N,    N,    Y,    N,     N,   N,   N,       N],
  's11.more-evidence (A)':          [N,    N,    N,    N,     Y,   N,   N,       N],
  's11.moderate (A)':               [N,    N,    N,    N,     Y,   Y,   Y,       N],
  's11.respond (A)':                [Y,    N,    N,    N,     N,   N,   N,       N],
  's11 actions':                    [O,    O,    O,    O,     Y,   Y,   Y,       N],
  's11.action.done (A)':            [Y,    N,    N,    N,     Y,   N,   N,       N],
  's11 report':                     [N,    N,    N,    N,     Y,   Y,   Y,       N],
  's11 close':                      [N,    N,    N,    N,     Y,   N,   N,       N],
};
const cellOf = (action: string, role: Role): Cell => matrix[action]![roles.indexOf(role)]!;

/**
 * Those who may see the ICB's return at all (its lead and signatory, the business unit, the PQA group): refused, they are
 * told why. Everyone else (leadB, signB, other) is told, whatever they press, what an id that names nothing is told.
 */
const seesA = (role: Role) => ['leadA', 'signA', 'bm', 'pqa', 'pqaChair'].includes(role);

// ---- words --------------------------------------------------------------------------------------------------------
const A = 'NHS Black Country Integrated Care Board';
const FIRE = 'West Midlands Fire Service';
const POLICE = 'West Midlands Police';
/** What anyone is told of a return they may not see: the words for an id that names nothing. */
const unseen = 'That return is not one you can see.';
const notYours = `That is not yours to do on ${A}'s return for ${title}. Nothing was changed.`;
const leadsOnly = "Only the agency's safeguarding leads can fill in its return.";
const onlyBusinessUnit = 'Only the business unit can approve or decline more time. Nothing was changed.';
const unseenRequest = 'That request is not one you can see.';
const notForYou = (what: string) => `Section 11 ratings are for each agency's leads and signatories, the PQA group and the business unit: ${what} is not open to you.`;

// ---- the bot --------------------------------------------------------------------------------------------------------
let bot: BotHarness;
let clock: ManualClock;
const users = {} as Record<Role, TeamsUser>;
const ids = {} as Record<Role | 'helen' | 'kirsty', string>;
const returns = { A: '', fire: '', police: '' };
let otherPartnershipReturn = '';

beforeAll(async () => {
  // Monday 15 March 2027, 10:00 in Walsall: the recurring round (from 2028) is a year away.
  clock = new ManualClock(DateTime.fromISO('2027-03-15T10:00', { zone }).toUTC());
  bot = await startBot({ partnership: 'walsall', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
  for (const role of roles) {
    const m = await bot.db.member.findFirstOrThrow({ where: { key: people[role] } });
    users[role] = new TeamsUser(bot, m.teamsAadObjectId!, tenant, m.displayName);
    ids[role] = m.id;
  }
  ids.helen = (await bot.db.member.findFirstOrThrow({ where: { key: 'helen-ashby' } })).id;
  ids.kirsty = (await bot.db.member.findFirstOrThrow({ where: { key: 'kirsty-doyle' } })).id;

  // Another partnership with a return of its own: its id, pressed in Walsall, must read as one that does not exist.
  const elsewhere = await bot.db.partnership.create({ data: { slug: 'elsewhere', name: 'Elsewhere Safeguarding Partnership' } });
  const agency = await bot.db.agency.create({ data: { partnershipId: elsewhere.id, key: 'elsewhere-council', name: 'Elsewhere Council', sector: 'local_authority' } });
  const round = await bot.db.s11Round.create({ data: { partnershipId: elsewhere.id, number: 1, title: 'Elsewhere audit', variant: 's11', dueOn: '2027-06-30', launchedOn: '2027-03-01', settings: JSON.parse(JSON.stringify({ standards: DEFAULT_STANDARDS.s11, scale: DEFAULT_SCALE, ...DEFAULT_CHASE })) } });
  otherPartnershipReturn = (await bot.db.s11Return.create({ data: { roundId: round.id, partnershipId: elsewhere.id, agencyId: agency.id, dueOn: '2027-06-30' } })).id;
}, 60_000);
afterAll(async () => {
  await bot?.stop();
});

// ---- helpers --------------------------------------------------------------------------------------------------------

type Answer = { statusCode: number; type: string; value: unknown };
/** What a press answered: a notice's words, or a card as the person reads it. */
const shownBy = (answer: Answer) => (typeof answer.value === 'string' ? answer.value : visibleCardText(answer.value));
const press = (role: Role, verb: string, value: string) => users[role].press(verb, { value });

/** The state of a form card (Teams carries it in each button's data). */
const formState = (card: unknown): { verb: string; state: string } => {
  const action = teamsCardActionData(card);
  expect(action, 'a form card').toBeDefined();
  return { verb: action!.verb, state: String(action!.data.state) };
};
const formSubject = (card: unknown) => (JSON.parse(formState(card).state) as { s: string }).s;

/** Says a command and returns the bot's reply as read, and the reply's card. */
async function ask(role: Role, text: string): Promise<{ text: string; card: unknown }> {
  const user = users[role];
  const rows = () => bot.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `teams:activity:${user.conversationId}:`, endsWith: ':reply' } }, select: { id: true, status: true, platformMessageId: true } });
  const earlier = new Set((await rows()).map((r) => r.id));
  expect(await user.say(text)).toBeLessThan(300);
  const row = await eventually(async () => (await rows()).find((r) => !earlier.has(r.id) && r.status === 'sent'), 10_000, `reply to "${text}"`);
  const activity = await eventually(() => bot.connector.sentActivities(user.conversationId).find((a) => a.id === row.platformMessageId), 5000, 'the sent reply');
  const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  return { text: visibleCardText(activity), card };
}

type Answers = Record<string, Record<string, string>>;
const met = (evidence: string) => ({ rating: 'met', evidence });
const short = (rating: 'partly-met' | 'not-met', evidence: string, action: string, owner: string, target: string) => ({ rating, evidence, action, owner, target });
const standards = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];

/** The lead opens the return from its button and pages through it (typing `answers`, else keeping what is there): the review page. */
async function fillReturn(who: Role | TeamsUser, returnId: string, answers: Answers = {}): Promise<unknown> {
  const user = typeof who === 'string' ? users[who] : who;
  const opened = await user.press('s11.open', { value: returnId });
  expect(typeof opened.value, `s11.open: ${shownBy(opened)}`).not.toBe('string');
  let card = opened.value;
  expect(formSubject(card)).toBe(`s11-return:${returnId}`);
  for (const [i, std] of standards.entries()) {
    const typed = Object.fromEntries(Object.entries(answers[std] ?? {}).map(([part, v]) => [`${std}:${part}`, v]));
    const next = teamsCardActionData(card, { typed })!;
    const answer = await user.press(next.verb, next.data);
    expect(typeof answer.value, `page ${std}: ${shownBy(answer)}`).not.toBe('string');
    card = answer.value;
    expect(visibleCardText(card), `page ${std} saved, on to the next`).toContain(`Step ${i + 2} of 9`);
  }
  expect(visibleCardText(card)).toContain('Check your answers');
  return card;
}

/** Submit on the review page. */
async function submitFromReview(who: Role | TeamsUser, review: unknown): Promise<string> {
  const send = teamsCardActionData(review)!;
  return shownBy(await (typeof who === 'string' ? users[who] : who).press(send.verb, send.data));
}

/** Opens a small form from its button and submits it with `typed`: the words the presser sees after. */
async function smallForm(role: Role, button: string, value: string, typed: Record<string, string>): Promise<string> {
  const opened = await press(role, button, value);
  expect(typeof opened.value, `${button} opens a form: ${shownBy(opened)}`).not.toBe('string');
  const send = teamsCardActionData(opened.value, { typed })!;
  expect(send.verb).toBe(`form:${button}`);
  return shownBy(await users[role].press(send.verb, send.data));
}

const returnRow = (id: string) => bot.db.s11Return.findUniqueOrThrow({ where: { id } });

/** Everything a refused request must leave as it was (the bot's replies to the person aside). */
async function dbState() {
  const db = bot.db;
  return {
    rounds: await db.s11Round.findMany({ orderBy: { number: 'asc' } }),
    returns: await db.s11Return.findMany({ orderBy: { id: 'asc' } }),
    events: await db.s11Event.count(),
    extensions: await db.s11Extension.findMany({ orderBy: { id: 'asc' } }),
    actions: await db.s11Action.findMany({ orderBy: { id: 'asc' } }),
    drafts: await db.formDraft.findMany({ orderBy: { id: 'asc' }, select: { subjectKey: true, version: true, values: true, page: true } }),
    audit: await db.auditEvent.count({ where: { action: { not: 'access.refused' } } }),
    messages: await db.outboxMessage.count({ where: { NOT: { idempotencyKey: { startsWith: 'teams:' } } } }),
    timers: await db.timer.findMany({ where: { status: 'pending' }, orderBy: { id: 'asc' }, select: { key: true, dueAt: true } }),
  };
}

const refusalsOf = async (role: Role) =>
  (await bot.db.auditEvent.findMany({ where: { action: 'access.refused', actorMemberId: ids[role] }, orderBy: { id: 'asc' } }))
    .map((a) => ({ subjectType: a.subjectType, subjectId: a.subjectId, ...(a.data as { what: string; reason: string; platform: string }) }));

// ---- the columns ----------------------------------------------------------------------------------------------------

interface Column {
  action: string;
  /** The state the allowed cells need, set up the way people would (before the refused ones press). */
  before?: () => Promise<void>;
  /** Does it, as the role: what they see. */
  act(role: Role): Promise<string>;
  /** The words a refused role sees. */
  refusal(role: Role): string;
  /** A refusal is audited as `access.refused` with this `what` and subject (undefined: not audited, e.g. a notice). */
  audited?: (role: Role) => { what: string; subjectType: string; subjectId: string } | undefined;
  /** What an allowed (or own-agency) role sees and what it changed. */
  allowed(role: Role, shown: string): Promise<void>;
}

let extensionId = '';
/** The ICB lead's review page, filled in: its Submit is what everyone presses in the submit column. */
let reviewA: unknown;
let actionIds: { s2: string; s3: string } = { s2: '', s3: '' };
const onReturnA = (what: string) => () => ({ what, subjectType: 's11-return', subjectId: returns.A });

const icbAnswers: Answers = {
  s1: met('Safeguarding is a standing item at the ICB board; the Chief Nursing Officer is the named executive.'),
  s2: short('partly-met', 'The safeguarding policy is on the intranet but its review date has passed.', 'Review the safeguarding policy and republish it (ZQXICBACTION)', '', '2027-04-30'),
  s3: short('not-met', 'The structure chart does not name the designated professionals.', 'Publish a structure chart naming the designated professionals', '', '2027-04-23'),
  s4: met('Young people\'s panel consulted on the new health pathway.'),
  s5: met('Level 3 training completion at 92%.'),
  s6: met('Vetting and allegations procedures audited in 2026.'),
  s7: met('Attends every partnership group and case conference.'),
  s8: met('Information sharing agreement signed by all providers.'),
};
const allMet = (prefix: string): Answers => Object.fromEntries(standards.map((s) => [s, met(`${prefix}: evidence for standard ${s}.`)]));

const columns: Column[] = [
  {
    action: 's11 launch',
    act: async (role) => (await ask(role, `s11 launch "${title}" due 2027-06-30 agencies black-country-icb,west-midlands-fire,west-midlands-police`)).text,
    refusal: () => 'Only the business unit can launch a Section 11 round.',
    audited: () => ({ what: 's11', subjectType: 'none', subjectId: '' }),
    async allowed(_role, shown) {
      expect(shown).toContain(`Launched round 1, ${title}: 3 agencies asked, due Wed 30 Jun 2027.`);
      const rows = await bot.db.s11Return.findMany({ include: { round: true } });
      const agencies = await bot.db.agency.findMany({ where: { key: { in: ['black-country-icb', 'west-midlands-fire', 'west-midlands-police'] } } });
      const of = (key: string) => rows.find((r) => r.round.title === title && r.agencyId === agencies.find((a) => a.key === key)!.id)!.id;
      returns.A = of('black-country-icb');
      returns.fire = of('west-midlands-fire');
      returns.police = of('west-midlands-police');
      await outboxDrained(bot, 20_000);
      // The ICB's lead has a card with "Start return" for its return; the lead of another agency has one for theirs.
      const gary = users.leadA.cards().join('\n');
      expect(gary).toContain(`"value":"${returns.A}"`);
      expect(gary).not.toContain(returns.fire);
      expect(users.leadB.cards().join('\n')).toContain(`"value":"${returns.fire}"`);
      expect(users.leadB.cards().join('\n')).not.toContain(returns.A);
    },
  },
  {
    action: 's11 open',
    act: async (role) => {
      const { text, card } = await ask(role, 's11 open');
      return card && /form:s11\.return/.test(JSON.stringify(card)) ? `FORM ${formSubject(card)}\n${text}` : text;
    },
    refusal: () => `You are not a safeguarding lead for an agency in ${title}, so there is no return for you to fill in.`,
    // A plain answer, not a refusal of something asked for: nothing to audit.
    async allowed(role, shown) {
      // Each lead's command opens their own agency's return, never another's.
      expect(shown).toContain(`FORM s11-return:${role === 'leadA' ? returns.A : returns.fire}`);
      expect(shown).toContain('Standard 1: Senior management commitment');
    },
  },
  {
    action: 's11.open (A)',
    act: async (role) => {
      const answer = await press(role, 's11.open', returns.A);
      return typeof answer.value === 'string' ? answer.value : `FORM ${formSubject(answer.value)}\n${visibleCardText(answer.value)}`;
    },
    refusal: (role) => (seesA(role) ? leadsOnly : unseen),
    audited: onReturnA('s11.open'),
    async allowed(_role, shown) {
      expect(shown).toContain(`FORM s11-return:${returns.A}`);
      expect(shown).toContain('Standard 1: Senior management commitment');
    },
  },
  {
    action: 's11.extension (A)',
    act: async (role) => {
      const answer = await press(role, 's11.extension', returns.A);
      if (typeof answer.value === 'string') return answer.value;
      const send = teamsCardActionData(answer.value, { typed: { until: '2027-07-14', reason: 'Our board signs returns off on 12 July.' } })!;
      return shownBy(await users[role].press(send.verb, send.data));
    },
    refusal: (role) => (seesA(role) ? notYours : unseen),
    audited: onReturnA('s11.extension'),
    async allowed(_role, shown) {
      expect(shown).toContain(`Asked: more time for ${A}'s return, until Wed 14 Jul 2027. The business unit will approve or decline it; until then it is due Wed 30 Jun 2027.`);
      const ext = await bot.db.s11Extension.findFirstOrThrow({ where: { returnId: returns.A } });
      expect(ext).toMatchObject({ status: 'pending', untilOn: '2027-07-14', requestedById: ids.leadA });
      extensionId = ext.id;
      await outboxDrained(bot, 20_000);
    },
  },
  {
    action: 's11.extension.approve',
    act: async (role) => shownBy(await press(role, 's11.extension.approve', extensionId)),
    refusal: (role) => (seesA(role) ? onlyBusinessUnit : unseenRequest),
    audited: () => ({ what: 's11.extension.approve', subjectType: 's11-extension', subjectId: extensionId }),
    async allowed(_role, shown) {
      expect(shown).toContain(`More time approved by Sharon McDermott: ${A}'s return is now due Wed 14 Jul 2027.`);
      expect((await returnRow(returns.A)).dueOn).toBe('2027-07-14');
      expect((await bot.db.s11Extension.findUniqueOrThrow({ where: { id: extensionId } })).status).toBe('approved');
    },
  },
  {
    action: 's11.extension.decline',
    before: async () => {
      // The lead asks for more again (the form's submission as the card sends it).
      const asked = shownBy(await users.leadA.press('form:s11.extension', { state: returns.A, until: '2027-07-21', reason: 'The board met late.' }));
      expect(asked).toContain('Asked: more time');
      extensionId = (await bot.db.s11Extension.findFirstOrThrow({ where: { returnId: returns.A, status: 'pending' } })).id;
      await outboxDrained(bot, 20_000);
    },
    act: async (role) => shownBy(await press(role, 's11.extension.decline', extensionId)),
    refusal: (role) => (seesA(role) ? onlyBusinessUnit : unseenRequest),
    audited: () => ({ what: 's11.extension.decline', subjectType: 's11-extension', subjectId: extensionId }),
    async allowed(_role, shown) {
      expect(shown).toContain(`Sharon McDermott declined the request for more time: ${A}'s return is still due Wed 14 Jul 2027.`);
      expect((await returnRow(returns.A)).dueOn).toBe('2027-07-14');
      expect((await bot.db.s11Extension.findUniqueOrThrow({ where: { id: extensionId } })).status).toBe('declined');
    },
  },
  {
    action: 'submit (A)',
    before: async () => {
      // The lead fills in every page in Teams (a draft saved at each), up to the review page; the other agencies' leads
      // submit theirs too, so the status, the actions and the report have more than one agency in them.
      icbAnswers.s2!.owner = ids.helen;
      icbAnswers.s3!.owner = ids.helen;
      reviewA = await fillReturn('leadA', returns.A, icbAnswers);
      const fire = allMet('Fire');
      fire.s5 = short('partly-met', 'Station staff trained at level 1 only.', 'Train station managers to level 2 (ZQXFIREACTION)', ids.leadB, '2027-04-30');
      expect(await submitFromReview('leadB', await fillReturn('leadB', returns.fire, fire))).toContain(`Thank you: ${FIRE}'s return for ${title} is submitted.`);
      const police = allMet('Police');
      police.s8 = short('partly-met', 'Referral audits are not yet routine.', 'Audit a sample of referrals each quarter (ZQXPOLICEACTION)', ids.kirsty, '2027-04-30');
      const kirsty = await bot.db.member.findFirstOrThrow({ where: { key: 'kirsty-doyle' } });
      const kirstyUser = new TeamsUser(bot, kirsty.teamsAadObjectId!, tenant, kirsty.displayName);
      expect(await submitFromReview(kirstyUser, await fillReturn(kirstyUser, returns.police, police))).toContain(`Thank you: ${POLICE}'s return for ${title} is submitted.`);
      await outboxDrained(bot, 20_000);
    },
    // The review page's Submit, as the card sends it: the same state, pressed by whoever has it.
    act: async (role) => submitFromReview(role, reviewA),
    refusal: (role) => (seesA(role) ? leadsOnly : unseen),
    audited: onReturnA('s11.return'),
    async allowed(_role, shown) {
      expect(shown).toContain(`Thank you: ${A}'s return for ${title} is submitted. It has gone to your signatory to sign off.`);
      const row = await returnRow(returns.A);
      expect(row).toMatchObject({ status: 'submitted', submittedById: ids.leadA });
      expect((row.answers as Record<string, string>)['s2:action']).toContain('ZQXICBACTION');
      const actions = await bot.db.s11Action.findMany({ where: { returnId: returns.A }, orderBy: { standardKey: 'asc' } });
      expect(actions.map((a) => [a.standardKey, a.ownerId, a.targetOn])).toEqual([['s2', ids.helen, '2027-04-30'], ['s3', ids.helen, '2027-04-23']]);
      actionIds = { s2: actions[0]!.id, s3: actions[1]!.id };
      await outboxDrained(bot, 20_000);
      // The signatory has the card to sign it off; the business unit and the PQA group the reviewer's card.
      expect(users.signA.cards().join('\n')).toContain('"verb":"s11.sign-off"');
      expect(users.bm.cards().join('\n')).toContain('"verb":"s11.moderate"');
      expect(users.signB.cards().join('\n')).not.toContain(returns.A);
    },
  },
  {
    action: 's11 status',
    act: async (role) => (await ask(role, 's11 status')).text,
    refusal: () => notForYou('the status of returns'),
    audited: () => ({ what: 's11', subjectType: 'none', subjectId: '' }),
    async allowed(role, shown) {
      // Every viewer gets the whole round's counts; the lines are every agency's, or only the viewer's own.
      expect(shown).toContain(`${title}, round 1: 3 agencies`);
      expect(shown).toContain('Not started: 0 · Draft: 0 · Submitted: 3 · Returned: 0 · Signed off: 0');
      const own = { leadA: [A], signA: [A], leadB: [FIRE], signB: [POLICE] } as Record<Role, string[] | undefined>;
      const lines = own[role] ?? [A, FIRE, POLICE];
      for (const agency of [A, FIRE, POLICE]) {
        if (lines.includes(agency)) expect(shown, `${role} sees ${agency}`).toContain(agency);
        else expect(shown, `${role} does not see ${agency}`).not.toContain(agency);
      }
      expect(shown).toContain(cellOf('s11 status', role) === O ? 'Your agency' : 'Agencies');
    },
  },
  {
    action: 's11.send-back (A)',
    act: async (role) => {
      const answer = await press(role, 's11.send-back', returns.A);
      if (typeof answer.value === 'string') return answer.value;
      const send = teamsCardActionData(answer.value, { typed: { comment: 'Standard 3 needs the structure chart attached.' } })!;
      return shownBy(await users[role].press(send.verb, send.data));
    },
    refusal: (role) => (seesA(role) ? notYours : unseen),
    audited: onReturnA('s11.send-back'),
    async allowed(_role, shown) {
      expect(shown).toContain(`Dr Angela Frost sent ${A}'s return back to its leads. Its leads are told, with your comment.`);
      expect((await returnRow(returns.A)).status).toBe('returned');
      await outboxDrained(bot, 20_000);
    },
  },
  {
    action: 's11.sign-off (A)',
    before: async () => {
      // The lead opens it again (the answers kept), pages through and submits.
      expect(await submitFromReview('leadA', await fillReturn('leadA', returns.A))).toContain('is submitted');
      await outboxDrained(bot, 20_000);
    },
    act: async (role) => shownBy(await press(role, 's11.sign-off', returns.A)),
    refusal: (role) => (seesA(role) ? `Only ${A}'s signatory can sign its return off. Nothing was changed.` : unseen),
    audited: onReturnA('s11.sign-off'),
    async allowed(_role, shown) {
      expect(shown).toContain(`Signed off: ${A}'s return for ${title}. The leads and the business unit are told.`);
      expect(await returnRow(returns.A)).toMatchObject({ status: 'signed_off', signedOffById: ids.signA });
      await outboxDrained(bot, 20_000);
    },
  },
  {
    action: 's11.more-evidence (A)',
    act: async (role) => {
      const answer = await press(role, 's11.more-evidence', returns.A);
      if (typeof answer.value === 'string') return answer.value;
      const send = teamsCardActionData(answer.value, { typed: { comment: 'Please add the training figures by level.' } })!;
      return shownBy(await users[role].press(send.verb, send.data));
    },
    refusal: (role) => (seesA(role) ? notYours : unseen),
    audited: onReturnA('s11.more-evidence'),
    async allowed(_role, shown) {
      expect(shown).toContain(`Sharon McDermott (business unit) returned ${A}'s return for more evidence. Its leads are told, with your comment.`);
      expect(await returnRow(returns.A)).toMatchObject({ status: 'returned', signedOffById: null });
      await outboxDrained(bot, 20_000);
    },
  },
  {
    action: 's11.moderate (A)',
    before: async () => {
      expect(await submitFromReview('leadA', await fillReturn('leadA', returns.A))).toContain('is submitted');
      await outboxDrained(bot, 20_000);
    },
    act: async (role) => {
      const answer = await press(role, 's11.moderate', returns.A);
      if (typeof answer.value === 'string') return answer.value;
      const send = teamsCardActionData(answer.value, { typed: { 's1:moderated': 'partly-met', feedback: `Challenge event: board minutes not seen (by ${role}).` } })!;
      return shownBy(await users[role].press(send.verb, send.data));
    },
    refusal: (role) => (seesA(role) ? notYours : unseen),
    audited: onReturnA('s11.moderate'),
    async allowed(role, shown) {
      const name = (await bot.db.member.findUniqueOrThrow({ where: { id: ids[role] } })).displayName;
      expect(shown).toMatch(new RegExp(`${name} (moderated|changed the moderation of) ${A}'s return for ${title}\\. The agency's leads have the feedback\\.`));
      const moderation = (await returnRow(returns.A)).moderation as { byId: string; feedback: string; ratings: Record<string, string> };
      expect(moderation).toMatchObject({ byId: ids[role], feedback: `Challenge event: board minutes not seen (by ${role}).` });
      expect(moderation.ratings).toMatchObject({ s1: 'partly-met', s2: 'partly-met', s3: 'not-met', s4: 'met' });
      await outboxDrained(bot, 20_000);
    },
  },
  {
    action: 's11.respond (A)',
    act: async (role) => {
      const answer = await press(role, 's11.respond', returns.A);
      if (typeof answer.value === 'string') return answer.value;
      const send = teamsCardActionData(answer.value, { typed: { response: 'The minutes are attached to the policy page now.' } })!;
      return shownBy(await users[role].press(send.verb, send.data));
    },
    refusal: (role) => (seesA(role) ? notYours : unseen),
    audited: onReturnA('s11.respond'),
    async allowed(_role, shown) {
      expect(shown).toContain('Thank you: your response is recorded and the PQA chair and the business unit are told.');
      expect((await returnRow(returns.A)).response).toBe('The minutes are attached to the policy page now.');
      await outboxDrained(bot, 20_000);
    },
  },
  {
    action: 's11 actions',
    before: async () => {
      // Monday 10 May 2027: every improvement action is past its target date.
      clock.set(DateTime.fromISO('2027-05-10T10:00', { zone }).toUTC());
    },
    act: async (role) => (await ask(role, 's11 actions')).text,
    refusal: () => 'No improvement actions you follow are past their target date.',
    // Nothing asked for by id: an empty list, nothing to audit.
    async allowed(role, shown) {
      const own = { leadA: ['ZQXICBACTION'], signA: ['ZQXICBACTION'], leadB: ['ZQXFIREACTION'], signB: ['ZQXPOLICEACTION'] } as Record<Role, string[] | undefined>;
      const seen = own[role] ?? ['ZQXICBACTION', 'ZQXFIREACTION', 'ZQXPOLICEACTION'];
      for (const marker of ['ZQXICBACTION', 'ZQXFIREACTION', 'ZQXPOLICEACTION']) {
        if (seen.includes(marker)) expect(shown, `${role} sees ${marker}`).toContain(marker);
        else expect(shown, `${role} does not see ${marker}`).not.toContain(marker);
      }
      // The ICB's return has two actions (standards 2 and 3), the others one each.
      const count = seen.length + (seen.includes('ZQXICBACTION') ? 1 : 0);
      expect(shown.split('\n').filter((line) => line.startsWith(`${title}: `) && line.includes(', standard ')), 'one item per overdue action').toHaveLength(count);
    },
  },
  {
    action: 's11.action.done (A)',
    act: async (role) => shownBy(await press(role, 's11.action.done', role === 'bm' ? actionIds.s3 : actionIds.s2)),
    refusal: (role) => (seesA(role) ? `Only the action's owner, ${A}'s leads and the business unit can mark it done. Nothing was changed.` : 'That action is not one you can see.'),
    audited: () => ({ what: 's11.action.done', subjectType: 's11-action', subjectId: actionIds.s2 }),
    async allowed(role, shown) {
      expect(shown).toContain(`Recorded as done today: the improvement action for ${A}, standard ${role === 'bm' ? 3 : 2}. Its reminders stop.`);
      expect((await bot.db.s11Action.findUniqueOrThrow({ where: { id: role === 'bm' ? actionIds.s3 : actionIds.s2 } })).doneOn).toBe('2027-05-10');
    },
  },
  {
    action: 's11 report',
    act: async (role) => (await ask(role, 's11 report')).text,
    refusal: () => notForYou('the report'),
    audited: () => ({ what: 's11', subjectType: 'none', subjectId: '' }),
    async allowed(_role, shown) {
      expect(shown).toContain(`${title} (round 1): 3 of 3 returns in.`);
      expect(shown).toContain('ZQXICBACTION');
      expect(shown).toContain('ZQXFIREACTION');
    },
  },
  {
    action: 's11 close',
    act: async (role) => (await ask(role, 's11 close 1')).text,
    refusal: () => 'Only the business unit can close a round.',
    audited: () => ({ what: 's11', subjectType: 'none', subjectId: '' }),
    async allowed(_role, shown) {
      expect(shown).toContain(`Closed round 1, ${title}: 3 of 3 returns in.`);
      expect((await bot.db.s11Round.findFirstOrThrow({ where: { title } })).status).toBe('closed');
    },
  },
];
describe('Section 11 access matrix (Walsall, Teams): each role against each action', () => {
  it('the matrix names every column run below, in order, and every role', () => {
    expect(columns.map((c) => c.action)).toEqual(Object.keys(matrix));
    for (const row of Object.values(matrix)) expect(row).toHaveLength(roles.length);
  });

  for (const column of columns) {
    it(`${column.action}: ${roles.map((r) => `${r} ${cellOf(column.action, r)}`).join(', ')}`, async () => {
      await column.before?.();
      const refused = roles.filter((r) => cellOf(column.action, r) === N);
      for (const role of refused) {
        const before = await dbState();
        const audits = (await refusalsOf(role)).length;
        const shown = await column.act(role);
        expect(shown, `${role} (${people[role]}) is refused`).toContain(column.refusal(role));
        expect(await dbState(), `${role}'s refusal changed nothing`).toEqual(before);
        const audit = column.audited?.(role);
        const added = (await refusalsOf(role)).slice(audits);
        if (audit) expect(added, `${role}'s refusal is audited`).toEqual([expect.objectContaining({ ...audit, reason: 'not-permitted', platform: 'teams' })]);
        else expect(added, `${role}'s answer is no refusal to audit`).toEqual([]);
      }
      for (const role of roles.filter((r) => cellOf(column.action, r) !== N)) {
        const shown = await column.act(role);
        expect(shown, `${role} (${people[role]}) is not refused`).not.toContain(column.refusal(role));
        await column.allowed(role, shown);
      }
      await outboxDrained(bot, 20_000);
    }, 30_000);
  }
});

describe('crafted payloads', () => {
  it("a lead of another agency pressing the ICB return's buttons is told what an unknown id is told, and each is audited as what it is", async () => {
    const before = await dbState();
    const already = (await refusalsOf('leadB')).length;
    const nobody = '6f0c2a0e-1b7d-4e8a-9c3b-2d5e7f9a1b3c';
    const junk = "'; drop table s11_return; --";
    const payloads: [string, string, string][] = [[returns.A, 'not-permitted', returns.A], [nobody, 'no-such-id', nobody], [junk, 'malformed-id', ''], [otherPartnershipReturn, 'other-partnership', otherPartnershipReturn]];
    const buttons = ['s11.open', 's11.sign-off', 's11.respond', 's11.send-back', 's11.more-evidence', 's11.moderate', 's11.extension'];
    const expected: { what: string; reason: string; subjectId: string }[] = [];
    for (const verb of buttons) {
      for (const [value, reason, subjectId] of payloads) {
        expect(shownBy(await press('leadB', verb, value)), `${verb} with ${reason}`).toBe(unseen);
        expected.push({ what: verb, reason, subjectId });
      }
    }
    // Forms submitted as if they had been opened: the return's own pages, the response, the request for more time.
    for (const [value, reason, subjectId] of payloads) {
      const page = await users.leadB.press('form:s11.return', { state: JSON.stringify({ s: `s11-return:${value}`, p: 8, v: 1 }) });
      expect(shownBy(page), `the return form with ${reason}`).toBe(unseen);
      expected.push({ what: 's11.return', reason, subjectId });
    }
    for (const [form, typed] of [['s11.respond', { response: 'Crafted.' }], ['s11.extension', { until: '2027-09-01', reason: 'Crafted.' }]] as const) {
      for (const [value, reason, subjectId] of payloads) {
        expect(shownBy(await users.leadB.press(`form:${form}`, { state: value, ...typed })), `${form} form with ${reason}`).toBe(unseen);
        expected.push({ what: form, reason, subjectId });
      }
    }
    // An improvement action and a request for more time of the ICB's: read as ones that do not exist.
    expect(shownBy(await press('leadB', 's11.action.done', actionIds.s2))).toBe('That action is not one you can see.');
    expect(shownBy(await press('leadB', 's11.action.done', nobody))).toBe('That action is not one you can see.');
    expected.push({ what: 's11.action.done', reason: 'not-permitted', subjectId: actionIds.s2 }, { what: 's11.action.done', reason: 'no-such-id', subjectId: nobody });
    expect(shownBy(await press('leadB', 's11.extension.approve', extensionId))).toBe('That request is not one you can see.');
    expect(shownBy(await press('leadB', 's11.extension.approve', nobody))).toBe('That request is not one you can see.');
    expected.push({ what: 's11.extension.approve', reason: 'not-permitted', subjectId: extensionId }, { what: 's11.extension.approve', reason: 'no-such-id', subjectId: nobody });

    await outboxDrained(bot, 20_000);
    expect(await dbState(), 'nothing changed').toEqual(before);
    const audited = (await refusalsOf('leadB')).slice(already);
    expect(audited.map((a) => ({ what: a.what, reason: a.reason, subjectId: a.subjectId }))).toEqual(expected);
    expect(audited.every((a) => a.platform === 'teams')).toBe(true);
    expect(JSON.stringify(audited)).not.toMatch(/drop table|Crafted/);
  }, 30_000);

  it("nobody outside the ICB, its signatory, the business unit and the PQA group was ever sent the ICB's ratings", async () => {
    const allowed = new Set([people.leadA, 'helen-ashby', people.signA, people.bm, 'stuart-pemberton', 'nicola-brooks', 'kirsty-doyle', 'sandra-mcbride', 'femi-adebayo', 'jas-bains', 'ian-rowley']);
    const members = await bot.db.member.findMany({ where: { teamsAadObjectId: { not: null } }, select: { key: true, teamsAadObjectId: true } });
    const holders = members.filter((m) => bot.connector.requests.some((r) => r.conversationId === `a:personal-${m.teamsAadObjectId}` && r.status < 300 && JSON.stringify(r.body).includes('ZQXICBACTION'))).map((m) => m.key);
    expect(holders.filter((k) => !allowed.has(k))).toEqual([]);
    for (const key of [people.leadA, people.signA, people.bm, people.pqa, people.pqaChair]) expect(holders, key).toContain(key);
  });
});
