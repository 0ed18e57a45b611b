const nul = /\u0000/g;
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text PostgreSQL accepts in a text or jsonb column: it refuses a NUL character and half of a surrogate pair with an
 * error, so a person who typed one would otherwise be told the records are unreachable.
 */
export function storableText(text: string): string {
  return text.replace(nul, '').replace(unpairedSurrogate, '\uFFFD');
}
