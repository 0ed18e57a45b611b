import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
import { attachmentsOf, type Attachment } from '../../messaging/attachments.js';
import type { ListItem, Message, MessageAction, MessageSection, StatusTone } from '../../messaging/message.js';
import { toPlainText } from '../../messaging/markdown.js';
import { teamsMarkdown, teamsPlainText } from './teams-text.js';
import { attachmentView, TEAMS_INLINE_IMAGE_BUDGET, type CardAttachmentLinks } from './render-attachment.js';
import { teamsTableView } from './render-table.js';

export type { CardAttachmentLinks } from './render-attachment.js';

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
  kind: 'text' | 'context' | 'facts' | 'list' | 'actions' | 'table' | 'image' | 'file';
  separator: boolean;
  text: string;
  facts: { title: string; value: string }[];
  listTitle: string;
  items: { title: string; detail: string; status: string; color: string }[];
  more: string;
  actions: AdaptiveCardJson[];
  columns: AdaptiveCardJson[];
  rows: AdaptiveCardJson[];
  imageUrl: string;
  alt: string;
};

const EMPTY_SECTION: Omit<SectionView, 'kind' | 'separator'> = { text: '', facts: [], listTitle: '', items: [], more: '', actions: [], columns: [], rows: [], imageUrl: '', alt: '' };

export interface AdaptiveCardOptions {
  /** Download links for files (and pictures too big to show inline). Without them the card says downloads are off. */
  links?: CardAttachmentLinks;
  /** false: every picture is a link too (a message Teams refused as too big goes again this way). */
  inlineImages?: boolean;
}

interface RenderContext {
  attachments: Map<number, Attachment>;
  links?: CardAttachmentLinks;
  imageBudget: { remaining: number };
}

/** Adaptive Cards allow at most five actions in one ActionSet: longer rows wrap onto further rows. */
const TEAMS_MAX_ACTIONS_PER_SET = 5;

function wrapActionRows(actions: readonly MessageAction[]): MessageAction[][] {
  const rows: MessageAction[][] = [];
  for (let i = 0; i < actions.length; i += TEAMS_MAX_ACTIONS_PER_SET) rows.push(actions.slice(i, i + TEAMS_MAX_ACTIONS_PER_SET));
  return rows;
}

export function renderAdaptiveCard(message: Message, options: AdaptiveCardOptions = {}): AdaptiveCardJson {
  const sections: SectionView[] = [];
  const context: RenderContext = {
    attachments: new Map(attachmentsOf(message).map((a) => [a.sectionIndex, a])),
    links: options.links,
    imageBudget: { remaining: options.inlineImages === false ? 0 : TEAMS_INLINE_IMAGE_BUDGET },
  };
  let separatorPending = false;
  for (const [index, section] of message.sections.entries()) {
    if (section.kind === 'divider') {
      separatorPending = sections.length > 0;
      continue;
    }
    const view = sectionView(section, index, context);
    for (const part of Array.isArray(view) ? view : view ? [view] : []) {
      sections.push({ ...EMPTY_SECTION, ...part, separator: separatorPending });
      separatorPending = false;
    }
  }
  const title = message.title?.trim() ? teamsPlainText(message.title) : '';
  const shownText = toPlainText(message.text.trim() || message.title?.trim() || firstSectionText(message) || 'Update');
  // Notifications and lock screens show the fallback text: for a private message, only what the feature marked safe.
  const fallbackText = message.audience ? toPlainText(message.audience.safeText.trim() || 'You have a new private message') : shownText;
  if (!title && sections.length === 0) sections.push({ ...EMPTY_SECTION, kind: 'text', separator: false, text: teamsMarkdown(shownText) });
  return expandCardTemplate('message', { title, fallbackText, sections });
}

type PartialView = Partial<SectionView> & Pick<SectionView, 'kind'>;

function sectionView(section: Exclude<MessageSection, { kind: 'divider' }>, index: number, context: RenderContext): PartialView | PartialView[] | undefined {
  switch (section.kind) {
    case 'text':
    case 'context':
      return section.text.trim() ? { kind: section.kind, text: teamsMarkdown(section.text) } : undefined;
    case 'facts': {
      const facts = section.facts
        .filter((fact) => fact.label.trim() || fact.value.trim())
        .map((fact) => ({ title: teamsMarkdown(fact.label), value: teamsMarkdown(fact.value) }));
      return facts.length ? { kind: 'facts', facts } : undefined;
    }
    case 'list': {
      const all = section.items.filter((item) => item.title.trim() || item.status?.trim());
      if (all.length === 0) return undefined;
      const hidden = all.length - TEAMS_MAX_LIST_ITEMS;
      return {
        kind: 'list',
        listTitle: section.title?.trim() ? teamsMarkdown(section.title) : '',
        items: all.slice(0, TEAMS_MAX_LIST_ITEMS).map(listItemView),
        more: hidden > 0 ? `…and ${hidden} more` : '',
      };
    }
    case 'actions':
      return wrapActionRows(section.actions).map((actions) => ({ kind: 'actions' as const, actions: actions.map(adaptiveAction) }));
    case 'table': {
      const table = teamsTableView(section);
      if (!table) return undefined;
      const more = table.hiddenRows > 0 ? `…and ${table.hiddenRows} more rows` : '';
      return { kind: 'table', listTitle: section.title?.trim() ? teamsMarkdown(section.title) : '', columns: table.columns, rows: table.rows, more };
    }
    case 'image':
    case 'file': {
      const attachment = context.attachments.get(index);
      return attachment ? { kind: section.kind, ...attachmentView(attachment, context.links, context.imageBudget) } : undefined;
    }
  }
}

function listItemView(item: ListItem): SectionView['items'][number] {
  return {
    title: teamsMarkdown(item.title),
    detail: item.detail?.trim() ? teamsMarkdown(item.detail) : '',
    status: item.status?.trim() ? teamsPlainText(item.status) : '',
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
        { type: 'TextBlock', text: teamsPlainText(question), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: teamsMarkdown(text), wrap: true },
      ],
      actions: [{ ...execute, title: toPlainText(confirm) || title }],
    },
  };
}

function firstSectionText(message: Message): string {
  for (const s of message.sections) if ((s.kind === 'text' || s.kind === 'context') && s.text.trim()) return s.text;
  return '';
}
