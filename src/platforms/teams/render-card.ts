import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
import type { ListItem, Message, MessageAction, MessageSection, StatusTone } from '../../messaging/message.js';
import { toPlainText, toTeamsMarkdown } from '../../messaging/markdown.js';

export type AdaptiveCardJson = Record<string, unknown>;

/** Teams rejects messages over ~28 KB, so very long lists are cut here rather than failing at send time. */
export const TEAMS_MAX_LIST_ITEMS = 50;

const TONE_COLOR: Record<StatusTone, string> = {
  good: 'Good',
  warning: 'Warning',
  attention: 'Attention',
  accent: 'Accent',
  neutral: 'Default',
};

const ACTION_STYLE = { primary: 'positive', danger: 'destructive' } as const;

const templates = new Map<string, Template>();

/** Fills `adaptive-cards/<name>.json` with `data`. Data strings are inserted verbatim, never evaluated as expressions. */
export function expandCardTemplate(name: 'message' | 'form', data: Record<string, unknown>): AdaptiveCardJson {
  let template = templates.get(name);
  if (!template) {
    const url = new URL(`../../../adaptive-cards/${name}.json`, import.meta.url);
    template = new Template(JSON.parse(readFileSync(url, 'utf8')));
    templates.set(name, template);
  }
  return template.expand({ $root: data }) as AdaptiveCardJson;
}

type SectionView = {
  kind: 'text' | 'context' | 'facts' | 'list' | 'actions';
  separator: boolean;
  text: string;
  facts: { title: string; value: string }[];
  listTitle: string;
  items: { title: string; detail: string; status: string; color: string }[];
  more: string;
  actions: AdaptiveCardJson[];
};

const EMPTY_SECTION: Omit<SectionView, 'kind' | 'separator'> = { text: '', facts: [], listTitle: '', items: [], more: '', actions: [] };

/** Adaptive Cards allow at most five actions in one ActionSet: longer rows wrap onto further rows. */
const TEAMS_MAX_ACTIONS_PER_SET = 5;

function wrapActionRows(sections: readonly MessageSection[]): MessageSection[] {
  return sections.flatMap((section) => {
    if (section.kind !== 'actions' || section.actions.length <= TEAMS_MAX_ACTIONS_PER_SET) return [section];
    const rows: MessageSection[] = [];
    for (let i = 0; i < section.actions.length; i += TEAMS_MAX_ACTIONS_PER_SET) {
      rows.push({ kind: 'actions', actions: section.actions.slice(i, i + TEAMS_MAX_ACTIONS_PER_SET) });
    }
    return rows;
  });
}

export function renderAdaptiveCard(message: Message): AdaptiveCardJson {
  const sections: SectionView[] = [];
  let separatorPending = false;
  for (const section of wrapActionRows(message.sections)) {
    if (section.kind === 'divider') {
      separatorPending = sections.length > 0;
      continue;
    }
    const view = sectionView(section);
    if (!view) continue;
    sections.push({ ...EMPTY_SECTION, ...view, separator: separatorPending });
    separatorPending = false;
  }
  const title = message.title?.trim() ? toPlainText(message.title) : '';
  const fallbackText = toPlainText(message.text.trim() || title || firstSectionText(message) || 'Update');
  if (!title && sections.length === 0) sections.push({ ...EMPTY_SECTION, kind: 'text', separator: false, text: toTeamsMarkdown(fallbackText) });
  return expandCardTemplate('message', { title, fallbackText, sections });
}

function sectionView(section: Exclude<MessageSection, { kind: 'divider' }>): Partial<SectionView> & Pick<SectionView, 'kind'> | undefined {
  switch (section.kind) {
    case 'text':
    case 'context':
      return section.text.trim() ? { kind: section.kind, text: toTeamsMarkdown(section.text) } : undefined;
    case 'facts': {
      const facts = section.facts
        .filter((fact) => fact.label.trim() || fact.value.trim())
        .map((fact) => ({ title: toTeamsMarkdown(fact.label), value: toTeamsMarkdown(fact.value) }));
      return facts.length ? { kind: 'facts', facts } : undefined;
    }
    case 'list': {
      const all = section.items.filter((item) => item.title.trim() || item.status?.trim());
      if (all.length === 0) return undefined;
      const hidden = all.length - TEAMS_MAX_LIST_ITEMS;
      return {
        kind: 'list',
        listTitle: section.title?.trim() ? toTeamsMarkdown(section.title) : '',
        items: all.slice(0, TEAMS_MAX_LIST_ITEMS).map(listItemView),
        more: hidden > 0 ? `…and ${hidden} more` : '',
      };
    }
    case 'actions':
      return section.actions.length ? { kind: 'actions', actions: section.actions.map(adaptiveAction) } : undefined;
  }
}

function listItemView(item: ListItem): SectionView['items'][number] {
  return {
    title: toTeamsMarkdown(item.title),
    detail: item.detail?.trim() ? toTeamsMarkdown(item.detail) : '',
    status: item.status?.trim() ? toPlainText(item.status) : '',
    color: TONE_COLOR[item.tone ?? 'neutral'],
  };
}

/**
 * A button. Confirmation has no native Adaptive Card form, so a confirmed action becomes a ShowCard that
 * reveals the question and the real button; clicking the original button again hides it (there is no deny button).
 */
function adaptiveAction(action: MessageAction): AdaptiveCardJson {
  const title = toPlainText(action.label) || action.id;
  const style = action.style === 'primary' || action.style === 'danger' ? { style: ACTION_STYLE[action.style] } : {};
  if (action.url) return { type: 'Action.OpenUrl', title, url: action.url };
  const execute = { type: 'Action.Execute', title, verb: action.id, data: action.value === undefined ? {} : { value: action.value }, ...style };
  if (!action.confirm) return execute;
  const { title: question, text, confirm } = action.confirm;
  return {
    type: 'Action.ShowCard',
    title,
    ...style,
    card: {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: toPlainText(question), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: toTeamsMarkdown(text), wrap: true },
      ],
      actions: [{ ...execute, title: toPlainText(confirm) || title }],
    },
  };
}

function firstSectionText(message: Message): string {
  for (const s of message.sections) if ((s.kind === 'text' || s.kind === 'context') && s.text.trim()) return s.text;
  return '';
}
