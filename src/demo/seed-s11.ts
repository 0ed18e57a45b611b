// The demo's Section 11 round: launched three weeks before the demo's today and due four weeks after it. Five agencies
// have submitted (a mix of ratings; Wiltshire Police signed off by its signatory, the ICB moderated by PQA), so
// `s11 report` draws a meaningful heat map; Alex's own agency (the council, which Alex leads in the file) has a draft
// two pages in, so `s11 open` carries on from standard 3. All through the feature's services, at the moments the
// story says, so the chasers and action reminders are armed as a real round's would be.
import type { DateTime } from 'luxon';
import type { Services } from '../app/services.js';
import { featureDepsOf } from '../app/install-features.js';
import type { WorkingCalendar } from '../core/calendar.js';
import type { MemberProfile } from '../directory/identity.js';
import { loadMemberProfile } from '../directory/member-lookup.js';
import type { FeatureDeps } from '../features/contract.js';
import { encodeFormState, decodeFormState } from '../forms/form-state.js';
import type { FormValues } from '../messaging/message.js';
import { partnershipCalendar } from '../workflow/partnership-calendar.js';
import { fieldId, missingByPage } from '../features/section11/answers.js';
import { returnSubject, type RatingColour, type RoundView, type Standard } from '../features/section11/model.js';
import { leadIds, moderatingGroup, seesAllReturns, signatoryIds } from '../features/section11/people.js';
import { roundReturns } from '../features/section11/repository.js';
import { returnForm } from '../features/section11/return-form.js';
import { inS11Scope } from '../features/section11/scope.js';
import { moderate } from '../features/section11/service-moderate.js';
import { launchRound } from '../features/section11/service-round.js';
import { signOff, submitReturn } from '../features/section11/service-return.js';
import type { DemoStoryContext } from './seed.js';

/** Agencies that have submitted, in the order they did; the first with a signatory is signed off, the next moderated. */
const submitters = ['wiltshire-police', 'bsw-icb', 'great-western-hospitals', 'avon-wiltshire-mental-health', 'probation-service'];

// G met, A partly met, R not met, X not applicable: one pattern per submitter, standard by standard.
const patterns = ['GGAGGRGG', 'GAGGAGGX', 'GGGAGGAG', 'AGRGGGAG', 'GGGGAGGX'];
const colourOf: Record<string, RatingColour> = { G: 'green', A: 'amber', R: 'red', X: 'grey' };

/** Improvement actions for the shipped Section 11 standards; others get a general one. */
const actionTexts: Record<string, string> = {
  s1: 'Safeguarding report to the board every quarter, with the named senior lead attending.',
  s2: 'Refresh the safeguarding policy and put it in the staff induction pack.',
  s3: 'Publish a structure chart naming the safeguarding lead and deputies; add safeguarding duties to job descriptions.',
  s4: 'Add children and families\' feedback to every service review, starting with the two largest services.',
  s5: 'Bring level 3 training completion above 90% and report it monthly.',
  s6: 'Train every interview panel chair in safer recruitment; audit DBS renewals.',
  s7: 'Named deputy for every child protection conference; use of the escalation policy reported to PQA.',
  s8: 'Run staff briefings on the information sharing agreement and audit 20 referrals.',
};

const naReason = 'We provide no services to children directly; adults\' services refer concerns through the council\'s front door.';

/** A clock standing at `at`, so a service records what it did at that moment of the story. */
const depsAt = (deps: FeatureDeps, at: DateTime): FeatureDeps => ({ ...deps, clock: { now: () => at.toUTC() } });

/** What a lead might write for each shipped Section 11 standard: met, then short of met. Others get a general line. */
const evidenceTexts: Record<string, [string, string]> = {
  s1: ['The board receives a safeguarding report every quarter, presented by our named executive lead for safeguarding.', 'Safeguarding is on the board\'s agenda twice a year; there is no named executive lead since the restructure.'],
  s2: ['The safeguarding policy was reviewed in March and is on the intranet; every new starter reads it at induction.', 'The policy is on the intranet but is past its review date, and the induction pack does not mention it.'],
  s3: ['The structure chart names the safeguarding lead and two deputies; every manager\'s job description includes safeguarding.', 'The lead is named, but the deputies\' roles are not written down and two teams could not say who to go to.'],
  s4: ['A young people\'s panel reviewed two services this year; their feedback changed the referral leaflet.', 'Feedback from families is collected in one service only; it is not yet used when services change.'],
  s5: ['Training needs analysis updated in June; 94% of staff are in date at the level their role needs.', 'Level 3 training completion is 78% against a target of 90%; the figures are reported quarterly.'],
  s6: ['DBS checks are renewed every three years and audited; every interview panel has a member trained in safer recruitment.', 'Two of twelve recruitment files audited had no second reference; allegations are referred to the LADO.'],
  s7: ['Attendance at child protection conferences was 96% last quarter; the escalation policy was used three times.', 'Attendance at conferences fell to 71% over the summer; staff are unsure how to escalate a disagreement.'],
  s8: ['The information sharing agreement is signed; an audit of 20 referrals found the right information shared in time.', 'Staff guidance on consent is out of date; an audit found three referrals where information was shared late.'],
};

function evidenceFor(standard: Standard, colour: RatingColour): string {
  const written = evidenceTexts[standard.key];
  if (written) return colour === 'green' ? written[0] : written[1];
  const prompts = standard.evidence.length > 0 ? standard.evidence.join('; ') : 'internal audit and supervision records';
  return colour === 'green' ? `Checked by our safeguarding lead this year: ${prompts}.` : `In place for some teams but not all (${prompts}); the action below closes the gaps.`;
}

/** A complete answer for one standard, as a lead would type it on its page. */
function answersFor(standard: Standard, round: RoundView, colour: RatingColour, ownerId: string, targetOn: string, withLink: boolean): FormValues {
  const scaleKey = round.settings.scale.find((s) => s.colour === colour)?.key ?? round.settings.scale.find((s) => s.colour === 'green')!.key;
  const id = (part: Parameters<typeof fieldId>[1]) => fieldId(standard.key, part);
  const actual = round.settings.scale.find((s) => s.key === scaleKey)!.colour;
  if (actual === 'grey') return { [id('rating')]: scaleKey, [id('na')]: naReason };
  const values: FormValues = { [id('rating')]: scaleKey, [id('evidence')]: evidenceFor(standard, actual) };
  if (withLink) values[id('links')] = 'https://intranet.example.org/safeguarding/policy';
  if (actual === 'amber' || actual === 'red') {
    values[id('action')] = actionTexts[standard.key] ?? `Close the gaps our audit found on "${standard.name}" and report progress to PQA.`;
    values[id('owner')] = ownerId;
    values[id('target')] = targetOn;
  }
  return values;
}

/** Seeds the Section 11 story once: nothing happens when the partnership already has a round. */
export async function seedDemoSection11(services: Services, context: DemoStoryContext): Promise<void> {
  const { db, logger } = services;
  const partnershipId = context.partnershipId;
  if ((await db.s11Round.count({ where: { partnershipId } })) > 0) return;
  const home = context.homeMemberId ? await loadMemberProfile(db, context.homeMemberId) : undefined;
  const launcherId = home?.memberId ?? (await db.roleAssignment.findFirst({ where: { partnershipId, role: 'business_manager', active: true }, select: { memberId: true } }))?.memberId;
  if (!launcherId) {
    logger.info({ partnershipId }, 'demo story: nobody to launch a Section 11 round');
    return;
  }
  const calendar = await partnershipCalendar(db, partnershipId);
  const today = context.clock.now().setZone(calendar.zone).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  const day = (workingDays: number, hhmm: string) => calendar.atLocalTime(calendar.addWorkingDays(today, workingDays), hhmm);
  const deps = featureDepsOf(services);

  const launchedAt = day(-15, '10:00');
  const dueOn = calendar.addWorkingDays(today, 20).toISODate()!;
  const { round } = await inS11Scope(depsAt(deps, launchedAt), partnershipId, (scope) =>
    launchRound(scope, partnershipId, { title: `Section 11 audit ${launchedAt.year}`, dueOn, variant: 's11', launchedById: launcherId }));

  const returns = await roundReturns(db, round.id);
  const homeReturn = home ? returns.find((r) => home.roles.some((role) => role.role === 'agency_lead' && role.scopeKey === `agency:${r.agencyKey}`)) : undefined;
  const chosen = [...submitters.map((key) => returns.find((r) => r.agencyKey === key)), ...returns]
    .filter((r, i, all): r is NonNullable<typeof r> => r !== undefined && r.id !== homeReturn?.id && all.indexOf(r) === i)
    .slice(0, patterns.length);

  let signedOff = false;
  let moderated = false;
  let submitted = 0;
  for (const [i, ret] of chosen.entries()) {
    const lead = await firstProfile(db, await leadIds(db, partnershipId, ret.agencyId));
    if (!lead) continue;
    const at = day(-12 + 2 * i, '14:30');
    const owner = lead.agency?.id === ret.agencyId ? lead.memberId : ((await db.member.findFirst({ where: { partnershipId, agencyId: ret.agencyId, active: true }, select: { id: true } }))?.id ?? lead.memberId);
    const target = (weeks: number) => calendar.workingDayOnOrAfter(today.plus({ weeks })).toISODate()!;
    const values: FormValues = {};
    round.settings.standards.forEach((standard, s) => {
      const colour = colourOf[patterns[i]![s % patterns[i]!.length]!]!;
      Object.assign(values, answersFor(standard, round, colour, owner, target(6 + 2 * s), s === 1));
    });
    const { pages } = missingByPage(round.settings.standards, round.settings.scale, values, at.setZone(calendar.zone).toISODate()!, false);
    if (pages.length > 0) {
      logger.warn({ agency: ret.agencyKey, pages: pages.map((p) => p.page) }, 'demo story: a seeded Section 11 return would not pass its own checks; left unsubmitted');
      continue;
    }
    await submitReturn(depsAt(deps, at), lead, ret.id, values);
    submitted++;

    const signatory = signedOff ? undefined : await firstProfile(db, await signatoryIds(db, partnershipId, ret.agencyId));
    if (signatory) {
      await signOff(depsAt(deps, day(-12 + 2 * i + 1, '11:15')), signatory, ret.id);
      signedOff = true;
    } else if (!moderated) {
      const moderator = await moderatorProfile(db, partnershipId, round, home);
      if (moderator) {
        const ratings = Object.fromEntries(round.settings.standards.map((standard) => [standard.key, values[fieldId(standard.key, 'rating')]!]));
        // PQA's challenge: one "met" it saw too little evidence for, and one "partly met" it found met.
        const scale = round.settings.scale;
        const key = (colour: RatingColour) => scale.find((s) => s.colour === colour)?.key;
        const firstMet = round.settings.standards.find((standard) => scale.find((s) => s.key === ratings[standard.key])?.colour === 'green' && standard.key !== round.settings.standards[0]?.key);
        const firstPartly = round.settings.standards.find((standard) => scale.find((s) => s.key === ratings[standard.key])?.colour === 'amber');
        if (firstMet && key('amber')) ratings[firstMet.key] = key('amber')!;
        if (firstPartly && key('green')) ratings[firstPartly.key] = key('green')!;
        const feedback = [
          'Thank you for a thorough return.',
          firstPartly ? `Standard ${firstPartly.number}: the panel found enough evidence to call it met.` : '',
          firstMet ? `Standard ${firstMet.number}: we need the staff survey results before it counts as met; please bring them to the next PQA meeting.` : '',
        ].filter(Boolean).join(' ');
        await moderate(depsAt(deps, day(-2, '15:00')), moderator, ret.id, ratings, feedback);
        moderated = true;
      }
    }
  }

  if (homeReturn && home) await startDraft(deps, home, round, homeReturn.id, calendar, today, day(-1, '16:40'));
  logger.info({ round: round.number, dueOn, submitted, signedOff, moderated, draft: Boolean(homeReturn) }, 'demo story: seeded a Section 11 round in progress');
}

/** The demo member's return, two pages in: what they typed on standards 1 and 2 saved as the form saves it, on Next. */
async function startDraft(deps: FeatureDeps, home: MemberProfile, round: RoundView, returnId: string, calendar: WorkingCalendar, today: DateTime, at: DateTime): Promise<void> {
  const [first, second] = round.settings.standards;
  if (!first || !second) return;
  const owner = (await deps.db.member.findFirst({ where: { partnershipId: home.partnershipId, key: 'claire-donovan', active: true, agencyId: home.agency?.id }, select: { id: true } }))?.id ?? home.memberId;
  const target = calendar.workingDayOnOrAfter(today.plus({ weeks: 10 })).toISODate()!;
  const pages = [answersFor(first, round, 'green', owner, target, true), answersFor(second, round, 'amber', owner, target, false)];
  const form = returnForm(depsAt(deps, at));
  let state = encodeFormState({ subject: returnSubject(returnId), page: 0, version: 0 });
  for (const values of pages) {
    const identity = { platform: 'teams' as const, userId: home.memberId, ...(home.teamsAadObjectId ? { aadObjectId: home.teamsAadObjectId } : {}) };
    const result = await form.handler.submit({ identity, profile: home, callbackId: form.key, state, values, now: at });
    const next = result.kind === 'page' ? decodeFormState(result.form.state) : undefined;
    if (!next) {
      deps.logger.warn({ result: result.kind }, 'demo story: the seeded Section 11 draft was not saved');
      return;
    }
    state = encodeFormState(next);
  }
}

async function firstProfile(db: Services['db'], memberIds: string[]): Promise<MemberProfile | undefined> {
  const rows = await db.member.findMany({ where: { id: { in: memberIds }, active: true }, select: { id: true }, orderBy: { key: 'asc' }, take: 1 });
  return rows[0] ? loadMemberProfile(db, rows[0].id) : undefined;
}

/** The moderating group's chair (PQA), else the demo member when they may moderate. */
async function moderatorProfile(db: Services['db'], partnershipId: string, round: RoundView, home: MemberProfile | undefined): Promise<MemberProfile | undefined> {
  const group = await moderatingGroup(db, partnershipId, round.settings.moderatedBy);
  const chair = group ? await db.groupMembership.findFirst({ where: { active: true, position: 'chair', group: { partnershipId, key: group.key } }, select: { memberId: true } }) : null;
  const profile = chair ? await loadMemberProfile(db, chair.memberId) : undefined;
  if (profile && seesAllReturns(profile, group?.key)) return profile;
  return home && seesAllReturns(home, group?.key) ? home : undefined;
}
