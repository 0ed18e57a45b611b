// The neutral markdown subset (*bold*, _italic_, `code`, line breaks) converted per platform.

type Segment = { code: boolean; text: string };

const CODE_SPAN = /`([^`\n]+)`/g;
// Markers must hug their content and not sit inside a word, so "2 * 3 * 4" and snake_case stay literal.
const BOLD = /(^|[^\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu;
const ITALIC = /(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu;

function splitCodeSpans(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    const start = match.index;
    if (start > last) segments.push({ code: false, text: text.slice(last, start) });
    segments.push({ code: true, text: match[1] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ code: false, text: text.slice(last) });
  return segments;
}

/** Slack mrkdwn already uses the same markers; only &, < and > must be escaped (they start links and mentions). */
export function toSlackMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Adaptive Card TextBlock markdown: **bold**, _italic_; inline code is not supported, so code shows as plain text. */
export function toTeamsMarkdown(text: string): string {
  const converted = splitCodeSpans(text)
    .map((segment) => (segment.code ? segment.text : segment.text.replace(BOLD, '$1**$2**')))
    .join('');
  return teamsLineBreaks(converted);
}

/** Teams reads card text as markdown, where a single newline is only a space: every line break becomes a blank line. */
function teamsLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\n+/g, (breaks) => (breaks.length === 1 ? '\n\n' : breaks));
}

/** Drops the markers: for headers, button labels, titles and notification text. */
export function toPlainText(text: string): string {
  return splitCodeSpans(text)
    .map((segment) => (segment.code ? segment.text : segment.text.replace(BOLD, '$1$2').replace(ITALIC, '$1$2')))
    .join('');
}
