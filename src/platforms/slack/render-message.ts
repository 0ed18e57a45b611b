import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Fact, ListItem, Message, MessageAction, MessageSection } from '../../messaging/message.js';
import { toPlainText, toSlackMrkdwn } from '../../messaging/markdown.js';
import { SLACK_LIMITS, truncate, truncateMrkdwn } from './block-limits.js';
import { renderSlackTable } from './render-table.js';

/** Lower ranks are dropped first when a message has more blocks than Slack allows. */
export interface RankedBlock {
  block: KnownBlock;
  dropRank: 1 | 2 | 3;
}

const LIST_ITEM = 1;
const CONTENT = 2;
const ESSENTIAL = 3;
const DUPLICATE_SUFFIX = /#\d+$/;

export function slackPlain(text: string, max: number): string {
  return truncate(toPlainText(text), max);
}

export function slackMrkdwn(text: string, max: number): string {
  return truncateMrkdwn(toSlackMrkdwn(text), max);
}

const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: slackMrkdwn(text, SLACK_LIMITS.sectionText) },
});

/**
 * Where a message's images and files end up, said on the card: `below` (uploaded into the same conversation),
 * `direct-message` (an ephemeral or response_url reply cannot hold files, so they go to the person's DM with the bot),
 * `not-attached` (nowhere to put them).
 */
export type SlackAttachmentPlacement = 'below' | 'direct-message' | 'not-attached';

const PLACEMENT_NOTE: Record<SlackAttachmentPlacement, string> = {
  below: 'attached below',
  'direct-message': 'sent to your direct messages with the bot',
  'not-attached': 'cannot be attached to this reply',
};

export function renderSlackMessage(message: Message, options: { attachments?: SlackAttachmentPlacement } = {}): { text: string; blocks: KnownBlock[] } {
  const placement = options.attachments ?? 'below';
  const ranked: RankedBlock[] = [];
  if (message.title?.trim()) {
    const text = slackPlain(message.title, SLACK_LIMITS.headerText);
    ranked.push({ block: { type: 'header', text: { type: 'plain_text', text, emoji: true } }, dropRank: ESSENTIAL });
  }
  const actionIds = new Set<string>();
  for (const s of message.sections) ranked.push(...renderSection(s, actionIds, placement));
  const text = fallbackText(message);
  // A private message's card must not fall back to its notification text: that says only "you have an update".
  if (ranked.length === 0) ranked.push({ block: section(message.audience && message.text.trim() ? message.text : text), dropRank: ESSENTIAL });
  return { text: truncateMrkdwn(toSlackMrkdwn(text), SLACK_LIMITS.messageText), blocks: fitBlocks(ranked, SLACK_LIMITS.messageBlocks) };
}

/**
 * Slack action ids repeated within one message get a "#2", "#3"… suffix so Slack accepts them;
 * the Slack adapter calls this to recover the id the feature chose.
 */
export function originalActionId(slackActionId: string): string {
  return slackActionId.replace(DUPLICATE_SUFFIX, '');
}

/** Keeps the most important blocks and replaces the rest with one "…and N more" context block. */
export function fitBlocks(ranked: RankedBlock[], max: number): KnownBlock[] {
  if (ranked.length <= max) return ranked.map((r) => r.block);
  const dropCount = ranked.length - max + 1;
  const dropOrder = ranked.map((_, i) => i).sort((a, b) => ranked[a]!.dropRank - ranked[b]!.dropRank || b - a);
  const dropped = new Set(dropOrder.slice(0, dropCount));
  const firstDropped = Math.min(...dropped);
  const more: ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${dropCount} more` }] };
  const kept: KnownBlock[] = [];
  ranked.forEach((r, i) => {
    if (i === firstDropped) kept.push(more);
    if (!dropped.has(i)) kept.push(r.block);
  });
  return kept;
}

function renderSection(s: MessageSection, actionIds: Set<string>, placement: SlackAttachmentPlacement): RankedBlock[] {
  switch (s.kind) {
    case 'text':
      return s.text.trim() ? [{ block: section(s.text), dropRank: CONTENT }] : [];
    case 'context':
      if (!s.text.trim()) return [];
      return [{ block: { type: 'context', elements: [{ type: 'mrkdwn', text: slackMrkdwn(s.text, SLACK_LIMITS.contextText) }] }, dropRank: CONTENT }];
    case 'divider':
      return [{ block: { type: 'divider' }, dropRank: CONTENT }];
    case 'facts':
      return chunk(s.facts.filter((f) => f.label.trim() || f.value.trim()), SLACK_LIMITS.fieldsPerSection).map((facts) => ({
        block: { type: 'section', fields: facts.map(renderFact) },
        dropRank: CONTENT,
      }));
    case 'list': {
      const items = s.items.filter((item) => item.title.trim() || item.status?.trim());
      if (items.length === 0) return [];
      const heading: RankedBlock[] = s.title?.trim() ? [{ block: section(`*${s.title}*`), dropRank: CONTENT }] : [];
      return [...heading, ...items.map((item) => ({ block: renderListItem(item), dropRank: LIST_ITEM }) as RankedBlock)];
    }
    case 'actions':
      return chunk(s.actions, SLACK_LIMITS.actionsElements).map((actions) => {
        const block: ActionsBlock = { type: 'actions', elements: actions.map((a) => renderButton(a, uniqueActionId(a.id, actionIds))) };
        return { block, dropRank: ESSENTIAL };
      });
    case 'table': {
      const rows = renderSlackTable(s).map((block) => ({ block, dropRank: LIST_ITEM }) as RankedBlock);
      if (rows.length === 0) return [];
      return s.title?.trim() ? [{ block: section(`*${s.title}*`), dropRank: CONTENT }, ...rows] : rows;
    }
    case 'image':
    case 'file': {
      const what = s.kind === 'image' ? `🖼️ *${s.title?.trim() || 'Image'}*: ${s.alt}` : `📎 *${s.title?.trim() || s.name}* (${s.name})`;
      const text = slackMrkdwn(`${what} · ${PLACEMENT_NOTE[placement]}`, SLACK_LIMITS.contextText);
      return [{ block: { type: 'context', elements: [{ type: 'mrkdwn', text }] }, dropRank: ESSENTIAL }];
    }
  }
}

function renderFact(fact: Fact): { type: 'mrkdwn'; text: string } {
  const label = fact.label.trim() ? `*${toSlackMrkdwn(fact.label)}*` : '';
  const text = [label, toSlackMrkdwn(fact.value)].filter(Boolean).join('\n');
  return { type: 'mrkdwn', text: truncateMrkdwn(text, SLACK_LIMITS.fieldText) };
}

function renderListItem(item: ListItem): SectionBlock {
  const status = item.status?.trim() ? `*${toSlackMrkdwn(item.status)}*` : '';
  const head = [toSlackMrkdwn(item.title), status].filter(Boolean).join('  ·  ');
  const text = item.detail?.trim() ? `${head}\n${toSlackMrkdwn(item.detail)}` : head;
  return { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(text, SLACK_LIMITS.sectionText) } };
}

function renderButton(action: MessageAction, actionId: string): Button {
  const label = slackPlain(action.label, SLACK_LIMITS.buttonText) || slackPlain(action.id, SLACK_LIMITS.buttonText);
  const button: Button = { type: 'button', action_id: actionId, text: { type: 'plain_text', text: label, emoji: true } };
  if (action.value) {
    // A truncated payload would be silently wrong; message.ts makes <= 2000 the caller's contract.
    if (action.value.length > SLACK_LIMITS.buttonValue) throw new RangeError(`Action "${action.id}" value exceeds ${SLACK_LIMITS.buttonValue} characters`);
    button.value = action.value;
  }
  if (action.url) {
    if (action.url.length > SLACK_LIMITS.buttonUrl) throw new RangeError(`Action "${action.id}" url exceeds ${SLACK_LIMITS.buttonUrl} characters`);
    button.url = action.url;
  }
  if (action.style === 'primary' || action.style === 'danger') button.style = action.style;
  if (action.confirm) {
    const { title, text, confirm, deny } = action.confirm;
    button.confirm = {
      title: { type: 'plain_text', text: slackPlain(title, SLACK_LIMITS.confirmTitle) },
      text: { type: 'mrkdwn', text: slackMrkdwn(text, SLACK_LIMITS.confirmText) },
      confirm: { type: 'plain_text', text: slackPlain(confirm, SLACK_LIMITS.confirmButton) },
      deny: { type: 'plain_text', text: slackPlain(deny, SLACK_LIMITS.confirmButton) },
      ...(action.style === 'danger' ? { style: 'danger' as const } : {}),
    };
  }
  return button;
}

function uniqueActionId(id: string, seen: Set<string>): string {
  let candidate = id.slice(0, SLACK_LIMITS.actionId);
  for (let n = 2; seen.has(candidate); n++) {
    const suffix = `#${n}`;
    candidate = id.slice(0, SLACK_LIMITS.actionId - suffix.length) + suffix;
  }
  seen.add(candidate);
  return candidate;
}

function fallbackText(message: Message): string {
  if (message.audience) return message.audience.safeText.trim() || 'You have a new private message';
  const sectionTexts = message.sections.map((s) => (s.kind === 'text' || s.kind === 'context' ? s.text : ''));
  const first = [message.text, message.title ?? '', ...sectionTexts].find((t) => t.trim());
  return first ?? 'Update';
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
