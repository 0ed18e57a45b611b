// The one validator for forms on every platform: what a person typed, checked against each field's rules.
import type { FieldErrors, FormField, FormValues } from '../messaging/message.js';
import { OPTION_VALUE_MAX } from './limits.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

const isBlank = (value: string | undefined): value is undefined => value === undefined || value.trim() === '';

/** Several choices travel as one comma-joined value (Teams' own format for a multi-select). */
export function splitChoices(value: string | undefined): string[] {
  if (isBlank(value)) return [];
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** Every rule broken, one message per field (the field's `errorText` when it has one). Empty when all is well. */
export function validateFields(fields: readonly FormField[], values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    const problem = fieldProblem(field, values[field.id]);
    if (problem) errors[field.id] = field.errorText?.trim() ? field.errorText : problem;
  }
  return errors;
}

/** One line for a page showing `count` field errors, the same words on every platform; empty when there are none. */
export function errorSummaryText(count: number): string {
  if (count <= 0) return '';
  return count === 1 ? '1 answer needs changing: see the note under it.' : `${count} answers need changing: see the note under each.`;
}

/** The default message for the first rule `value` breaks, or undefined. */
export function fieldProblem(field: FormField, value: string | undefined): string | undefined {
  const label = field.label.trim() || field.id;
  if (isBlank(value)) return field.required ? `${label} is required.` : undefined;
  switch (field.kind) {
    case 'text':
    case 'longText':
      if (field.minLength !== undefined && value.trim().length < field.minLength) return `${label} needs at least ${field.minLength} characters.`;
      if (field.maxLength !== undefined && value.length > field.maxLength) return `${label} can have at most ${field.maxLength} characters (it has ${value.length}).`;
      return undefined;
    case 'url':
      return isWebAddress(value.trim()) ? undefined : `${label} must be a web address starting with https:// or http://.`;
    case 'number':
      return numberProblem(field, label, value.trim());
    case 'date':
      return isCalendarDate(value.trim()) ? undefined : `${label} must be a real date (YYYY-MM-DD).`;
    case 'choice':
      return field.options.some((o) => o.value === value) ? undefined : `Choose one of the options for ${label}.`;
    case 'member':
      // Options are filled from the directory before a form is shown or checked; without them there is nothing to check against.
      return !field.options || field.options.some((o) => o.value === value) ? undefined : `Choose a member of the partnership for ${label}.`;
    case 'multiChoice':
      return multiChoiceProblem(field, label, value);
  }
}

function numberProblem(field: Extract<FormField, { kind: 'number' }>, label: string, value: string): string | undefined {
  if (!DECIMAL.test(value)) return `${label} must be a number.`;
  const number = Number(value);
  if (field.integer && !Number.isInteger(number)) return `${label} must be a whole number.`;
  const range =
    field.min !== undefined && field.max !== undefined ? `between ${field.min} and ${field.max}` : field.min !== undefined ? `at least ${field.min}` : `at most ${field.max}`;
  if ((field.min !== undefined && number < field.min) || (field.max !== undefined && number > field.max)) return `${label} must be ${range}.`;
  return undefined;
}

function multiChoiceProblem(field: Extract<FormField, { kind: 'multiChoice' }>, label: string, value: string): string | undefined {
  const chosen = splitChoices(value);
  const known = new Set(field.options.map((o) => o.value));
  if (chosen.some((v) => !known.has(v)) || new Set(chosen).size !== chosen.length) return `Choose only from the options for ${label}.`;
  if (field.minSelected !== undefined && chosen.length < field.minSelected) return `Choose at least ${field.minSelected} for ${label}.`;
  if (field.maxSelected !== undefined && chosen.length > field.maxSelected) return `Choose at most ${field.maxSelected} for ${label}.`;
  if (field.required && chosen.length === 0) return `${label} is required.`;
  return undefined;
}

export function isWebAddress(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Mistakes in a form's definition (not in what was typed): ids that repeat, option values with commas or over
 * Slack's length, impossible bounds. Forms engines check this once, when a form is declared.
 */
export function formDefinitionProblems(fields: readonly FormField[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    if (!field.id.trim()) problems.push('a field has an empty id');
    if (seen.has(field.id)) problems.push(`field id "${field.id}" is used twice`);
    seen.add(field.id);
    if ((field.kind === 'text' || field.kind === 'longText') && field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      problems.push(`${field.id}: minLength is above maxLength`);
    }
    if (field.kind === 'number' && field.min !== undefined && field.max !== undefined && field.min > field.max) problems.push(`${field.id}: min is above max`);
    const options = field.kind === 'choice' || field.kind === 'multiChoice' || field.kind === 'member' ? (field.options ?? []) : [];
    const values = new Set<string>();
    for (const option of options) {
      if (option.value.includes(',')) problems.push(`${field.id}: option value "${option.value}" contains a comma`);
      if (option.value === '' || option.value.length > OPTION_VALUE_MAX) problems.push(`${field.id}: option values must have 1 to ${OPTION_VALUE_MAX} characters`);
      if (values.has(option.value)) problems.push(`${field.id}: option value "${option.value}" is used twice`);
      values.add(option.value);
    }
  }
  return problems;
}
