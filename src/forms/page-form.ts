// One page of a paged form (or its review page) as a neutral Form the platforms render.
import { DateTime } from 'luxon';
import type { Fact, Form, FormField, FormNotice, FormValues } from '../messaging/message.js';
import { encodeFormState } from './form-state.js';
import { splitChoices } from './validate.js';

/** One page of questions. */
export interface FormPage {
  /** Shown in bold above the page's questions. */
  title?: string;
  intro?: string;
  /** Names the page on the review page, before each of its answers ("Standard 3 · Rating"), where labels repeat across pages. */
  short?: string;
  fields: FormField[];
}

export interface ReviewPage {
  intro?: string;
  /** The button that sends the answers (default "Submit"). */
  submitLabel?: string;
}

export interface PageView {
  formKey: string;
  title: string;
  subject: string;
  pages: readonly FormPage[];
  /** 0-based; `pages.length` is the review page. */
  page: number;
  values: FormValues;
  version: number;
  review?: ReviewPage;
  notice?: FormNotice;
}

export const NEXT_LABEL = 'Next';
export const BACK_LABEL = 'Back';
const NOT_ANSWERED = '(not answered)';

export function pageForm(view: PageView): Form {
  const total = view.pages.length + 1;
  const isReview = view.page >= view.pages.length;
  const current = isReview ? undefined : view.pages[view.page];
  const form: Form = {
    callbackId: view.formKey,
    title: view.title,
    submitLabel: isReview ? (view.review?.submitLabel ?? 'Submit') : NEXT_LABEL,
    fields: current ? current.fields.map((field) => withValue(field, view.values)) : [],
    state: encodeFormState({ subject: view.subject, page: Math.min(view.page, view.pages.length), version: view.version }),
    progress: { page: Math.min(view.page, view.pages.length) + 1, of: total },
    keepsDraft: true,
  };
  const intro = current ? [current.title ? `*${current.title}*` : '', current.intro ?? ''] : ['*Check your answers*', view.review?.intro ?? `Use ${BACK_LABEL} to change anything, then press *${form.submitLabel}*.`];
  const introText = intro.filter((line) => line.trim() !== '').join('\n');
  if (introText) form.intro = introText;
  if (view.page > 0) form.back = { label: BACK_LABEL };
  if (isReview) form.summary = summaryRows(view.pages, view.values);
  if (view.notice) form.notice = view.notice;
  return form;
}

/** Every question of every page with its answer in words (option labels, not ids). */
export function summaryRows(pages: readonly FormPage[], values: FormValues): Fact[] {
  return pages.flatMap((page) => page.fields.map((field) => ({ label: page.short ? `${page.short} · ${field.label}` : field.label, value: displayValue(field, values[field.id]) })));
}

export function displayValue(field: FormField, value: string | undefined): string {
  if (value === undefined || value.trim() === '') return NOT_ANSWERED;
  const labelOf = (v: string) => {
    const options = field.kind === 'choice' || field.kind === 'multiChoice' || field.kind === 'member' ? (field.options ?? []) : [];
    return options.find((o) => o.value === v)?.label ?? v;
  };
  if (field.kind === 'multiChoice') return splitChoices(value).map(labelOf).join(', ') || NOT_ANSWERED;
  if (field.kind === 'choice' || field.kind === 'member') return labelOf(value);
  if (field.kind === 'date') return dayInWords(value);
  return value;
}

/** "Wed 14 Jan 2026" rather than 2026-01-14; anything that is not a date is shown as typed. */
function dayInWords(value: string): string {
  const day = DateTime.fromISO(value.trim(), { zone: 'utc', locale: 'en-GB' });
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) && day.isValid ? day.toFormat('ccc d LLL yyyy') : value;
}

function withValue(field: FormField, values: FormValues): FormField {
  if (!Object.hasOwn(values, field.id)) return field;
  const { initial: _dropped, ...rest } = field;
  const value = values[field.id];
  return value === undefined ? rest : { ...rest, initial: value };
}
