import rrulePackage from 'rrule';
import { z } from 'zod';
import { isoDay as isoDayOf, quoted, text } from '../directory/schema-primitives.js';
import { RECURRENCE_UNITS, type Recurrence, type RecurrencePattern } from './recurrence.js';
import { SPAN_UNITS, type Span } from './span.js';

/*
 * `recurs:` of a recurring plan or round (the syntax is described in docs/recurring-plans.md):
 *
 *   recurs:
 *     every: { months: 3 }            # or rule: "FREQ=MONTHLY;BYDAY=2TU", dates: [...], meetings: per-year
 *     from: 2027-01-12
 *     until: 2029-12-31               # optional
 *     opensBefore: { weeks: 6 }       # optional lead time; default: when the first stage opens
 *     title: "{plan}, {month} {year}" # optional
 *     leadsInTurn: [a, b, c]          # optional: each date's cycle is led by the next of these members in turn
 *
 * The cross-references against the directory (members of leadsInTurn, meetings to read) are in recurrence-checks.ts.
 */

const { rrulestr } = rrulePackage;
const isoDay = isoDayOf('2027-01-12');
const count = z.number().int('must be a whole number').min(1, 'must be at least 1');

const everySchema = z
  .strictObject({ months: count.optional(), weeks: count.optional(), years: count.optional() })
  .superRefine((value, ctx) => {
    const given = RECURRENCE_UNITS.filter((unit) => value[unit] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `give exactly one of ${RECURRENCE_UNITS.join(', ')}, e.g. { months: 3 }` });
  });

const ruleSchema = z.string().trim().superRefine((rule, ctx) => {
  if (/DTSTART/i.test(rule)) {
    ctx.addIssue({ code: 'custom', message: 'leave DTSTART out of the rule: give the first date as `from:`' });
    return;
  }
  try {
    rrulestr(rule.replace(/^RRULE:/i, ''));
  } catch {
    ctx.addIssue({ code: 'custom', message: `${quoted(rule)} is not a recurrence rule written as in RFC 5545, e.g. "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU"` });
  }
});

const leadSpanSchema = z
  .strictObject({ months: count.optional(), weeks: count.optional(), days: count.optional(), workingDays: count.optional() })
  .superRefine((value, ctx) => {
    const given = SPAN_UNITS.filter((unit) => value[unit] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `give exactly one of ${SPAN_UNITS.join(', ')}, e.g. { weeks: 6 }` });
  })
  .transform((value): Span => {
    const unit = SPAN_UNITS.find((name) => value[name] !== undefined) ?? 'days';
    return { unit, amount: value[unit] ?? 0 };
  });

const TITLE_PLACEHOLDERS = ['plan', 'group', 'date', 'month', 'year'];

export const recurrenceSchema = z
  .strictObject({
    every: everySchema.optional(),
    rule: ruleSchema.optional(),
    dates: z.array(isoDay).min(1, 'list at least one date').optional(),
    meetings: z.literal('per-year', { error: 'the only value is per-year (the group\'s meetingsPerYear)' }).optional(),
    from: isoDay.optional(),
    until: isoDay.optional(),
    opensBefore: leadSpanSchema.optional(),
    title: text.optional(),
    leadsInTurn: z.array(z.string()).min(1, 'name at least one member').optional(),
  })
  .superRefine((value, ctx) => {
    const given = (['every', 'rule', 'dates', 'meetings'] as const).filter((name) => value[name] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0
          ? 'say when it recurs: one of every, rule, dates or meetings'
          : `give only one of every, rule, dates or meetings, not ${given.join(' and ')}`,
      });
    }
    if (value.dates === undefined && value.from === undefined && given.length === 1) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'give the first date as from: YYYY-MM-DD' });
    }
    if (value.from !== undefined && value.until !== undefined && value.until < value.from) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `until (${value.until}) is before from (${value.from})` });
    }
    for (const name of value.title?.matchAll(/\{(\w+)\}/g) ?? []) {
      if (!TITLE_PLACEHOLDERS.includes(name[1]!)) {
        ctx.addIssue({ code: 'custom', path: ['title'], message: `unknown placeholder {${name[1]}}: use ${TITLE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` });
      }
    }
  })
  .transform((value): Recurrence => ({
    pattern: patternOf(value),
    ...(value.from !== undefined ? { from: value.from } : {}),
    ...(value.until !== undefined ? { until: value.until } : {}),
    ...(value.opensBefore !== undefined ? { opensBefore: value.opensBefore } : {}),
    ...(value.title !== undefined ? { title: value.title } : {}),
    ...(value.leadsInTurn !== undefined ? { leadsInTurn: value.leadsInTurn } : {}),
  }));

function patternOf(value: { every?: Partial<Record<(typeof RECURRENCE_UNITS)[number], number>> | undefined; rule?: string | undefined; dates?: string[] | undefined }): RecurrencePattern {
  if (value.every) {
    const unit = RECURRENCE_UNITS.find((name) => value.every?.[name] !== undefined) ?? 'months';
    return { kind: 'every', unit, interval: value.every[unit] ?? 1 };
  }
  if (value.rule !== undefined) return { kind: 'rule', rule: value.rule.replace(/^RRULE:/i, '') };
  if (value.dates !== undefined) return { kind: 'dates', dates: [...new Set(value.dates)].sort() };
  return { kind: 'meetings' };
}
