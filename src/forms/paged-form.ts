// A form of several pages with a review page and a draft in PostgreSQL. A feature declares the pages and what
// happens on submit; this file does the paging, the validation, the draft (with its version check) and the review.
import type { DateTime } from 'luxon';
import type { MemberProfile } from '../directory/identity.js';
import type { FormHandler, SubmissionRequest, SubmissionResult } from '../interactions/types.js';
import type { FieldErrors, Form, FormField, FormNotice, FormValues, Message } from '../messaging/message.js';
import type { Db } from '../store/db.js';
import { closedMessage, conflictNotice, reloadedNotice, resumedNotice } from './conflict.js';
import { deleteDraft, loadDraft, saveDraft, type FormDraft } from './drafts.js';
import { decodeFormState, encodeFormState, type PagedFormState } from './form-state.js';
import { FIELDS_PER_PAGE_MAX } from './limits.js';
import { withMemberOptions } from './member-options.js';
import { openFormValue } from './open-form.js';
import { pageForm, type FormPage, type ReviewPage } from './page-form.js';
import { formDefinitionProblems, validateFields } from './validate.js';

export type { FormPage, ReviewPage } from './page-form.js';

export interface PagedFormContext {
  profile: MemberProfile;
  /** What the answers are about, e.g. `s11-return:<id>`: one draft per form and subject. */
  subject: string;
  now: DateTime;
}

export type CompleteResult = { kind: 'done'; notice?: Message; card?: Message } | { kind: 'errors'; errors: FieldErrors };

export interface PagedFormSpec {
  /** The form's callback id and its drafts' form key. */
  key: string;
  title: string;
  /** The pages for a subject (at least one), possibly read from the database. Member pickers without options get the partnership's members. */
  pages(subject: string): FormPage[] | Promise<FormPage[]>;
  /** Where a new draft starts (e.g. last year's answers). */
  initialValues?(ctx: PagedFormContext): FormValues | Promise<FormValues>;
  /** Throw a BotError to refuse; checked when the form opens and on every submission. */
  authorize?(ctx: PagedFormContext): void | Promise<void>;
  /** Rules across fields, after each field's own rules pass. `values` holds every answer so far. */
  validatePage?(ctx: PagedFormContext, page: number, values: FormValues): FieldErrors | Promise<FieldErrors>;
  /** The review page was submitted: act on every answer. Errors send the person back to the first page concerned. */
  complete(ctx: PagedFormContext, values: FormValues): Promise<CompleteResult>;
  review?: ReviewPage;
  /** The review page's intro for these answers, e.g. what is still missing, page by page (default: `review.intro`). */
  reviewIntro?(ctx: PagedFormContext, values: FormValues): string | undefined | Promise<string | undefined>;
}

export interface PagedForm {
  readonly key: string;
  /** Register with `InteractionRouter.onForm(form.key, form.handler)`. */
  readonly handler: FormHandler;
  /** The form as the person should see it now: the draft's page and answers, or the first page. */
  open(request: PagedFormContext): Promise<Form>;
}

interface Loaded {
  ctx: PagedFormContext;
  pages: FormPage[];
  state: PagedFormState;
  draft: FormDraft | undefined;
}

const stale: SubmissionResult = { kind: 'close', notice: { text: 'That form is out of date. Please open it again.', sections: [] } };

export function definePagedForm(spec: PagedFormSpec, deps: { db: Db }): PagedForm {
  const { db } = deps;
  const draftKey = (subject: string) => ({ formKey: spec.key, subjectKey: subject });
  const pagesOf = async (subject: string): Promise<FormPage[]> => {
    const pages = await spec.pages(subject);
    if (pages.length === 0) throw new Error(`form "${spec.key}" has no pages`);
    if (pages.some((p) => p.fields.length > FIELDS_PER_PAGE_MAX)) throw new Error(`form "${spec.key}": a page has more than ${FIELDS_PER_PAGE_MAX} fields (a Slack modal holds 100 blocks)`);
    const problems = formDefinitionProblems(pages.flatMap((p) => p.fields));
    if (problems.length > 0) throw new Error(`form "${spec.key}": ${problems.join('; ')}`);
    return pages;
  };

  /** The page as a Form, its member pickers filled; `values` and `version` are what the person sees and edits. */
  async function render(l: Loaded, page: number, values: FormValues, version: number, notice?: FormNotice): Promise<Form> {
    const filled = await Promise.all(l.pages.map(async (p, i) => (i === page || page >= l.pages.length ? { ...p, fields: await fill(l, p.fields) } : p)));
    const onReview = page >= l.pages.length;
    const intro = onReview && spec.reviewIntro ? await spec.reviewIntro(l.ctx, values) : undefined;
    const review = intro === undefined ? spec.review : { ...spec.review, intro };
    return pageForm({ formKey: spec.key, title: spec.title, subject: l.ctx.subject, pages: filled, page, values, version, review, notice });
  }
  const fill = (l: Loaded, fields: FormField[]) => withMemberOptions(db, l.ctx.profile.partnershipId, fields);
  const startingValues = async (ctx: PagedFormContext) => (spec.initialValues ? await spec.initialValues(ctx) : {});

  async function open(ctx: PagedFormContext): Promise<Form> {
    await spec.authorize?.(ctx);
    const pages = await pagesOf(ctx.subject);
    const draft = await loadDraft(db, draftKey(ctx.subject));
    const l: Loaded = { ctx, pages, draft, state: { subject: ctx.subject, page: 0, version: 0 } };
    if (!draft) return render(l, 0, await startingValues(ctx), 0);
    return render(l, Math.min(draft.page, pages.length), draft.values, draft.version, await resumedNotice(db, draft, ctx.profile, ctx.now));
  }

  /** Saves the draft as of the version the person loaded; refused (never overwriting) when someone saved since. */
  const save = (l: Loaded, values: FormValues, page: number) =>
    saveDraft(db, {
      ...draftKey(l.ctx.subject),
      partnershipId: l.ctx.profile.partnershipId,
      memberId: l.ctx.profile.memberId,
      page,
      values,
      expectedVersion: l.state.version,
      now: l.ctx.now,
    });

  /** Saves this page's answers and shows `nextPage`; a save someone else overtook shows the same page with a notice. */
  async function saveAndShow(l: Loaded, typed: FormValues, nextPage: number): Promise<SubmissionResult> {
    const values = { ...(l.draft?.values ?? (await startingValues(l.ctx))), ...typed };
    const outcome = await save(l, values, nextPage);
    if (outcome.kind === 'conflict') return conflictPage(l, typed, outcome.current);
    return { kind: 'page', form: await render(l, nextPage, values, outcome.version) };
  }

  async function conflictPage(l: Loaded, typed: FormValues, current: FormDraft | undefined): Promise<SubmissionResult> {
    const notice = await conflictNotice(db, current, l.ctx.profile, l.ctx.now);
    // What they typed stays on screen (so nothing is lost before they choose to reload), at the version they started from.
    const shown = { ...(l.draft?.values ?? {}), ...typed };
    return { kind: 'page', form: await render(l, l.state.page, shown, l.state.version, notice) };
  }

  async function submitPage(l: Loaded, typed: FormValues): Promise<SubmissionResult> {
    const page = l.pages[l.state.page]!;
    const fields = await fill(l, page.fields);
    let errors = validateFields(fields, typed);
    if (Object.keys(errors).length === 0 && spec.validatePage) {
      errors = await spec.validatePage(l.ctx, l.state.page, { ...(l.draft?.values ?? {}), ...typed });
    }
    if (Object.keys(errors).length > 0) {
      return { kind: 'errors', errors, form: await render(l, l.state.page, { ...(l.draft?.values ?? {}), ...typed }, l.state.version) };
    }
    return saveAndShow(l, typed, l.state.page + 1);
  }

  async function submitReview(l: Loaded): Promise<SubmissionResult> {
    if (!l.draft || l.draft.version !== l.state.version) return conflictPage(l, {}, l.draft);
    const values = l.draft.values;
    for (const [index, page] of l.pages.entries()) {
      const errors = validateFields(await fill(l, page.fields), values);
      if (Object.keys(errors).length > 0) return backTo(l, index, errors);
    }
    const result = await spec.complete(l.ctx, values);
    if (result.kind === 'errors') {
      const index = l.pages.findIndex((p) => p.fields.some((f) => Object.hasOwn(result.errors, f.id)));
      return backTo(l, Math.max(index, 0), result.errors);
    }
    await deleteDraft(db, draftKey(l.ctx.subject), l.draft.version);
    return { kind: 'done', ...(result.notice ? { notice: result.notice } : {}), ...(result.card ? { card: result.card } : {}) };
  }

  /** A page earlier in the form, showing the errors found on submit. */
  async function backTo(l: Loaded, page: number, errors: FieldErrors): Promise<SubmissionResult> {
    const onPage = new Set(l.pages[page]?.fields.map((f) => f.id));
    const shown = Object.fromEntries(Object.entries(errors).filter(([id]) => onPage.has(id)));
    return { kind: 'page', form: await render(l, page, l.draft?.values ?? {}, l.state.version), errors: shown };
  }

  /** Left unfinished: this page's answers join the draft (unless someone overtook it) and the person hears how to carry on. */
  async function close(l: Loaded, typed: FormValues | undefined): Promise<SubmissionResult> {
    let conflict: { current: FormDraft | undefined } | undefined;
    if (typed) {
      const outcome = await save(l, { ...(l.draft?.values ?? (await startingValues(l.ctx))), ...typed }, l.state.page);
      if (outcome.kind === 'conflict') conflict = { current: outcome.current };
    }
    const openValue = openFormValue({ callbackId: spec.key, state: encodeFormState(l.state) });
    return { kind: 'close', notice: await closedMessage(db, { title: spec.title, openValue }, conflict, l.ctx.profile, l.ctx.now) };
  }

  async function submit(request: SubmissionRequest): Promise<SubmissionResult> {
    const state = decodeFormState(request.state);
    if (!state || !request.profile) return stale;
    const ctx: PagedFormContext = { profile: request.profile, subject: state.subject, now: request.now };
    await spec.authorize?.(ctx);
    const pages = await pagesOf(state.subject);
    const l: Loaded = { ctx, pages, state: { ...state, page: Math.min(state.page, pages.length) }, draft: await loadDraft(db, draftKey(state.subject)) };
    const onReview = l.state.page >= pages.length;
    // Teams leaves an emptied input out of the submission: every field of the page is read, missing ones as cleared.
    const typed: FormValues = onReview ? {} : Object.fromEntries(pages[l.state.page]!.fields.map((f) => [f.id, request.values[f.id]]));

    switch (request.intent ?? 'submit') {
      case 'reload': {
        const notice = await reloadedNotice(db, l.draft, ctx.profile, ctx.now);
        if (!l.draft) return { kind: 'page', form: await render(l, 0, await startingValues(ctx), 0, notice) };
        return { kind: 'page', form: await render(l, l.state.page, l.draft.values, l.draft.version, notice) };
      }
      case 'back':
        // The review page has nothing typed to save: it only has to be still what the person was reviewing.
        if (onReview) {
          if (!l.draft || l.draft.version !== l.state.version) return conflictPage(l, {}, l.draft);
          return { kind: 'page', form: await render(l, pages.length - 1, l.draft.values, l.state.version) };
        }
        return saveAndShow(l, typed, Math.max(l.state.page - 1, 0));
      case 'close':
        return close(l, onReview ? undefined : typed);
      case 'submit':
        return onReview ? submitReview(l) : submitPage(l, typed);
    }
  }

  const handler: FormHandler = {
    async build(rawState) {
      const state = decodeFormState(rawState);
      const pages = state ? await pagesOf(state.subject) : [];
      const page = state ? Math.min(state.page, pages.length) : 0;
      return {
        callbackId: spec.key,
        title: spec.title,
        submitLabel: 'Next',
        fields: pages[page]?.fields ?? [],
        ...(rawState ? { state: rawState } : {}),
        keepsDraft: true,
      };
    },
    submit,
    async open(request) {
      const state = decodeFormState(request.state);
      if (!state) return handler.build(undefined);
      return open({ profile: request.profile, subject: state.subject, now: request.now });
    },
  };
  return { key: spec.key, handler, open };
}
