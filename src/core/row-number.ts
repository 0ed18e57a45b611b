/** PostgreSQL's int column: a number beyond it names no row, and a query with it fails rather than finding nothing. */
export const MAX_ROW_NUMBER = 2_147_483_647;

/** A typed reference such as `3` or `#3` as a row number (1 up to MAX_ROW_NUMBER), or undefined when it cannot be one. */
export function rowNumber(word: string | undefined): number | undefined {
  const number = Number((word ?? '').replace(/^#/, ''));
  return Number.isInteger(number) && number >= 1 && number <= MAX_ROW_NUMBER ? number : undefined;
}
