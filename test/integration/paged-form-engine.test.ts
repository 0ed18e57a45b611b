// The paged-form engine's rules through the interaction router (real PostgreSQL), below the platforms: what a
// submission answers with for each intent, and what happens to the draft.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { features } from '../../src/app/features.js';
import { ManualClock } from '../../src/core/clock.js';
import type { PlatformIdentity } from '../../src/directory/identity.js';
import { decodeFormState } from '../../src/forms/form-state.js';
import type { SubmissionIntent, SubmissionResult } from '../../src/interactions/types.js';
import type { Form, FormValues } from '../../src/messaging/message.js';
import { startBot, type BotHarness } from '../support/bot-harness.js';
import { TOY_FORM, toyPagedForm } from '../support/toy-paged-form.js';

const rachel: PlatformIdentity = { platform: 'slack', userId: 'U0SWRWHIT', teamId: 'T0SWIND01' };
const tom: PlatformIdentity = { platform: 'slack', userId: 'U0SWTASHD', teamId: 'T0SWIND01' };
const clock = new ManualClock(DateTime.fromISO('2026-03-10T09:30:00Z'));
const toy = toyPagedForm();
let bot: BotHarness;
let subjectCounter = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock, slack: false, teams: false, features: [...features, toy.feature] });
});
afterAll(async () => {
  await bot?.stop();
});
beforeEach(() => {
  toy.refused.clear();
  toy.answer = () => ({ kind: 'done', notice: { text: 'Return received.', sections: [] } });
});

const router = () => bot.runtime.services.interactions;
const draftOf = (subject: string) => bot.db.formDraft.findUnique({ where: { formKey_subjectKey: { formKey: TOY_FORM, subjectKey: `toy:${subject}` } } });
const memberId = async (key: string) => (await bot.db.member.findFirstOrThrow({ where: { key } })).id;

async function open(who: PlatformIdentity, subject: string): Promise<Form> {
  const result = await bot.runtime.services.inbound.runCommand(`toyreturn ${subject}`, who);
  if (result.kind !== 'form') throw new Error(`expected a form, got ${JSON.stringify(result)}`);
  return result.form;
}
const press = (who: PlatformIdentity, form: Form, values: FormValues, intent: SubmissionIntent = 'submit') => router().submitForm(who, form.callbackId, form.state, values, intent);
const pageOf = (result: SubmissionResult): Form => {
  if (result.kind !== 'page') throw new Error(`expected a page, got ${JSON.stringify(result)}`);
  return result.form;
};

/** Fills both pages and returns the review page. */
async function toReview(who: PlatformIdentity, subject: string): Promise<Form> {
  const page2 = pageOf(await press(who, await open(who, subject), { summary: 'Audited', staff: '3' }));
  return pageOf(await press(who, page2, { lead: await memberId('tom-ashdown'), areas: 'neglect' }));
}

describe('the paged-form engine', () => {
  it('offers the partnership’s active members in a member picker', async () => {
    const page2 = pageOf(await press(rachel, await open(rachel, `s${++subjectCounter}`), { summary: 'x' }));
    const lead = page2.fields.find((f) => f.id === 'lead');
    const members = await bot.db.member.count({ where: { active: true } });
    expect(lead?.kind === 'member' && lead.options?.length).toBe(members);
    expect(lead?.kind === 'member' && lead.options?.find((o) => o.label.startsWith('Tom Ashdown'))?.label).toBe('Tom Ashdown (Swindon Borough Council)');
  });

  it('refuses a member picked from outside the directory', async () => {
    const page2 = pageOf(await press(rachel, await open(rachel, `s${++subjectCounter}`), { summary: 'x' }));
    expect(await press(rachel, page2, { lead: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ kind: 'errors', errors: { lead: 'Choose a member of the partnership for Lead.' } });
  });

  it('sends the person back to the page concerned when the feature refuses the answers, keeping the draft', async () => {
    const subject = `s${++subjectCounter}`;
    const review = await toReview(rachel, subject);
    expect(review.summary?.map((r) => r.label)).toEqual(['Summary', 'Staff trained', 'Lead', 'Areas']);
    toy.answer = () => ({ kind: 'errors', errors: { staff: 'That is more staff than the agency employs.' } });
    const result = await press(rachel, review, {});
    expect(result).toMatchObject({ kind: 'page', errors: { staff: 'That is more staff than the agency employs.' } });
    expect(pageOf(result).progress).toEqual({ page: 1, of: 3 });
    expect(await draftOf(subject)).not.toBeNull();
  });

  it('checks every page again on submit, in case the answers were saved under older rules', async () => {
    const subject = `s${++subjectCounter}`;
    const review = await toReview(rachel, subject);
    await bot.db.formDraft.update({ where: { formKey_subjectKey: { formKey: TOY_FORM, subjectKey: `toy:${subject}` } }, data: { values: { summary: 'Audited', staff: 'lots', lead: await memberId('tom-ashdown') } } });
    const result = await press(rachel, review, {});
    expect(result).toMatchObject({ kind: 'page', errors: { staff: 'Staff trained must be a number.' } });
    expect(toy.completed.some((c) => c.subject === `toy:${subject}`)).toBe(false);
  });

  it('goes back from the review page without saving, unless the answers changed meanwhile', async () => {
    const subject = `s${++subjectCounter}`;
    const review = await toReview(rachel, subject);
    const version = (await draftOf(subject))!.version;
    const page2 = pageOf(await press(rachel, review, {}, 'back'));
    expect(page2.progress).toEqual({ page: 2, of: 3 });
    expect((await draftOf(subject))!.version).toBe(version);

    // Tom opens the draft (at its review page), goes back and saves page 2 in between: Rachel's Back and Submit on
    // her review page, now stale, both show the conflict.
    const tomsReview = await open(tom, subject);
    expect(tomsReview.summary).toBeDefined();
    const tomsPage2 = pageOf(await press(tom, tomsReview, {}, 'back'));
    pageOf(await press(tom, tomsPage2, { lead: await memberId('rachel-whitmore') }));
    expect((await draftOf(subject))!.version).toBe(version + 1);
    for (const intent of ['back', 'submit'] as const) {
      const stale = pageOf(await press(rachel, review, {}, intent));
      expect(stale.notice?.text).toMatch(/^Changed by Tom Ashdown at 09:30: your page was not saved\./);
      expect(stale.notice?.reload).toEqual({ label: 'Reload' });
    }
    expect(toy.completed.some((c) => c.subject === `toy:${subject}`)).toBe(false);
  });

  it('keeps a draft on close and offers a button that reopens it where it was left', async () => {
    const subject = `s${++subjectCounter}`;
    const page2 = pageOf(await press(rachel, await open(rachel, subject), { summary: 'Halfway' }));
    const closed = await press(rachel, page2, { areas: 'exploitation' }, 'close');
    expect(closed.kind).toBe('close');
    const notice = closed.kind === 'close' ? closed.notice : undefined;
    expect(notice?.text).toBe('Your answers to *Toy return* are saved as a draft. Carry on whenever you like, in Slack or in Teams.');
    const button = notice?.sections.flatMap((s) => (s.kind === 'actions' ? s.actions : []))[0];
    expect(button).toMatchObject({ id: 'form.open', label: 'Carry on' });
    const reopened = await router().runAction(tom, button!.id, button!.value);
    expect(reopened.kind).toBe('form');
    const form = reopened.kind === 'form' ? reopened.form : undefined;
    expect(form?.progress).toEqual({ page: 2, of: 3 });
    expect(form?.fields.find((f) => f.id === 'areas')?.initial).toBe('exploitation');
    expect(decodeFormState(form?.state)).toEqual({ subject: `toy:${subject}`, page: 1, version: 2 });
  });

  it('starts from the beginning on reload when the draft is gone, and says so', async () => {
    const subject = `s${++subjectCounter}`;
    const page2 = pageOf(await press(rachel, await open(rachel, subject), { summary: 'Soon gone' }));
    await bot.db.formDraft.delete({ where: { formKey_subjectKey: { formKey: TOY_FORM, subjectKey: `toy:${subject}` } } });
    const next = pageOf(await press(rachel, page2, { lead: await memberId('tom-ashdown') }));
    expect(next.notice?.text).toMatch(/submitted or discarded by someone else/);
    const reloaded = pageOf(await press(rachel, next, {}, 'reload'));
    expect(reloaded.progress).toEqual({ page: 1, of: 3 });
    expect(reloaded.notice?.text).toBe('Reloaded: there is no saved draft, so the form starts from the beginning.');
    expect(reloaded.fields.find((f) => f.id === 'summary')?.initial).toBeUndefined();
  });

  it('refuses people the feature does not allow, on every submission', async () => {
    const subject = `s${++subjectCounter}`;
    const page1 = await open(rachel, subject);
    toy.refused.add('rachel-whitmore');
    expect(await press(rachel, page1, { summary: 'x' })).toEqual({ kind: 'done', notice: expect.objectContaining({ text: 'Only the agency’s lead can fill in this return.' }) });
    expect(await draftOf(subject)).toBeNull();
  });

  it('answers a form state it cannot read by asking to open the form again', async () => {
    const page1 = await open(rachel, `s${++subjectCounter}`);
    expect(await press(rachel, { ...page1, state: 'not-json' }, {})).toMatchObject({ kind: 'close', notice: { text: 'That form is out of date. Please open it again.' } });
  });
});
