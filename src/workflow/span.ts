export const SPAN_UNITS = ['months', 'weeks', 'days', 'workingDays'] as const;
export type SpanUnit = (typeof SPAN_UNITS)[number];

/**
 * A length of time as written in the partnership file, e.g. `{ months: 1 }`. Months, weeks and days are calendar
 * arithmetic on the local date (31 Jan + 1 month = 28 Feb); working days count working days only.
 */
export interface Span {
  unit: SpanUnit;
  amount: number;
}
