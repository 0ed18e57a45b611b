import type { ListItem, Message } from '../messaging/message.js';

/** What a command word alone answers: `<command>: commands`, a one-line summary, and each form of it with what it does. */
export function usageCard(command: string, summary: string, items: ListItem[]): Message {
  return { title: `${command}: commands`, text: summary, sections: [{ kind: 'list', items }] };
}
