// The return itself: one page per standard, saved as a draft in PostgreSQL on every page (so a lead can stop and come
// back days later, on either platform), then a review page that lists what is still missing, page by page.
import { DateTime } from 'luxon';
import { BotError, looksLikeId } from '../../core/errors.js';
import { formatDay } from '../../core/day-format.js';
import { definePagedForm, type PagedForm, type PagedFormContext } from '../../forms/paged-form.js';
import type { FieldOption, FormValues } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { carriedValues, missingByPage, standardPage, standardProblems, type CarriedFrom } from './answers.js';
import { isIn, returnFormKey, returnIdOfSubject, returnSubject, type ReturnView, type RoundView } from './model.js';
import { leadsAgency, seesAllReturns, signsForAgency } from './people.js';
import { answersOf, loadReturn, loadRound } from './repository.js';
import { returnFor } from './scope.js';
import { submitReturn } from './service-return.js';

interface Loaded {
  ret: ReturnView;
  round: RoundView;
  carried: CarriedFrom | undefined;
}

const gone = () => new BotError('invalid_input', 's11 return form for a missing return', 'That return no longer exists. Type `s11 status` to see the round.');

export function returnForm(deps: FeatureDeps): PagedForm {
  const { db } = deps;

  async function load(subject: string): Promise<Loaded> {
    const id = returnIdOfSubject(subject);
    const ret = looksLikeId(id) ? await loadReturn(db, id) : undefined;
    if (!ret) throw gone();
    const round = (await loadRound(db, ret.roundId))!;
    let carried: CarriedFrom | undefined;
    if (ret.carriedFromId) {
      const from = await db.s11Return.findUnique({ where: { id: ret.carriedFromId }, select: { round: { select: { title: true, launchedOn: true } } } });
      if (from) carried = { roundTitle: from.round.title, year: from.round.launchedOn.slice(0, 4) };
    }
    return { ret, round, carried };
  }

  /** The agency's own members own its actions (the partnership's, when the agency lists nobody). */
  async function ownerOptions(ret: ReturnView): Promise<FieldOption[]> {
    const members = await db.member.findMany({ where: { partnershipId: ret.partnershipId, agencyId: ret.agencyId, active: true }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' }, take: 100 });
    return members.map((m) => ({ value: m.id, label: m.displayName }));
  }

  const today = (ctx: PagedFormContext) => ctx.now.setZone(ctx.profile.timezone).toISODate()!;

  return definePagedForm(
    {
      key: returnFormKey,
      title: 'Self-assessment',
      async pages(subject) {
        // A form naming no return (crafted, or junk) still builds, so that its submission is refused by authorize
        // in the words, and with the audit, of any id the person may not see.
        const loaded = await load(subject).catch(() => undefined);
        if (!loaded) return [{ fields: [] }];
        const { ret, round, carried } = loaded;
        const owners = await ownerOptions(ret);
        const standards = round.settings.standards;
        const { timezone } = await db.partnership.findUniqueOrThrow({ where: { id: ret.partnershipId }, select: { timezone: true } });
        const whose = `${ret.agencyName} · ${round.title} · due ${formatDay(ret.dueOn, timezone)}`;
        return standards.map((s) => standardPage(s, whose, round.settings.scale, owners.length > 0 ? owners : undefined, carried));
      },
      async authorize(ctx) {
        // Someone who may not see the return (another agency's lead) is told what an id that names nothing is told.
        const seen = (x: { ret: ReturnView; moderatedBy: string | undefined }) => leadsAgency(ctx.profile, x.ret) || signsForAgency(ctx.profile, x.ret) || seesAllReturns(ctx.profile, x.moderatedBy);
        const { ret, round } = await returnFor(db, ctx.profile, returnIdOfSubject(ctx.subject) ?? '', seen);
        const refuse = (text: string, why: string) => new BotError('forbidden', why, text, { reason: 'not-permitted', subjectType: 's11-return', subjectId: ret.id });
        if (!leadsAgency(ctx.profile, ret)) {
          throw refuse("Only the agency's safeguarding leads can fill in its return.", 's11 return opened by someone who is not its lead');
        }
        if (round.status !== 'open') throw new BotError('invalid_input', 's11 round closed', `${round.title} is closed: its returns can no longer change.`);
        if (isIn(ret)) {
          const when = ret.submittedAt ? ` on ${formatDay(DateTime.fromJSDate(ret.submittedAt).setZone(ctx.profile.timezone).toISODate()!, ctx.profile.timezone)}` : '';
          throw new BotError('invalid_input', 's11 return already in', `${ret.agencyName}'s return was submitted${when}. If it needs changing, ask the business unit to return it to you.`);
        }
      },
      async initialValues(ctx): Promise<FormValues> {
        const { ret, round } = await load(ctx.subject);
        // Sent back: the lead picks up from what they submitted. A new round: last round's answers, to confirm or update.
        if (ret.status === 'returned' && ret.answers) return { ...ret.answers };
        if (ret.carriedFromId) return carriedValues(round.settings.standards, await answersOf(db, ret.carriedFromId));
        return {};
      },
      async validatePage(ctx, page, values) {
        const { round } = await load(ctx.subject);
        const standard = round.settings.standards[page];
        return standard ? standardProblems(standard, round.settings.scale, values, today(ctx)) : {};
      },
      async reviewIntro(ctx, values) {
        const { round, carried, ret } = await load(ctx.subject);
        const { pages } = missingByPage(round.settings.standards, round.settings.scale, values, today(ctx), Boolean(carried));
        const due = `Due ${formatDay(ret.dueOn, ctx.profile.timezone)}.`;
        if (pages.length === 0) return `${due} Every standard is answered. Use Back to change anything, then press *Submit return*: it goes to your signatory to sign off.`;
        const lines = pages.map((p) => `• Page ${p.page + 1}, standard ${p.standard.number} (${p.standard.name}): ${p.missing.join(', ')}`);
        return `${due} *Still to do before you can submit* (${pages.length} of ${round.settings.standards.length} standards):\n${lines.join('\n')}\nYour answers are saved: you can stop and come back at any time.`;
      },
      async complete(ctx, values) {
        const { round, carried, ret } = await load(ctx.subject);
        const { errors } = missingByPage(round.settings.standards, round.settings.scale, values, today(ctx), Boolean(carried));
        if (Object.keys(errors).length > 0) return { kind: 'errors', errors };
        const outcome = await submitReturn(deps, ctx.profile, ret.id, values);
        return { kind: 'done', notice: { text: outcome.line, sections: [{ kind: 'text', text: outcome.line }] } };
      },
      review: { submitLabel: 'Submit return' },
    },
    deps,
  );
}

/** Opens a return's form for its lead, as the draft left it. */
export const openReturn = (form: PagedForm, ctx: Omit<PagedFormContext, 'subject'>, returnId: string) => form.open({ ...ctx, subject: returnSubject(returnId) });
