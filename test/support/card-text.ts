/** Every string on an Adaptive Card a person would read (TextBlocks, facts, button titles, input labels), one per line. */
export function visibleCardText(card: unknown): string {
  const out: string[] = [];
  const shown = new Set(['text', 'title', 'value', 'label', 'placeholder', 'errorMessage']);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'data' || key === 'fallbackText') continue;
        if (shown.has(key) && typeof value === 'string') out.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  // \u2060 (an invisible word joiner) keeps a `<placeholder>` from being read as HTML by Teams; nobody sees it.
  return out.join('\n').replace(/\*\*/g, '').replace(/\u2060/g, '');
}

/** The data of the first Action.Execute with this verb in a card. */
export function actionData(card: unknown, verb: string): Record<string, string> {
  let found: Record<string, string> | undefined;
  const walk = (node: unknown): void => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const n = node as Record<string, unknown>;
      if (n.verb === verb) found = n.data as Record<string, string>;
      else Object.values(n).forEach(walk);
    }
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} button in ${JSON.stringify(card)}`);
  return found;
}
